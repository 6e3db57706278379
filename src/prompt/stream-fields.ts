// The questions `stream add` asks on a terminal; each is checked by the parser of the flag that answers it.
import { parseCount, parseSize } from "../text/units.js";
import { nsmStreamConfig } from "../nats/stream-defaults.js";
import { durationFlagText, parseDiscard, parseLimitDurationNs, parseMaxMsgSize, parsePositiveDurationNs, parseReplicas, parseRetention, parseStorage } from "../nats/streams/index.js";
import { checkSubject } from "../nats/subjects.js";
import type { PromptField } from "./fields.js";

/** The questions `stream add` asks on a terminal; defaults are the NSM pipeline's (src/nats/stream-defaults.ts). */
export function streamPromptFields(): PromptField[] {
  const d = nsmStreamConfig();
  const unlimited = (n: number) => (n < 0 || n === 0 ? "unlimited" : String(n));
  return [
    { key: "subjects", flag: "--subjects", label: "Subjects", hint: "comma separated", defaultText: d.subjects.join(","), list: true, check: (t) => t.split(/[\s,]+/).filter(Boolean).forEach((s) => checkSubject(s, "--subjects")) },
    { key: "storage", flag: "--storage", label: "Storage", hint: "file|memory", defaultText: d.storage, check: parseStorage },
    { key: "retention", flag: "--retention", label: "Retention", hint: "limits|interest|work", defaultText: d.retention, check: parseRetention },
    { key: "discard", flag: "--discard", label: "Discard policy", hint: "old|new", defaultText: d.discard, check: parseDiscard },
    { key: "maxAge", flag: "--max-age", label: "Maximum age", hint: "e.g. 7d, 90d, unlimited", defaultText: unlimited(d.max_age), check: (t) => parseLimitDurationNs(t, "--max-age") },
    { key: "maxBytes", flag: "--max-bytes", label: "Maximum bytes", hint: "e.g. 10GiB, unlimited", defaultText: unlimited(d.max_bytes), check: (t) => parseSize(t, "--max-bytes") },
    { key: "maxMsgs", flag: "--max-msgs", label: "Maximum messages", hint: "e.g. 1000000, unlimited", defaultText: unlimited(d.max_msgs), check: (t) => parseCount(t, "--max-msgs", true) },
    { key: "maxMsgsPerSubject", flag: "--max-msgs-per-subject", label: "Maximum messages per subject", defaultText: unlimited(d.max_msgs_per_subject), check: (t) => parseCount(t, "--max-msgs-per-subject", true) },
    { key: "maxMsgSize", flag: "--max-msg-size", label: "Maximum message size", hint: "e.g. 1MiB, unlimited", defaultText: unlimited(d.max_msg_size), check: parseMaxMsgSize },
    { key: "dupeWindow", flag: "--dupe-window", label: "Duplicate window", hint: "e.g. 2m", defaultText: durationFlagText(d.duplicate_window), check: (t) => parsePositiveDurationNs(t, "--dupe-window") },
    { key: "replicas", flag: "--replicas", label: "Replicas", hint: "1-5", defaultText: String(d.num_replicas), check: parseReplicas },
  ];
}
