// A row of block characters for a series of numbers: the height of each is its share of the largest.

const BLOCKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/** Sums consecutive values into `width` groups (the last minute in 20 columns = 3 s a column). */
export function downsample(values: readonly number[], width: number): number[] {
  if (width <= 0) return [];
  if (values.length <= width) return [...values];
  const out = new Array<number>(width).fill(0);
  for (let i = 0; i < values.length; i++) out[Math.floor((i * width) / values.length)]! += values[i]!;
  return out;
}

/** One block per value; zero is the lowest block, so an idle pane still shows a baseline. */
export function sparkline(values: readonly number[], width = values.length): string {
  const series = downsample(values, width);
  let max = 0;
  for (const v of series) if (v > max) max = v;
  let out = "";
  for (const v of series) {
    const level = max === 0 || v <= 0 ? 0 : Math.min(BLOCKS.length - 1, Math.ceil((v / max) * (BLOCKS.length - 1)));
    out += BLOCKS[level];
  }
  return out;
}
