// The newest payloads of a pane, kept as bytes in one preallocated buffer instead of as strings on the heap.
// At tens of thousands of messages a second, strings that live a few seconds are promoted to V8's old space and
// die there, and the heap grows to twice what is kept before a full collection; bytes in a fixed arena cost
// neither garbage nor growth. Payloads are addressed by absolute index like RingBuffer: the n-th pushed has
// index n, so positions held by the UI stay valid while new payloads arrive.

export class PayloadRing {
  private readonly arena: Uint8Array;
  private readonly offsets: Int32Array;
  private readonly lengths: Int32Array;
  private start = 0;
  private end = 0;
  /** Where the next payload goes in the arena. */
  private head = 0;
  /** Longest payload kept whole; longer ones keep their first bytes (and cannot be shown as events). */
  readonly maxPayloadBytes: number;

  constructor(
    readonly capacity: number,
    readonly arenaBytes: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    if (!Number.isInteger(arenaBytes) || arenaBytes < 1024) throw new RangeError(`arena must be at least 1024 bytes, got ${arenaBytes}`);
    // Zero-filled: the OS hands out the pages as they are first written, so memory grows only as far as used.
    this.arena = new Uint8Array(arenaBytes);
    this.offsets = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.maxPayloadBytes = Math.max(256, Math.floor(arenaBytes / 8));
  }

  get firstIndex(): number {
    return this.start;
  }

  get endIndex(): number {
    return this.end;
  }

  get size(): number {
    return this.end - this.start;
  }

  has(index: number): boolean {
    return index >= this.start && index < this.end;
  }

  private offsetOf(index: number): number {
    return this.offsets[index % this.capacity]!;
  }

  /** Drops the oldest payloads that start inside [from, to) of the arena (they are the next to be overwritten). */
  private evictStartingIn(from: number, to: number): void {
    while (this.start < this.end) {
      const offset = this.offsetOf(this.start);
      if (offset < from || offset >= to) return;
      this.start++;
    }
  }

  /** Copies a payload in (its first maxPayloadBytes bytes); evicts the oldest as needed. Returns its index. */
  push(payload: Uint8Array): number {
    const length = Math.min(payload.length, this.maxPayloadBytes);
    if (this.head + length > this.arenaBytes) {
      // No room before the end: what is stored after the head is the oldest; drop it and start again at 0.
      this.evictStartingIn(this.head, this.arenaBytes);
      this.head = 0;
    }
    this.evictStartingIn(this.head, this.head + Math.max(length, 1));
    if (this.end - this.start >= this.capacity) this.start++;
    const index = this.end;
    const slot = index % this.capacity;
    this.offsets[slot] = this.head;
    this.lengths[slot] = length;
    this.arena.set(length === payload.length ? payload : payload.subarray(0, length), this.head);
    this.head += length;
    this.end++;
    return index;
  }

  /**
   * The bytes of a payload: a view into the arena, valid until the next push (decode it right away), or undefined
   * when evicted. `truncated` says the payload was longer than maxPayloadBytes.
   */
  get(index: number): Uint8Array | undefined {
    if (!this.has(index)) return undefined;
    const slot = index % this.capacity;
    const offset = this.offsets[slot]!;
    return this.arena.subarray(offset, offset + this.lengths[slot]!);
  }

  /** Forgets every payload; indices keep counting up. */
  clear(): void {
    this.start = this.end;
    this.head = 0;
  }
}
