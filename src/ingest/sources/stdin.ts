// NDJSON from a stream (`--from -`: stdin; replay of a file): one event per line, ends at EOF. Nothing to confirm
// back: what was read before a crash is gone, so this source is at-most-once across restarts by nature.
import type { Readable } from "node:stream";
import { type Backlog, EMPTY_BATCH, type IngestSource, type Notify, type SourceBatch } from "../types.js";
import { LineSplitter } from "../lines.js";
import { formatBytes } from "../../text/units.js";

const WAIT_MS = 1000;

export class LineStreamSource implements IngestSource {
  private readonly iterator: AsyncIterator<Buffer | string>;
  private pendingNext: Promise<IteratorResult<Buffer | string>> | undefined;
  private readonly splitter: LineSplitter;
  private queue: Buffer[] = [];
  private head = 0;
  private ended = false;
  readonly resumes = false;

  constructor(
    stream: Readable,
    readonly description: string,
    notify: Notify,
  ) {
    this.iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    this.splitter = new LineSplitter(0, undefined, (bytes) => notify(`skipping a line longer than ${formatBytes(bytes)} on ${description} (no newline)`));
  }

  async read(max: number): Promise<SourceBatch | null> {
    while (this.head >= this.queue.length) {
      if (this.ended) return null;
      this.queue = [];
      this.head = 0;
      this.pendingNext ??= this.iterator.next();
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        this.pendingNext,
        new Promise<"wait">((resolve) => (timer = setTimeout(() => resolve("wait"), WAIT_MS))),
      ]);
      clearTimeout(timer);
      // Nothing yet: hand back an empty batch so the pipeline can look at its stop flag; keep the pending read.
      if (next === "wait") return EMPTY_BATCH;
      this.pendingNext = undefined;
      const push = (line: Buffer) => this.queue.push(line);
      if (next.done) {
        this.ended = true;
        this.splitter.flush(push);
      } else {
        const value = next.value;
        this.splitter.push(typeof value === "string" ? Buffer.from(value) : value, push);
      }
    }
    const items = this.queue.slice(this.head, this.head + max);
    this.head += items.length;
    return { items, commit: async () => undefined };
  }

  async backlog(): Promise<Backlog | undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}
