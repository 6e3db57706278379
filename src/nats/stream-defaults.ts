// The NSM pipeline's stream, as `stream add --defaults`, `ingest --create-stream` and `demo` all create it.
export const DEFAULT_STREAM_NAME = "suricata";
export const DEFAULT_SUBJECT_PREFIX = "suricata";

/** JetStream StreamConfig fields (API names) for the default stream; durations in nanoseconds as the API takes them. */
export function nsmStreamConfig(name = DEFAULT_STREAM_NAME, prefix = DEFAULT_SUBJECT_PREFIX) {
  return {
    name,
    subjects: [`${prefix}.>`],
    storage: "file" as const,
    retention: "limits" as const,
    discard: "old" as const,
    duplicate_window: 2 * 60 * 1_000_000_000,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    max_msgs_per_subject: -1,
    max_msg_size: -1,
    num_replicas: 1,
  };
}
