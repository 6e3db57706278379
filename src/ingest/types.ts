// The contract between a source (Redis list, Redis stream, file, stdin) and the pipeline that publishes its items.

/** A run of items read together; the pipeline commits it once every item in it is acknowledged (or rejected). */
export interface SourceBatch {
  /** Raw event bytes, one per item, in source order. */
  readonly items: Uint8Array[];
  /** Tells the source these items are safely in NATS: remove them (Redis), XACK them, or advance the checkpoint. */
  commit(): Promise<void>;
}

/** What a source hands back when nothing is there yet: the pipeline looks at its stop flag and reads again. */
export const EMPTY_BATCH: SourceBatch = { items: [], commit: async () => undefined };

/** How much is still waiting at the source, for the progress line. */
export interface Backlog {
  count: number;
  unit: "events" | "bytes";
}

export interface IngestSource {
  /** For messages: the source as the user named it, without secrets. */
  readonly description: string;
  /**
   * Up to `max` items, waiting a while (about a second at most) when nothing is there: an empty batch then, so the
   * pipeline can look at its stop flag. `null` once the source has ended (stdin at EOF, a drained source in --once).
   */
  read(max: number): Promise<SourceBatch | null>;
  /** Current backlog, or undefined when the source cannot tell (stdin) or is unreachable. */
  backlog(): Promise<Backlog | undefined>;
  /**
   * False when nothing unconfirmed survives a quit: the source keeps no position (stdin, replay), so what a hard
   * quit leaves unconfirmed is not sent again on the next start. Undefined = it resumes (Redis, a checkpointed file).
   */
  readonly resumes?: boolean;
  /** Optional: no more reads will come (a stop was asked for); stop reading ahead. */
  stop?(): void;
  /**
   * Optional: once everything is committed, throws when the run must still end as a failure (a position that
   * could not be saved: the next run would send again what this one did).
   */
  finish?(): Promise<void>;
  /** Releases connections and files; called once, after the last commit. */
  close(): Promise<void>;
}

/** Status lines (retries, rotations, resyncs) from sources and the pipeline; the command prints them on stderr. */
export type Notify = (line: string) => void;
