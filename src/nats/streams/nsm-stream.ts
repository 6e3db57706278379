// The NSM stream (`<prefix>.>`, the defaults of stream-defaults.ts) as `ingest --create-stream` and `demo` create it.
import type { JetStreamManager } from "@nats-io/jetstream";
import { describeJetStreamError } from "../jetstream.js";
import { nsmStreamConfig } from "../stream-defaults.js";

export type NsmStreamConfig = ReturnType<typeof nsmStreamConfig> & { allow_msg_ttl?: boolean };

/** Creates the stream with the NSM defaults (and per-message TTLs allowed when asked); returns what was sent. */
export async function createNsmStream(jsm: JetStreamManager, name: string, prefix: string, opts: { allowMsgTtl?: boolean } = {}): Promise<NsmStreamConfig> {
  const config: NsmStreamConfig = nsmStreamConfig(name, prefix);
  if (opts.allowMsgTtl) config.allow_msg_ttl = true;
  try {
    await jsm.streams.add(config);
  } catch (err) {
    throw describeJetStreamError(err, `creating stream ${name}`);
  }
  return config;
}
