// Whether a stream stores every subject ingest publishes to (`<prefix>.<event_type>`, one token after the prefix),
// and what to say when the streams there only overlap `<prefix>.>`.
import type { JetStreamManager, StreamInfo } from "@nats-io/jetstream";
import { describeJetStreamError } from "../nats/jetstream.js";
import { subjectMatches } from "../nats/subjects.js";

/**
 * True when `pattern` (a stream subject, wildcards allowed) matches every `<prefix>.<token>`: it matches
 * `<prefix>.*` taken literally, where only a wildcard of the pattern can match the `*`.
 */
export function subjectCoversPrefix(pattern: string, prefix: string): boolean {
  return subjectMatches(pattern, `${prefix}.*`);
}

export function streamCoversPrefix(subjects: readonly string[] | undefined, prefix: string): boolean {
  return (subjects ?? []).some((subject) => subjectCoversPrefix(subject, prefix));
}

export interface StreamsForPrefix {
  /** The stream storing every `<prefix>.<event_type>`, if there is one. */
  covering?: StreamInfo;
  /** Streams whose subjects overlap `<prefix>.>` without storing all of it. */
  partial: StreamInfo[];
}

/** The streams whose subjects overlap `<prefix>.>`, sorted into the one that stores it all and those that do not. */
export async function streamsForPrefix(jsm: JetStreamManager, prefix: string): Promise<StreamsForPrefix> {
  const subject = `${prefix}.>`;
  const found: StreamsForPrefix = { partial: [] };
  try {
    for await (const name of jsm.streams.names(subject)) {
      const info = await jsm.streams.info(name);
      if (found.covering === undefined && streamCoversPrefix(info.config.subjects, prefix)) found.covering = info;
      else found.partial.push(info);
    }
  } catch (err) {
    throw describeJetStreamError(err, `finding the stream for ${subject}`);
  }
  return found;
}

/** One line: which streams store only part of `<prefix>.>`, and how to make one store all of it. */
export function describePartialStreams(partial: readonly StreamInfo[], prefix: string): string {
  const subject = `${prefix}.>`;
  const stores = partial.map((info) => `stream ${info.config.name} stores ${(info.config.subjects ?? []).join(", ") || "no subjects of its own"}`).join("; ");
  const first = partial[0]!.config.name;
  const hint =
    partial.length === 1
      ? `make it store every event type: nsm4home stream edit ${first} --subjects '${subject}'`
      : `remove the others' subjects under ${prefix}, then: nsm4home stream edit ${first} --subjects '${subject}'`;
  return `${stores}, not all of ${subject}: events of other types would be refused and retried forever; ${hint}`;
}
