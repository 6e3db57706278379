// Formatted rows of a pane, kept per message while they stay on screen: a frame formats only the rows it has not
// already drawn at the same width, colour and time style (a held or quiet pane formats nothing at all).

export class FormattedLineCache {
  private key = "";
  private lines = new Map<number, string>();

  /**
   * The lines of the messages at `indices` (absolute ring indices, never reused), formatting only those not kept
   * under the same `key`; lines that left the screen are forgotten.
   */
  linesFor(indices: readonly number[], key: string, format: (index: number) => string): string[] {
    const kept = key === this.key ? this.lines : undefined;
    const next = new Map<number, string>();
    const out = indices.map((index) => {
      const line = kept?.get(index) ?? format(index);
      next.set(index, line);
      return line;
    });
    this.key = key;
    this.lines = next;
    return out;
  }

  /** How many lines are kept (for tests). */
  get size(): number {
    return this.lines.size;
  }
}
