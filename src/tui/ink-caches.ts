// ink 6 keeps two module-level caches keyed by every distinct text it has ever measured or wrapped, and never
// evicts (vadimdemedes/ink#986, fixed after the 6.x line we are pinned to). A dashboard whose text changes ten
// times a second would grow by hundreds of megabytes an hour. ink exports neither cache, so we find them once by
// watching what ink's own functions touch when given a probe string, and empty them when they grow.
// If ink's internals change and a probe finds nothing, trimming is skipped: the dashboard still works.

interface InkCaches {
  measure?: Map<string, unknown>;
  wrap?: Record<string, string>;
}

/** Entries kept before a cache is emptied: far more than one screen's texts, far less than memory matters. */
export const INK_CACHE_LIMIT = 500;

let found: InkCaches | undefined;

async function inkModule<T>(file: string): Promise<T | undefined> {
  try {
    // The same file ink imports, so the same module instance and the same cache.
    return (await import(new URL(`./${file}`, import.meta.resolve("ink")).href)) as T;
  } catch {
    return undefined;
  }
}

function probeMeasureCache(measureText: (text: string) => unknown): Map<string, unknown> | undefined {
  const probe = `\u0000nsm4home-probe-${process.pid}-${Date.now()}`;
  const originalGet = Map.prototype.get;
  let cache: Map<string, unknown> | undefined;
  Map.prototype.get = function (this: Map<unknown, unknown>, key: unknown) {
    if (key === probe) cache = this as Map<string, unknown>;
    return originalGet.call(this, key);
  };
  try {
    measureText(probe);
  } finally {
    Map.prototype.get = originalGet;
  }
  cache?.delete(probe);
  return cache;
}

function probeWrapCache(wrapText: (text: string, width: number, wrap: string) => unknown): Record<string, string> | undefined {
  const probe = `\u0000nsm4home-probe-${process.pid}-${Date.now()}`;
  // wrapText reads and writes `cache[text + width + wrap]` on a plain object: an accessor of that exact name on
  // Object.prototype sees the write, with the cache as `this`, and the object never gets the property.
  const key = `${probe}1truncate`;
  let cache: Record<string, string> | undefined;
  Object.defineProperty(Object.prototype, key, {
    configurable: true,
    get: () => undefined,
    set(this: Record<string, string>) {
      cache = this;
    },
  });
  try {
    wrapText(probe, 1, "truncate");
  } finally {
    delete (Object.prototype as Record<string, unknown>)[key];
  }
  return cache;
}

/** Finds ink's caches (once). */
export async function findInkCaches(): Promise<InkCaches> {
  if (found !== undefined) return found;
  const measure = await inkModule<{ default: (text: string) => unknown }>("measure-text.js");
  const wrap = await inkModule<{ default: (text: string, width: number, wrap: string) => unknown }>("wrap-text.js");
  found = {};
  const measureCache = measure === undefined ? undefined : probeMeasureCache(measure.default);
  const wrapCache = wrap === undefined ? undefined : probeWrapCache(wrap.default);
  if (measureCache !== undefined) found.measure = measureCache;
  if (wrapCache !== undefined) found.wrap = wrapCache;
  return found;
}

/** Empties a cache that passed the limit; returns how many entries the two caches hold afterwards. */
export function trimInkCaches(caches: InkCaches, limit = INK_CACHE_LIMIT): { measure: number; wrap: number } {
  if (caches.measure !== undefined && caches.measure.size > limit) caches.measure.clear();
  let wrapSize = 0;
  if (caches.wrap !== undefined) {
    const keys = Object.keys(caches.wrap);
    if (keys.length > limit) for (const k of keys) delete caches.wrap[k];
    else wrapSize = keys.length;
  }
  return { measure: caches.measure?.size ?? 0, wrap: wrapSize };
}
