// A bounded copy of an event for places that keep events in fixed memory (the dashboard's panes): long strings
// clipped, long arrays and wide objects cut, deep nesting stopped, the whole under a size budget, and a marker
// saying what the original was. An attacker's 1 MB DNS answer is still shown as a DNS answer, not as garbage.
import type { EveEvent } from "./event.js";

export const DIGEST_MARKER = "nsm4home_truncated";

export interface DigestLimits {
  maxString: number;
  maxArray: number;
  maxKeys: number;
  maxDepth: number;
  /** Rough budget in characters of JSON for the whole digest. */
  maxTotal: number;
}

export const DEFAULT_DIGEST_LIMITS: DigestLimits = { maxString: 1024, maxArray: 32, maxKeys: 64, maxDepth: 12, maxTotal: 32 * 1024 };

export function digestEvent(event: EveEvent, originalBytes: number, limits: DigestLimits = DEFAULT_DIGEST_LIMITS): EveEvent {
  let budget = limits.maxTotal;
  const copy = (value: unknown, depth: number): unknown => {
    if (budget <= 0) return "…";
    if (typeof value === "string") {
      const s = value.length > limits.maxString ? `${value.slice(0, limits.maxString)}… (${value.length} chars)` : value;
      budget -= s.length + 3;
      return s;
    }
    if (value === null || typeof value !== "object") {
      budget -= 8;
      return value;
    }
    if (depth >= limits.maxDepth) {
      budget -= 8;
      return Array.isArray(value) ? ["…"] : { "…": "nested deeper" };
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (let i = 0; i < value.length && i < limits.maxArray && budget > 0; i++) out.push(copy(value[i], depth + 1));
      if (out.length < value.length) out.push(`… ${value.length - out.length} more`);
      return out;
    }
    // Own enumerable keys only, into an object without a prototype: "__proto__" stays an ordinary key.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const keys = Object.keys(value);
    let taken = 0;
    for (const key of keys) {
      if (taken >= limits.maxKeys || budget <= 0) break;
      budget -= Math.min(key.length, limits.maxString) + 4;
      out[key.length > limits.maxString ? key.slice(0, limits.maxString) + "…" : key] = copy((value as Record<string, unknown>)[key], depth + 1);
      taken++;
    }
    if (taken < keys.length) out["…"] = `${keys.length - taken} more keys`;
    return out;
  };
  const digest = copy(event, 0) as EveEvent;
  digest[DIGEST_MARKER] = `event of ${originalBytes} bytes, shortened for display`;
  return digest;
}
