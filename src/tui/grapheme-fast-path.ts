// ink measures every line of every pane with string-width, twice a frame (layout, then output). A line that is not
// pure ASCII (every event line: "→" between endpoints, "…" where it is cut) goes through Intl.Segmenter, which
// costs about 90 of the 117 µs string-width spends on a 130-character line: at 200x50 that was most of a frame.
// ink's tokenizer (colour codes and characters of each line, every frame) goes through it too.
// Where every character of a text is a grapheme cluster on its own (printable ASCII, Latin-1, and the arrows,
// ellipsis, box and block characters the dashboard draws), the segments are simply its characters, so the dashboard
// answers those texts itself and hands every other text, and every other granularity, to the real segmenter.

/**
 * Code units that are each a whole grapheme cluster (Grapheme_Cluster_Break=Other, BMP, no combining marks, no
 * joiners or selectors), and ESC, which starts the colour codes ink tokenizes: a Control, broken on both sides
 * (only CR LF is one cluster, and neither is here). U+00AD (soft hyphen) is a Control too, but measured as zero
 * columns, and is left out.
 */
const ONE_UNIT_GRAPHEMES = /^[\u001B\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2026\u203A\u2190-\u21FF\u23F8\u2500-\u259F\u25CF]*$/;

/** True when each code unit of `text` is a grapheme cluster of its own (by the characters above). */
export function isOneUnitGraphemeText(text: string): boolean {
  return ONE_UNIT_GRAPHEMES.test(text);
}

/** What Intl.Segmenter#segment returns for such a text: one segment per code unit. */
class OneUnitSegments implements Intl.Segments {
  constructor(private readonly text: string) {}

  containing(codeUnitIndex?: number): Intl.SegmentData | undefined {
    // As the real one: ToIntegerOrInfinity (NaN and undefined are 0), undefined outside the text.
    const n = Number(codeUnitIndex ?? 0);
    const index = Number.isNaN(n) ? 0 : Math.trunc(n);
    if (index < 0 || index >= this.text.length) return undefined;
    return { segment: this.text[index]!, index, input: this.text };
  }

  [Symbol.iterator](): IterableIterator<Intl.SegmentData> {
    const text = this.text;
    let index = 0;
    return {
      next(): IteratorResult<Intl.SegmentData> {
        if (index >= text.length) return { value: undefined, done: true };
        const segment: Intl.SegmentData = { segment: text[index]!, index, input: text };
        index++;
        return { value: segment, done: false };
      },
      [Symbol.iterator]() {
        return this;
      },
    };
  }
}

/** Installs the shortcut on Intl.Segmenter for the rest of the dashboard's run; the returned function removes it. */
export function installGraphemeFastPath(): () => void {
  const prototype = Intl.Segmenter.prototype;
  const original = prototype.segment;
  const graphemeSegmenters = new WeakMap<Intl.Segmenter, boolean>();
  const fast = function segment(this: Intl.Segmenter, input: string): Intl.Segments {
    if (typeof input !== "string" || !isOneUnitGraphemeText(input)) return original.call(this, input);
    let grapheme = graphemeSegmenters.get(this);
    if (grapheme === undefined) {
      grapheme = this.resolvedOptions().granularity === "grapheme";
      graphemeSegmenters.set(this, grapheme);
    }
    return grapheme ? new OneUnitSegments(input) : original.call(this, input);
  };
  prototype.segment = fast;
  return () => {
    // Only our own patch is undone: something installed after it stays.
    if (prototype.segment === fast) prototype.segment = original;
  };
}
