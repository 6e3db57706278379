// A validating scan of an EVE payload's bytes that builds only the fields a caller asks for. The dashboard ranks
// every event's top-N key at tens of thousands a second: decoding the whole ~650-byte event to text and
// JSON.parse-ing it was a quarter of its CPU, while the top-N reads four or five fields.
// The scan answers only when it is sure. Anything else (not JSON, nesting deeper than it tracks, a stray byte)
// gives undefined and the caller decodes the event the ordinary way, so what counts as an event and every error
// reason stay JSON.parse's. The one thing it must never do is accept what JSON.parse would refuse.
import type { EveEvent } from "./event.js";

/** Top-level members to build: `true` for the whole value; a list for, when the value is an object, only those members. */
export type FieldPlan = Record<string, true | readonly string[]>;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const IN_OBJECT = 1;
const IN_ARRAY = 2;
/** Deeper than any EVE event nests; a deeper payload is left to JSON.parse (which has no such limit). */
const MAX_DEPTH = 64;

const utf8 = new TextDecoder("utf-8");
const asciiEncoder = new TextEncoder();

function isHexDigit(c: number | undefined): boolean {
  return c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

export class FieldScanner {
  private readonly names: string[];
  private readonly keyBytes: Uint8Array[];
  /** Per planned key: its members' names and bytes, or undefined to build the whole value. */
  private readonly memberNames: (string[] | undefined)[];
  private readonly memberBytes: (Uint8Array[] | undefined)[];
  // Spans of the last occurrence of each planned key (JSON.parse keeps the last of a duplicated member).
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Per planned key with members: whether its last value was an object, and its members' spans. */
  private readonly objectValue: Uint8Array;
  private readonly memberStarts: Int32Array[];
  private readonly memberEnds: Int32Array[];
  private readonly stack = new Uint8Array(MAX_DEPTH + 1);

  constructor(plan: FieldPlan) {
    const entries = Object.entries(plan);
    for (const [name, want] of entries) for (const key of want === true ? [name] : [name, ...want]) checkPlanKey(key);
    this.names = entries.map(([name]) => name);
    this.keyBytes = this.names.map((name) => asciiEncoder.encode(name));
    this.memberNames = entries.map(([, want]) => (want === true ? undefined : [...want]));
    this.memberBytes = this.memberNames.map((names) => names?.map((name) => asciiEncoder.encode(name)));
    this.starts = new Int32Array(entries.length);
    this.ends = new Int32Array(entries.length);
    this.objectValue = new Uint8Array(entries.length);
    this.memberStarts = this.memberNames.map((names) => new Int32Array(names?.length ?? 0));
    this.memberEnds = this.memberNames.map((names) => new Int32Array(names?.length ?? 0));
  }

  /**
   * The payload's planned fields as an object holding only those (members absent from the event are absent here),
   * or undefined when the scan cannot vouch for the payload: then decode it with decodeEvent.
   */
  scan(payload: Uint8Array): EveEvent | undefined {
    // A plain view: element reads on a Buffer and its subarrays cost more.
    const b = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
    this.starts.fill(-1);
    return this.validate(b) ? this.build(b) : undefined;
  }

  /**
   * One pass over the whole payload, JSON's grammar checked byte by byte, noting the planned spans. Written as one
   * loop over local variables: split into methods it ran slower than JSON.parse.
   */
  private validate(b: Uint8Array): boolean {
    const n = b.length;
    const stack = this.stack;
    let p = 0;
    let c = 0;
    let depth = 0;
    /** The planned top-level key whose value is being read (-1 for none), where it starts. */
    let top = -1;
    let topStart = 0;
    /** Inside that key's value, an object with planned members: which member, where it starts. */
    let members: Uint8Array[] | undefined;
    let member = -1;
    let memberStart = 0;

    while (p < n && ((c = b[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p++;
    if (b[p] !== OPEN_OBJECT) return false;
    for (;;) {
      // A value starts at p (after whitespace), or a container opens.
      while (p < n && ((c = b[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p++;
      if (p >= n) return false;
      c = b[p]!;
      let opened = false;
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const isObject = c === OPEN_OBJECT;
        p++;
        while (p < n && ((c = b[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p++;
        if (isObject && depth === 1 && top >= 0) {
          members = this.memberBytes[top];
          if (members !== undefined) {
            this.objectValue[top] = 1;
            this.memberStarts[top]!.fill(-1);
          }
        }
        if (b[p] === (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) p++;
        else {
          if (depth === MAX_DEPTH) return false;
          stack[++depth] = isObject ? IN_OBJECT : IN_ARRAY;
          opened = true;
        }
      } else if (c === QUOTE) {
        p++;
        for (;;) {
          if (p >= n) return false;
          c = b[p++]!;
          if (c === QUOTE) break;
          if (c === BACKSLASH) {
            p = skipEscape(b, p);
            if (p < 0) return false;
          } else if (c < 0x20) return false; // JSON strings hold no raw control characters
        }
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        p = skipNumber(b, p);
        if (p < 0) return false;
      } else if (c === 0x74) {
        if (b[p + 1] !== 0x72 || b[p + 2] !== 0x75 || b[p + 3] !== 0x65) return false;
        p += 4;
      } else if (c === 0x66) {
        if (b[p + 1] !== 0x61 || b[p + 2] !== 0x6c || b[p + 3] !== 0x73 || b[p + 4] !== 0x65) return false;
        p += 5;
      } else if (c === 0x6e) {
        if (b[p + 1] !== 0x75 || b[p + 2] !== 0x6c || b[p + 3] !== 0x6c) return false;
        p += 4;
      } else {
        return false;
      }
      if (!opened) {
        // A value ended at p: note a planned one, then close what ends here; a comma starts the next one.
        for (;;) {
          if (depth === 0) {
            while (p < n && ((c = b[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p++;
            return p === n;
          }
          if (depth === 1 && top >= 0) {
            if (members === undefined && this.memberBytes[top] !== undefined) this.objectValue[top] = 0;
            this.starts[top] = topStart;
            this.ends[top] = p;
            top = -1;
            members = undefined;
          } else if (depth === 2 && member >= 0) {
            this.memberStarts[top]![member] = memberStart;
            this.memberEnds[top]![member] = p;
            member = -1;
          }
          while (p < n && ((c = b[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p++;
          c = b[p++]!;
          if (c === COMMA) break;
          if (c !== (stack[depth] === IN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) return false;
          depth--;
        }
        while (p < n && ((c = b[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p++;
      }
      if (stack[depth] !== IN_OBJECT) continue;
      // A member's name and colon.
      if (b[p] !== QUOTE) return false;
      const keyStart = ++p;
      let escaped = false;
      for (;;) {
        if (p >= n) return false;
        c = b[p++]!;
        if (c === QUOTE) break;
        if (c === BACKSLASH) {
          escaped = true;
          p = skipEscape(b, p);
          if (p < 0) return false;
        } else if (c < 0x20) return false;
      }
      const keyEnd = p - 1;
      while (p < n && ((c = b[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p++;
      if (b[p++] !== COLON) return false;
      while (p < n && ((c = b[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p++;
      if (depth === 1) {
        top = matchKey(b, keyStart, keyEnd, escaped, this.keyBytes);
        topStart = p;
        members = undefined;
      } else if (depth === 2 && members !== undefined) {
        member = matchKey(b, keyStart, keyEnd, escaped, members);
        memberStart = p;
      }
    }
  }

  private build(b: Uint8Array): EveEvent {
    const event: EveEvent = {};
    for (let k = 0; k < this.names.length; k++) {
      const start = this.starts[k]!;
      if (start < 0) continue;
      const names = this.memberNames[k];
      if (names === undefined || this.objectValue[k] === 0) {
        event[this.names[k]!] = valueAt(b, start, this.ends[k]!);
        continue;
      }
      const object: Record<string, unknown> = {};
      const starts = this.memberStarts[k]!;
      const ends = this.memberEnds[k]!;
      for (let m = 0; m < names.length; m++) if (starts[m]! >= 0) object[names[m]!] = valueAt(b, starts[m]!, ends[m]!);
      event[this.names[k]!] = object;
    }
    return event;
  }
}

function checkPlanKey(name: string): void {
  if (!/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(name)) throw new Error(`field plan key ${JSON.stringify(name)} must be printable ASCII`);
}

/** After a backslash at p-1: the index past a valid escape, or -1. */
function skipEscape(b: Uint8Array, p: number): number {
  const e = b[p];
  if (e === 0x75) {
    return isHexDigit(b[p + 1]) && isHexDigit(b[p + 2]) && isHexDigit(b[p + 3]) && isHexDigit(b[p + 4]) ? p + 5 : -1;
  }
  // \" \\ \/ \b \f \n \r \t
  return e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74 ? p + 1 : -1;
}

/** A number starting at p: the index past it, or -1 when it is not JSON's grammar. */
function skipNumber(b: Uint8Array, p: number): number {
  if (b[p] === MINUS) p++;
  if (b[p] === ZERO) p++;
  else if (isDigit(b[p])) while (isDigit(b[p])) p++;
  else return -1;
  if (b[p] === DOT) {
    p++;
    if (!isDigit(b[p])) return -1;
    while (isDigit(b[p])) p++;
  }
  if (b[p] === 0x65 || b[p] === 0x45) {
    p++;
    if (b[p] === PLUS || b[p] === MINUS) p++;
    if (!isDigit(b[p])) return -1;
    while (isDigit(b[p])) p++;
  }
  return p;
}

/** Which of `keys` the member name at [start, end) is, or -1. */
function matchKey(b: Uint8Array, start: number, end: number, escaped: boolean, keys: Uint8Array[]): number {
  if (escaped) {
    // "\u0064ns" is "dns" to JSON.parse.
    const name = JSON.parse(utf8.decode(b.subarray(start - 1, end + 1))) as string;
    return keys.findIndex((k) => utf8.decode(k) === name);
  }
  const length = end - start;
  next: for (let k = 0; k < keys.length; k++) {
    const kb = keys[k]!;
    if (kb.length !== length) continue;
    for (let i = 0; i < length; i++) if (b[start + i] !== kb[i]) continue next;
    return k;
  }
  return -1;
}


function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

// Node's Buffer reads ASCII bytes into a string in one native call, a third of TextDecoder's cost on short strings.
const latin1Slice = (Buffer.prototype as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;

/** The text of bytes known to be ASCII. */
function asciiText(b: Uint8Array, start: number, end: number): string {
  return latin1Slice === undefined ? utf8.decode(b.subarray(start, end)) : latin1Slice.call(b, start, end);
}

/** The value of a span the scan found valid: plain strings and numbers without a second decode. */
function valueAt(b: Uint8Array, start: number, end: number): unknown {
  const c = b[start]!;
  if (c === QUOTE) {
    let i = start + 1;
    while (i < end - 1 && b[i]! < 0x80 && b[i] !== BACKSLASH) i++;
    if (i === end - 1) return asciiText(b, start + 1, end - 1);
  } else if (c === MINUS || isDigit(c)) {
    // A JSON number's text means the same to Number() as to JSON.parse.
    return Number(asciiText(b, start, end));
  }
  return JSON.parse(utf8.decode(b.subarray(start, end)));
}
