// Batched output for commands that print one line per message (tail, stream view). Lines collect in memory and
// leave in one write per turn of the event loop; while the stream is full (a slow pipe reader), they keep
// collecting until 'drain', and `backlog()` tells the caller how much is waiting so it can slow down or drop.

/** The part of a Writable the writer needs (process.stdout, a net.Socket, a file stream). */
export interface LineSink {
  write(chunk: string | Uint8Array, cb?: (err?: Error | null) => void): boolean;
  on(event: "drain" | "close" | "error", listener: (...args: unknown[]) => void): unknown;
  readonly writableLength?: number;
  readonly destroyed?: boolean;
}

export interface LineWriterOptions {
  /** Default: process.stdout. */
  sink?: LineSink;
  /** Flush at once when this many characters are waiting, instead of at the end of the turn. */
  flushAt?: number;
}

const DEFAULT_FLUSH_AT = 256 * 1024;

export class LineWriter {
  private readonly sink: LineSink;
  private readonly flushAt: number;
  /** Text (or byte) chunks waiting for the next write; bytes keep payloads exactly as received. */
  private chunks: Array<string | Uint8Array> = [];
  private text = "";
  private waitingLength = 0;
  private hasBytes = false;
  private waitingForDrain = false;
  private flushScheduled = false;
  private closed = false;
  private written = 0;
  private drainWaiters: Array<() => void> = [];

  constructor(options: LineWriterOptions = {}) {
    this.sink = options.sink ?? process.stdout;
    this.flushAt = options.flushAt ?? DEFAULT_FLUSH_AT;
    const wake = () => {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    };
    const gone = () => {
      this.closed = true;
      wake();
    };
    this.sink.on("drain", wake);
    this.sink.on("close", gone);
    this.sink.on("error", gone);
  }

  /** Queues one line (a newline is added). */
  writeLine(line: string): void {
    if (this.closed) return;
    if (this.hasBytes) {
      this.chunks.push(line + "\n");
    } else {
      // String concatenation builds a rope: cheaper than an array join for many short lines.
      this.text += line + "\n";
    }
    this.waitingLength += line.length + 1;
    this.afterQueue();
  }

  /** Queues bytes as they are followed by a newline (for payloads passed through unchanged). */
  writeBytesLine(bytes: Uint8Array): void {
    if (this.closed) return;
    if (!this.hasBytes) {
      if (this.text !== "") this.chunks.push(this.text);
      this.text = "";
      this.hasBytes = true;
    }
    // A copy: the payload may be a view into the connection's read buffer, which is reused.
    this.chunks.push(Buffer.from(bytes), "\n");
    this.waitingLength += bytes.length + 1;
    this.afterQueue();
  }

  /** Characters (about bytes) not yet taken by the OS: ours plus what the stream itself still holds. */
  backlog(): number {
    return this.waitingLength + (this.sink.writableLength ?? 0);
  }

  /** Lines handed to the stream so far, in characters. */
  writtenLength(): number {
    return this.written;
  }

  /** True once the reader went away (EPIPE, closed stream): further lines are discarded. */
  isClosed(): boolean {
    return this.closed || this.sink.destroyed === true;
  }

  /** Writes what is waiting now (if the stream takes it) and resolves when the stream has handed it all over. */
  async drain(): Promise<void> {
    while (!this.isClosed() && (this.waitingLength > 0 || this.waitingForDrain)) {
      if (!this.waitingForDrain) this.flush();
      if (this.waitingForDrain) await new Promise<void>((resolve) => this.onDrainOrClose(resolve));
    }
    if (this.isClosed()) return;
    // The stream may still hold data that write() accepted; the callback of an empty write fires after it.
    await new Promise<void>((resolve) => {
      if ((this.sink.writableLength ?? 0) === 0) resolve();
      else this.sink.write("", () => resolve());
    });
  }

  private afterQueue(): void {
    if (this.waitingForDrain) return;
    if (this.waitingLength >= this.flushAt) {
      this.flush();
      return;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (!this.waitingForDrain) this.flush();
      });
    }
  }

  private takeChunk(): string | Uint8Array {
    if (!this.hasBytes) {
      const text = this.text;
      this.text = "";
      return text;
    }
    const parts = this.chunks.map((c) => (typeof c === "string" ? Buffer.from(c, "utf8") : c));
    this.chunks = [];
    this.hasBytes = false;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  private flush(): void {
    if (this.waitingLength === 0 || this.isClosed()) return;
    const chunk = this.takeChunk();
    this.written += this.waitingLength;
    this.waitingLength = 0;
    let ok: boolean;
    try {
      ok = this.sink.write(chunk);
    } catch {
      // A synchronous EPIPE on some stream types: the reader is gone.
      this.closed = true;
      return;
    }
    if (!ok) {
      this.waitingForDrain = true;
      this.onDrainOrClose(() => {
        this.waitingForDrain = false;
        if (this.waitingLength > 0) this.flush();
      });
    }
  }

  private onDrainOrClose(fn: () => void): void {
    if (this.isClosed()) fn();
    else this.drainWaiters.push(fn);
  }
}
