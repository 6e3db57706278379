// The end of a measured pipeline: reads stdin as fast as it comes, counts lines and bytes, and prints on exit
// (stderr, one JSON line) when the last byte arrived, so a benchmark can time output without reading it itself.
let lines = 0;
let bytes = 0;
let firstAt = 0;
let lastAt = 0;
process.stdin.on("data", (d) => {
  const now = performance.timeOrigin + performance.now();
  if (firstAt === 0) firstAt = now;
  lastAt = now;
  bytes += d.length;
  for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
});
process.stdin.on("end", () => {
  process.stderr.write(JSON.stringify({ sink: { lines, bytes, firstAt, lastAt } }) + "\n");
});
