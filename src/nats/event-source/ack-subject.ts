// JetStream ack subjects carry each message's metadata; parsing them ourselves avoids the library's per-message
// objects on the replay hot path.

export interface AckInfo {
  streamSeq: number;
  deliverySeq: number;
  /** Messages left for this consumer after this one. */
  pending: number;
  /** Stored time, epoch ms. */
  timeMs: number;
}

/** Decimal digits of `s` from `start` to `end` as a number; NaN when anything else is there. */
function digits(s: string, start: number, end: number): number {
  if (end <= start) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

const MAX_ACK_TOKENS = 16;
const dots = new Int32Array(MAX_ACK_TOKENS);
/** Filled by parseAckSubject on every call: one object for the whole replay instead of one per message. */
const ackInfo: AckInfo = { streamSeq: 0, deliverySeq: 0, pending: 0, timeMs: 0 };

/**
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>`, or the v2 form with domain, account
 * hash and a trailing token. Scanned in place: split() would allocate a dozen strings per message. The result is
 * the same object every time: read it before the next call.
 */
export function parseAckSubject(reply: string): AckInfo | undefined {
  let count = 0;
  for (let i = reply.indexOf("."); i !== -1; i = reply.indexOf(".", i + 1)) {
    if (count === MAX_ACK_TOKENS - 1) return undefined;
    dots[count++] = i;
  }
  // Token k spans (dots[k-1], dots[k]); the last token ends at the end of the string.
  let base: number;
  if (count === 8) base = 5;
  else if (count >= 10) base = 7;
  else return undefined;
  const streamSeq = digits(reply, dots[base - 1]! + 1, dots[base]!);
  const deliverySeq = digits(reply, dots[base]! + 1, dots[base + 1]!);
  const pending = digits(reply, dots[base + 2]! + 1, base + 3 < count ? dots[base + 3]! : reply.length);
  if (Number.isNaN(streamSeq) || Number.isNaN(deliverySeq) || Number.isNaN(pending)) return undefined;
  ackInfo.streamSeq = streamSeq;
  ackInfo.deliverySeq = deliverySeq;
  ackInfo.pending = pending;
  // Nanoseconds exceed 2^53: the digits fold into a double, precise to well under a millisecond.
  ackInfo.timeMs = digits(reply, dots[base + 1]! + 1, dots[base + 2]!) / 1e6;
  return ackInfo;
}

/**
 * The numbers after `prefixLength` bytes of an ack subject held as bytes (`<delivered>.<sseq>.<dseq>.<ts>.<pending>`,
 * the v1 form whose prefix, `$JS.ACK.<stream>.<consumer>.`, the caller knows). Into the shared result; undefined
 * when the bytes are not exactly that (the caller then parses the string).
 */
export function parseAckBytes(bytes: Uint8Array, prefixLength: number): AckInfo | undefined {
  const end = bytes.length;
  if (prefixLength >= end || bytes[prefixLength - 1] !== 46 || bytes[0] !== 36) return undefined;
  let i = prefixLength;
  let token = 0;
  let n = 0;
  let digitsSeen = 0;
  let streamSeq = 0;
  let deliverySeq = 0;
  let ts = 0;
  for (; i <= end; i++) {
    const c = i < end ? bytes[i]! : 46;
    if (c === 46) {
      if (digitsSeen === 0) return undefined;
      if (token === 1) streamSeq = n;
      else if (token === 2) deliverySeq = n;
      else if (token === 3) ts = n;
      else if (token === 4) {
        if (i !== end) return undefined;
        ackInfo.streamSeq = streamSeq;
        ackInfo.deliverySeq = deliverySeq;
        ackInfo.timeMs = ts / 1e6;
        ackInfo.pending = n;
        return ackInfo;
      }
      token++;
      n = 0;
      digitsSeen = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
    digitsSeen++;
  }
  return undefined;
}

/** Subjects decoded once: live and replay see the same few subjects (one per event type) over and over. */
export class SubjectCache {
  private readonly bytes: Uint8Array[] = [];
  private readonly texts: string[] = [];
  private readonly decoder = new TextDecoder();

  text(b: Uint8Array): string {
    const n = b.length;
    outer: for (let k = 0; k < this.bytes.length; k++) {
      const c = this.bytes[k]!;
      if (c.length !== n) continue;
      // From the end: subjects share their prefix and differ in the last token.
      for (let i = n - 1; i >= 0; i--) if (c[i] !== b[i]) continue outer;
      return this.texts[k]!;
    }
    const text = this.decoder.decode(b);
    if (this.bytes.length < 32) {
      this.bytes.push(b.slice());
      this.texts.push(text);
    }
    return text;
  }

  /** A message's subject, from its raw bytes when nats.js still holds them (see RawMsg). */
  of(msg: { subject: string }): string {
    const bytes = (msg as unknown as RawMsg)._msg?.subject;
    return bytes instanceof Uint8Array ? this.text(bytes) : msg.subject;
  }
}

/** nats.js 3.3 keeps a message's subject and reply as bytes until asked (MsgImpl._msg); read them there if so. */
export interface RawMsg {
  _msg?: { subject?: unknown; reply?: unknown };
}

/** What a push consumer's delivery says about itself, as `nats sub` shows it. */
export interface DeliveryMetadata {
  /** JetStream domain (v2 ack subjects), absent for none. */
  domain?: string;
  stream: string;
  consumer: string;
  /** How many times this message was delivered (1 the first time). */
  delivered: number;
  streamSeq: number;
  consumerSeq: number;
  /** Stored time, epoch ms. */
  timeMs: number;
  /** Messages left for the consumer after this one. */
  pending: number;
}

const NAME_TOKEN = /^[^\s.*>]{1,255}$/;

/**
 * The whole of an ack reply subject, strictly: `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>`
 * (v1, 9 tokens) or `$JS.ACK.<domain>.<account hash>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>[.<token>]`
 * (v2, 11 or more; domain `_` is none). Anyone who can publish to a delivery subject can choose the reply: names
 * come back as given (escape them before printing) and anything else malformed gives undefined.
 */
export function parseDeliveryMetadata(reply: string): DeliveryMetadata | undefined {
  const t = reply.split(".");
  if (t.length > MAX_ACK_TOKENS || t[0] !== "$JS" || t[1] !== "ACK") return undefined;
  let base: number;
  let domain: string | undefined;
  if (t.length === 9) base = 2;
  else if (t.length >= 11) {
    base = 4;
    domain = t[2] === "_" || t[2] === "" ? undefined : t[2];
  } else return undefined;
  const stream = t[base]!;
  const consumer = t[base + 1]!;
  if (!NAME_TOKEN.test(stream) || !NAME_TOKEN.test(consumer)) return undefined;
  const num = (k: number) => {
    const s = t[base + k]!;
    return /^\d{1,20}$/.test(s) ? Number(s) : NaN;
  };
  const [delivered, streamSeq, consumerSeq, ts, pending] = [num(2), num(3), num(4), num(5), num(6)];
  if ([delivered, streamSeq, consumerSeq, ts, pending].some(Number.isNaN)) return undefined;
  const meta: DeliveryMetadata = { stream, consumer, delivered, streamSeq, consumerSeq, timeMs: ts / 1e6, pending };
  if (domain !== undefined) meta.domain = domain;
  return meta;
}

/** True when raw reply bytes start with `$JS.ACK.`: checked per live message without decoding anything. */
export function isAckReplyBytes(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 36 && b[1] === 74 && b[2] === 83 && b[3] === 46 && b[4] === 65 && b[5] === 67 && b[6] === 75 && b[7] === 46;
}
