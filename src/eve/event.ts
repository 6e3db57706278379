// One EVE message as it arrives (bytes from NATS, a line from a file) turned into an event object, or into a
// reason why it is not one. Decoding never throws: bad input is shown, not dropped.

/** A Suricata EVE event. Every field is optional and may have an unexpected type: read it through types.ts. */
export type EveEvent = {
  event_type?: string;
  timestamp?: string;
  src_ip?: string;
  src_port?: number;
  dest_ip?: string;
  dest_port?: number;
  proto?: string;
  app_proto?: string;
  host?: string;
  [k: string]: unknown;
};

export type DecodedMessage =
  | { ok: true; event: EveEvent; raw: string }
  | { ok: false; raw: string; reason: string };

// Shared: constructing a TextDecoder per message is measurable at tens of thousands of messages a second.
// Not fatal: invalid UTF-8 becomes U+FFFD so the rest of the event is still readable.
const utf8 = new TextDecoder("utf-8");

function describeNonObject(value: unknown): string {
  if (Array.isArray(value)) return "JSON array, not an event object";
  if (value === null) return "JSON null, not an event object";
  return `JSON ${typeof value}, not an event object`;
}

/** Decodes one payload with a single JSON.parse. `raw` is the decoded text, for showing invalid messages. */
export function decodeEvent(payload: Uint8Array | string): DecodedMessage {
  const raw = typeof payload === "string" ? payload : utf8.decode(payload);
  if (raw.trim() === "") return { ok: false, raw, reason: "empty" };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, raw, reason: "not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, raw, reason: describeNonObject(value) };
  }
  return { ok: true, event: value as EveEvent, raw };
}
