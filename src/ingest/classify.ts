// Which subject an item goes to, and the Nats-Msg-Id that lets JetStream drop it when it is sent twice.
import * as crypto from "node:crypto";
import { isPlainToken, MAX_EVENT_TYPE_LENGTH } from "../nats/subjects.js";

export type ItemKind = "event" | "unknown" | "invalid";

export interface ClassifiedItem {
  kind: ItemKind;
  subject: string;
  /** The event_type as found (unknown kind) or why the item is not an event (invalid kind). */
  detail?: string;
}

// Shared: a TextDecoder per item is measurable at tens of thousands of items a second.
const utf8 = new TextDecoder("utf-8");

/** `<prefix>.<event_type>`; a missing, non-string or unsafe event_type goes to `<prefix>.unknown`. */
export function subjectForEventType(prefix: string, eventType: unknown): string {
  return typeof eventType === "string" && isPlainToken(eventType, MAX_EVENT_TYPE_LENGTH) ? `${prefix}.${eventType}` : `${prefix}.unknown`;
}

function firstNonSpace(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  }
  return -1;
}

/** Parses once to decide: a JSON object is an event (or unknown, by its event_type); anything else is invalid. */
export function classifyItem(bytes: Uint8Array, prefix: string): ClassifiedItem {
  const first = firstNonSpace(bytes);
  if (first === -1) return { kind: "invalid", subject: `${prefix}.invalid`, detail: "empty" };
  // Cheap rejection first: only text starting with '{' can be an event object.
  if (first !== 0x7b) return { kind: "invalid", subject: `${prefix}.invalid`, detail: "not a JSON object" };
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    return { kind: "invalid", subject: `${prefix}.invalid`, detail: "not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "invalid", subject: `${prefix}.invalid`, detail: "not a JSON object" };
  }
  const eventType = (value as Record<string, unknown>).event_type;
  const subject = subjectForEventType(prefix, eventType);
  if (subject.endsWith(".unknown") && eventType !== "unknown") {
    return { kind: "unknown", subject, detail: eventType === undefined ? "no event_type" : "unsafe event_type" };
  }
  return { kind: "event", subject };
}

const oneShotHash = (crypto as { hash?: (alg: string, data: Uint8Array, enc: "base64url") => string }).hash;

/**
 * The Nats-Msg-Id of an item: 132 bits of its SHA-256, so a re-sent item (after a crash, a retry or a resync)
 * carries the same id and JetStream stores it once within the stream's duplicate window.
 */
export function messageIdFor(bytes: Uint8Array): string {
  const digest = oneShotHash ? oneShotHash("sha256", bytes, "base64url") : crypto.createHash("sha256").update(bytes).digest("base64url");
  return digest.slice(0, 22);
}
