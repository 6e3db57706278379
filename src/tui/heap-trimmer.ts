// Ink allocates fresh objects every frame, and V8 lets the old generation grow far beyond the live set before
// it collects (measured: ~40 MB live, 160-190 MB RSS at 20k events/s). On a Pi that memory is scarce, and
// heap limits cannot be changed once Node runs; a timed full collection keeps RSS near the live size instead.
import v8 from "node:v8";
import vm from "node:vm";

type GcFunction = (options?: { type?: "major" | "minor"; execution?: "sync" | "async" }) => void;

function exposeGc(): GcFunction | undefined {
  const existing = (globalThis as { gc?: GcFunction }).gc;
  if (typeof existing === "function") return existing;
  try {
    // The flag only affects contexts created after it is set; a fresh context hands us its gc().
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as GcFunction) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every `intervalMs`, a full collection when the heap has grown by `growthBytes` since the last one. Async
 * execution lets V8 mark incrementally, so a key press is not held up behind a long pause.
 */
export function startHeapTrimmer(intervalMs = 1000, growthBytes = 12 * 1024 * 1024): () => void {
  // The young generation is resized as the program runs, so this limit still applies (16 MB semi-spaces by
  // default; per-frame garbage dies young either way, and 4 MB halves the idle reservation).
  v8.setFlagsFromString("--max-semi-space-size=4");
  const gc = exposeGc();
  if (!gc) return () => undefined;
  let baseline = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const used = process.memoryUsage().heapUsed;
    if (used - baseline < growthBytes) return;
    gc({ type: "major", execution: "async" });
    // The next baseline is measured after the collection has had time to finish.
    setTimeout(() => (baseline = process.memoryUsage().heapUsed), 200).unref();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
