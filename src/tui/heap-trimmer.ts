// Ink allocates fresh objects every frame, and V8 lets the old generation grow far beyond the live set before
// it collects (measured: ~40 MB live, 160-190 MB RSS at 20k events/s). On a Pi that memory is scarce, and
// heap limits cannot be changed once Node runs. Three things keep RSS near the live size: V8 is told to collect
// the old generation after 20% growth (tightenOldGenerationGrowth), the young generation is capped, and a timed
// full collection catches what a quiet period leaves behind.
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

/** Growth of the old generation, in percent of what survived the last full collection, before V8 starts the next. */
const OLD_GENERATION_GROWTH_PERCENT = 20;

/** A V8 heap flag given when Node started (NODE_OPTIONS or the command line): the user's choice stands. */
function userChose(flagPart: string): boolean {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) => arg.includes(flagPart));
}

/**
 * V8 lets the old generation grow by a factor it picks from its own speed (often 2x to 4x of what survived) before
 * it starts marking, so ink's per-frame garbage piles up between collections. A fixed 20% makes V8 start its own
 * incremental, mostly concurrent collection far sooner: measured at 20k events/s, peak RSS 116-120 MB instead of
 * 119-135 MB, and the timed full collections of startHeapTrimmer (25-30 ms pauses each) no longer come due. V8
 * reads the factor whenever it sets the next limit, so this works after start-up. Returns the undo.
 */
export function tightenOldGenerationGrowth(percent = OLD_GENERATION_GROWTH_PERCENT): () => void {
  if (userChose("heap-growing-percent")) return () => undefined;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  // 0 is V8's default: it picks the factor itself again.
  return () => v8.setFlagsFromString("--heap-growing-percent=0");
}

/** New space (both semi-spaces) the dashboard lets V8 grow to: 16 MB instead of the default 32 MB. Measured at
 * 20k events/s, 120x40: peak RSS 147 -> 126-130 MB at the same CPU; an 8 MB new space (--max-semi-space-size=4)
 * cost 3-9 points of a core more and slower keys. */
const YOUNG_GENERATION_CAP_BYTES = 16 * 1024 * 1024;
const CAP_CHECK_MS = 50;

/**
 * V8 doubles the young generation up to --max-semi-space-size while much survives a scavenge, and that flag is
 * read only when Node starts (setting it later changes nothing: measured). The growth factor is read at every
 * growth, so once new space has reached `capBytes` a factor of 1 keeps it there.
 */
export function capYoungGeneration(capBytes = YOUNG_GENERATION_CAP_BYTES): () => void {
  // A size the user chose when starting Node is left alone.
  if (userChose("semi-space")) return () => undefined;
  const newSpaceBytes = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? 0;
  const reached = () => {
    if (newSpaceBytes() < capBytes) return false;
    v8.setFlagsFromString("--semi-space-growth-factor=1");
    return true;
  };
  if (reached()) return () => undefined;
  const timer = setInterval(() => {
    if (reached()) clearInterval(timer);
  }, CAP_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
