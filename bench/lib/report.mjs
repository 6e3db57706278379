// Prints benchmark results as an aligned table, with ratios against named baselines.

export function fmtRate(perSecond) {
  if (!Number.isFinite(perSecond)) return "-";
  return perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k/s` : `${perSecond.toFixed(0)}/s`;
}

export function fmtRatio(x) {
  return Number.isFinite(x) ? `${x.toFixed(2)}x` : "-";
}

/** rows: [{ name, ...columns }]; columns: [{ key, title, align? }]. */
export function printTable(rows, columns) {
  const cells = rows.map((r) => columns.map((c) => String(r[c.key] ?? "")));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i].length)));
  const line = (values) =>
    values.map((v, i) => (columns[i].align === "left" ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  process.stdout.write(line(columns.map((c) => c.title)) + "\n");
  for (const row of cells) process.stdout.write(line(row) + "\n");
}
