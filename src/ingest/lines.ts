// Splits a byte stream into lines (NDJSON, eve.json) without decoding it, and knows the byte offset after each
// line, so a file follower can checkpoint exactly behind the last line that NATS acknowledged.

const NEWLINE = 0x0a;
const CR = 0x0d;

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface LineSink {
  (line: Buffer, endOffset: number): void;
}

/**
 * Windows-made files start with a UTF-8 byte order mark, and `cat a.json b.json` puts one mid-stream: as part of
 * the line it makes valid JSON "not JSON" for every reader downstream. Offsets still count it.
 */
function withoutBom(line: Buffer): Buffer {
  return line.length >= 3 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? line.subarray(3) : line;
}

function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  }
  return true;
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Offset of the first byte not yet part of an emitted (or skipped) line. */
  private base: number;
  /** Inside a line longer than maxLineBytes: drop bytes until its newline. */
  private skipping = false;

  constructor(
    startOffset = 0,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
    private readonly onOverlong?: (bytes: number) => void,
  ) {
    this.base = startOffset;
  }

  /** Bytes held after the last newline: an incomplete line. */
  get pendingBytes(): number {
    return this.pendingLength;
  }

  /** Offset just after the last complete line seen. */
  get offset(): number {
    return this.base;
  }

  reset(offset: number): void {
    this.pending = [];
    this.pendingLength = 0;
    this.base = offset;
    this.skipping = false;
  }

  /** Calls `sink` for every complete, non-blank line in `chunk` (plus what was pending), without the line break. */
  push(chunk: Buffer, sink: LineSink): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      let line: Buffer;
      if (this.pendingLength > 0) {
        line = Buffer.concat([...this.pending, chunk.subarray(start, nl)]);
        this.pending = [];
        this.pendingLength = 0;
      } else {
        line = chunk.subarray(start, nl);
      }
      this.base += line.length + 1;
      start = nl + 1;
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
      const text = withoutBom(end === line.length ? line : line.subarray(0, end));
      if (!isBlank(text)) sink(text, this.base);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.skipping) {
        this.base += rest.length;
        return;
      }
      // Copied: a short tail must not keep the whole chunk alive. Callers hand over chunks they do not reuse.
      this.pending.push(Buffer.from(rest));
      this.pendingLength += rest.length;
      if (this.pendingLength > this.maxLineBytes) {
        this.onOverlong?.(this.pendingLength);
        this.base += this.pendingLength;
        this.pending = [];
        this.pendingLength = 0;
        this.skipping = true;
      }
    }
  }

  /** The incomplete last line (end of stdin, a rotated file that will not grow), emitted as a line if not blank. */
  flush(sink: LineSink): void {
    if (this.pendingLength === 0) return;
    const line = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingLength = 0;
    this.base += line.length;
    const text = withoutBom(line);
    if (!this.skipping && !isBlank(text)) sink(text, this.base);
    this.skipping = false;
  }
}
