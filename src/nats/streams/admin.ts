// Talking to JetStream about streams: info, idempotent add, update, list, rm, purge, per-subject counts and
// single messages, every failure turned into a line a user can act on.
import type { JetStreamManager, MsgRequest, PurgeOpts, PurgeResponse, StoredMsg, StreamConfig, StreamInfo } from "@nats-io/jetstream";
import { RuntimeError, UsageError } from "../../errors.js";
import { parseCount } from "../../text/units.js";
import { diffConfig, type ConfigChange } from "../config-diff.js";
import { describeJetStreamError, ERR_STREAM_NOT_FOUND, isStreamNotFound } from "../jetstream.js";
export { ERR_STREAM_NOT_FOUND, isStreamNotFound };
import { checkSubject } from "../subjects.js";
import { checkStreamName } from "../names.js";
import type { WantedStreamConfig } from "./config.js";
import { showStreamValue } from "./edit.js";


const streamNotFound = (name: string) =>
  new RuntimeError(`stream '${name}' not found (err_code ${ERR_STREAM_NOT_FOUND}); 'nsm4home stream ls' lists the streams`);

/** Stream info, or a one-line "stream 'x' not found" (err_code 10059) naming how to list the streams. */
export async function streamInfo(jsm: JetStreamManager, name: string, opts?: { subjects_filter?: string }): Promise<StreamInfo> {
  checkStreamName(name);
  try {
    return await jsm.streams.info(name, opts);
  } catch (err) {
    if (isStreamNotFound(err)) throw streamNotFound(name);
    throw describeJetStreamError(err, `stream info ${name}`);
  }
}

export async function findStream(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  checkStreamName(name);
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (isStreamNotFound(err)) return undefined;
    throw describeJetStreamError(err, `stream info ${name}`);
  }
}

/** The stream whose subjects capture `subject`; undefined when no stream does. */
export async function findStreamStoring(jsm: JetStreamManager, subject: string): Promise<string | undefined> {
  try {
    return await jsm.streams.find(subject);
  } catch (err) {
    if (/no stream matches/i.test((err as Error)?.message ?? "")) return undefined;
    throw describeJetStreamError(err, `finding the stream for ${subject}`);
  }
}

export type AddStreamOutcome =
  | { kind: "created"; info: StreamInfo }
  | { kind: "same"; info: StreamInfo }
  | { kind: "different"; info: StreamInfo; changes: ConfigChange[] };

/** Creates the stream, or says whether an existing one already has the wanted configuration. */
export async function addStream(jsm: JetStreamManager, wanted: WantedStreamConfig): Promise<AddStreamOutcome> {
  checkStreamName(wanted.name);
  const existing = await findStream(jsm, wanted.name);
  if (existing) {
    const changes = diffConfig(existing.config, wanted, ["name"]);
    return changes.length === 0 ? { kind: "same", info: existing } : { kind: "different", info: existing, changes };
  }
  try {
    return { kind: "created", info: await jsm.streams.add(wanted) };
  } catch (err) {
    throw describeJetStreamError(err, `stream add ${wanted.name}`);
  }
}


export async function updateStream(jsm: JetStreamManager, name: string, config: Partial<StreamConfig>): Promise<StreamInfo> {
  let updated: StreamInfo;
  try {
    updated = await jsm.streams.update(name, config);
  } catch (err) {
    throw describeJetStreamError(err, `stream edit ${name}`);
  }
  // A sealed stream's update is answered with success and the old settings: compare rather than trust the answer.
  const kept = diffConfig(updated.config, config, ["sealed"]);
  if (kept.length > 0) {
    const what = kept.map((c) => `${c.field} ${showStreamValue(c.field, c.from)}`).join(", ");
    const why = updated.config.sealed ? " (the stream is sealed: its settings can no longer change)" : "";
    throw new RuntimeError(`stream edit ${name}: the server answered but kept ${what}${why}`);
  }
  return updated;
}

export async function listStreams(jsm: JetStreamManager, subject?: string): Promise<StreamInfo[]> {
  const out: StreamInfo[] = [];
  try {
    for await (const si of jsm.streams.list(subject)) out.push(si);
  } catch (err) {
    throw describeJetStreamError(err, "stream ls");
  }
  return out.sort((a, b) => (a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : 0));
}

export async function deleteStream(jsm: JetStreamManager, name: string): Promise<void> {
  await streamInfo(jsm, name);
  try {
    await jsm.streams.delete(name);
  } catch (err) {
    throw describeJetStreamError(err, `stream rm ${name}`);
  }
}

export interface PurgeFlags {
  subject?: string;
  seq?: string;
  keep?: string;
}

/** The purge request for the flags: everything, one subject, below a sequence, or all but the last N. */
export function purgeOptions(flags: PurgeFlags): PurgeOpts | undefined {
  if (flags.seq !== undefined && flags.keep !== undefined) throw new UsageError("--seq and --keep do not go together: purge below a sequence, or keep the last N");
  const filter = flags.subject === undefined ? undefined : checkSubject(flags.subject, "--subject");
  if (flags.seq !== undefined) {
    const seq = parseCount(flags.seq, "--seq");
    if (seq < 1) throw new UsageError(`invalid --seq '${flags.seq}': use a sequence of 1 or more`);
    return filter === undefined ? { seq } : { seq, filter };
  }
  if (flags.keep !== undefined) {
    const keep = parseCount(flags.keep, "--keep");
    return filter === undefined ? { keep } : { keep, filter };
  }
  return filter === undefined ? undefined : { filter };
}

export async function purgeStream(jsm: JetStreamManager, name: string, opts: PurgeOpts | undefined): Promise<PurgeResponse> {
  await streamInfo(jsm, name);
  try {
    return await jsm.streams.purge(name, opts);
  } catch (err) {
    throw describeJetStreamError(err, `stream purge ${name}`);
  }
}

export interface SubjectCount {
  subject: string;
  messages: number;
  /** When the subject's oldest stored message was stored (ISO 8601); absent past OLDEST_LOOKUP_LIMIT subjects. */
  oldest?: string;
}

/** Subjects whose oldest message is looked up (one request each): a census of event types, not of every host. */
export const OLDEST_LOOKUP_LIMIT = 200;

/** Messages per subject (most first) from the stream's own index, and when each subject's oldest message was stored. */
export async function subjectCounts(jsm: JetStreamManager, name: string, filter = ">"): Promise<SubjectCount[]> {
  checkSubject(filter, "FILTER");
  const info = await streamInfo(jsm, name, { subjects_filter: filter });
  const counts: SubjectCount[] = Object.entries(info.state.subjects ?? {})
    .map(([subject, messages]) => ({ subject, messages }))
    .sort((a, b) => b.messages - a.messages || (a.subject < b.subject ? -1 : 1));
  // How far back each event type reaches (retention per type: ingest --ttl): its first message from the stream's first.
  const looked = counts.slice(0, OLDEST_LOOKUP_LIMIT);
  for (let i = 0; i < looked.length; i += 16) {
    await Promise.all(
      looked.slice(i, i + 16).map(async (c) => {
        const query = { seq: info.state.first_seq, next_by_subj: c.subject } as unknown as MsgRequest;
        const msg = await jsm.streams.getMessage(name, query).catch(() => null);
        if (msg !== null) c.oldest = msg.time.toISOString();
      }),
    );
  }
  return counts;
}

export type MessageQuery = { seq: number } | { lastFor: string };

export async function getStreamMessage(jsm: JetStreamManager, name: string, query: MessageQuery): Promise<StoredMsg> {
  checkStreamName(name);
  let msg: StoredMsg | null;
  try {
    msg = await jsm.streams.getMessage(name, "seq" in query ? { seq: query.seq } : { last_by_subj: query.lastFor });
  } catch (err) {
    if (isStreamNotFound(err)) throw streamNotFound(name);
    throw describeJetStreamError(err, `stream get ${name}`);
  }
  if (msg === null) {
    throw new RuntimeError(
      "seq" in query
        ? `no message with sequence ${query.seq} in stream '${name}' (err_code 10037): it was never written, deleted or aged out`
        : `no message on subject '${query.lastFor}' in stream '${name}' (err_code 10037)`,
    );
  }
  return msg;
}

