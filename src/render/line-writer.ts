// Batched output for commands that print one line per message (tail, stream view). Lines are encoded straight into
// a reused block of bytes (no joined string to flatten and encode again: that cost more than formatting the line),
// sealed about every 64 KiB, and leave in as few system calls as possible.
//
// Standard output is written with non-blocking fs.writeSync calls on the descriptor, not through process.stdout:
// under a flood of incoming messages libuv reads the socket many times per loop turn but writes a pipe only once,
// so a stream-based writer falls behind a reader that is perfectly fast. Here every sealed block tries to write at
// once; when the pipe is full (EAGAIN) the rest waits and is retried, and `backlog()` says how much is waiting so
// the caller can pause (replay) or drop and count (live).
import { writeSync, writevSync } from "node:fs";
import { exitOnOutputError, isClosedReader } from "./output-error.js";

/** A Writable to write to instead of a descriptor (tests, in-process consumers). */
export interface LineSink {
  write(chunk: Uint8Array, cb?: (err?: Error | null) => void): boolean;
  on(event: "drain" | "close" | "error", listener: (...args: unknown[]) => void): unknown;
  readonly writableLength?: number;
}

export interface LineWriterOptions {
  /** Descriptor to write (default 1, standard output); ignored when `sink` is given. */
  fd?: number;
  sink?: LineSink;
  /** Called once when the reader went away (EPIPE); further lines are discarded. */
  onClose?: () => void;
  /** Called for a write failure other than EPIPE (ENOSPC, EIO...); default: one line on stderr, exit 1. */
  onWriteError?: (err: unknown) => void;
}

const BLOCK_BYTES = 64 * 1024;
const RETRY_MS = 1;
const MAX_IOV = 256;

export class LineWriter {
  private readonly fd: number;
  private readonly sink: LineSink | undefined;
  private readonly onClose: (() => void) | undefined;
  private readonly onWriteError: ((err: unknown) => void) | undefined;
  /** The block lines are encoded into; the part from `bytesStart` to `bytesEnd` is not sealed yet. */
  private bytes: Buffer | undefined;
  private bytesStart = 0;
  private bytesEnd = 0;
  /** Sealed blocks waiting for the descriptor; the first may be partly written (offset). */
  private readonly blocks: Buffer[] = [];
  private blockOffset = 0;
  private queuedBytes = 0;
  private closed = false;
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private waitingForDrain = false;
  private drainWaiters: Array<() => void> = [];

  constructor(options: LineWriterOptions = {}) {
    this.fd = options.fd ?? 1;
    this.sink = options.sink;
    this.onClose = options.onClose;
    this.onWriteError = "onWriteError" in options ? options.onWriteError : exitOnOutputError;
    // Creating process.stdout makes libuv put a pipe into non-blocking mode, which the EAGAIN path relies on: a
    // blocking write to a slow reader would stall the whole process (and the server would cut the connection).
    if (!this.sink && this.fd === 1) void process.stdout.writableLength;
    if (this.sink) {
      this.sink.on("drain", () => {
        this.waitingForDrain = false;
        this.pump();
      });
      const gone = () => this.markClosed();
      this.sink.on("close", gone);
      this.sink.on("error", gone);
    }
  }

  /** Queues one line; a newline is added. */
  writeLine(line: string): void {
    if (this.closed) return;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserve(line.length * 3 + 1);
    const bytes = this.bytes!;
    const written = bytes.write(line, this.bytesEnd, "utf8");
    bytes[this.bytesEnd + written] = 0x0a;
    this.bytesEnd += written + 1;
    this.afterQueue();
  }

  /** Queues payload bytes exactly as received, followed by a newline. */
  writeBytesLine(data: Uint8Array): void {
    if (this.closed) return;
    this.reserve(data.length + 1);
    const bytes = this.bytes!;
    // A copy: the payload is a view into the connection's read buffer.
    bytes.set(data, this.bytesEnd);
    bytes[this.bytesEnd + data.length] = 0x0a;
    this.bytesEnd += data.length + 1;
    this.afterQueue();
  }

  /** Room for `need` more bytes in the current block: a new block when it is full (sealed parts stay queued). */
  private reserve(need: number): void {
    if (this.bytes !== undefined && this.bytesEnd + need <= this.bytes.length) return;
    this.seal();
    this.bytes = Buffer.allocUnsafe(Math.max(2 * BLOCK_BYTES, need));
    this.bytesStart = 0;
    this.bytesEnd = 0;
  }

  /** Bytes (about) not yet handed to the OS. */
  backlog(): number {
    return this.queuedBytes - this.blockOffset + (this.bytesEnd - this.bytesStart) + (this.sink?.writableLength ?? 0);
  }

  /** True once the reader went away. */
  isClosed(): boolean {
    return this.closed;
  }

  /** Writes everything queued; resolves when the OS has taken it all (or the reader went away). */
  async drain(): Promise<void> {
    this.seal();
    for (;;) {
      this.pump();
      if (this.closed || (this.blocks.length === 0 && !this.waitingForDrain)) break;
      await new Promise<void>((resolve) => {
        if (this.sink) this.drainWaiters.push(resolve);
        else setTimeout(resolve, RETRY_MS);
      });
    }
    if (this.sink && !this.closed && (this.sink.writableLength ?? 0) > 0) {
      await new Promise<void>((resolve) => this.sink!.write(new Uint8Array(0), () => resolve()));
    }
  }

  private afterQueue(): void {
    if (this.bytesEnd - this.bytesStart >= BLOCK_BYTES) {
      this.seal();
      this.pump();
    } else if (!this.flushScheduled) {
      // A quiet stream: show the line now rather than waiting for a full block.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.seal();
        this.pump();
      });
    }
  }

  private seal(): void {
    if (this.bytes === undefined || this.bytesEnd === this.bytesStart) return;
    // The block is shared with later lines: hand out a view of the sealed part only.
    const block = this.bytes.subarray(this.bytesStart, this.bytesEnd);
    this.bytesStart = this.bytesEnd;
    this.blocks.push(block);
    this.queuedBytes += block.length;
  }

  private pump(): void {
    if (this.closed || this.blocks.length === 0) return;
    if (this.sink) this.pumpSink();
    else this.pumpFd();
  }

  private pumpFd(): void {
    try {
      while (this.blocks.length > 0) {
        const first = this.blockOffset === 0 ? this.blocks[0]! : this.blocks[0]!.subarray(this.blockOffset);
        const written =
          this.blocks.length === 1 ? writeSync(this.fd, first) : writevSync(this.fd, [first, ...this.blocks.slice(1, MAX_IOV)]);
        this.advance(written);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EAGAIN" || code === "EWOULDBLOCK") {
        // The pipe is full: try again shortly (and whenever another block is sealed).
        if (this.retryTimer === undefined) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.pump();
          }, RETRY_MS);
        }
        return;
      }
      // EPIPE: nobody reads any more. Anything else (a full disk) is a failure to report, not a reader leaving.
      if (isClosedReader(err) || this.onWriteError === undefined) this.markClosed();
      else this.onWriteError(err);
    }
  }

  private advance(written: number): void {
    let left = written;
    while (left > 0 && this.blocks.length > 0) {
      const remaining = this.blocks[0]!.length - this.blockOffset;
      if (left >= remaining) {
        left -= remaining;
        this.queuedBytes -= this.blocks[0]!.length;
        this.blocks.shift();
        this.blockOffset = 0;
      } else {
        this.blockOffset += left;
        left = 0;
      }
    }
  }

  private pumpSink(): void {
    if (this.waitingForDrain) return;
    while (this.blocks.length > 0) {
      const block = this.blocks.shift()!;
      this.queuedBytes -= block.length;
      if (!this.sink!.write(block)) {
        this.waitingForDrain = true;
        break;
      }
    }
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.blocks.length = 0;
    this.queuedBytes = 0;
    this.blockOffset = 0;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
    this.onClose?.();
  }
}
