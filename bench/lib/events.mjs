// Realistic EVE payloads for benchmarks, from the project's own deterministic generator (dist/, built first).
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A module of the built project, e.g. importDist("demo/sample-generator.js"). */
export function importDist(path) {
  return import(pathToFileURL(join(repoRoot, "dist", path)).href);
}

/** The mix the tail benchmark uses: the event types a sensor sends most, averaging about 650 bytes. */
export const TAIL_MIX = { dns: 0.4, flow: 0.4, tls: 0.18, stats: 0.02, http: 0, alert: 0, fileinfo: 0, anomaly: 0, ssh: 0 };

/**
 * `count` generated events as { subject, payload (Buffer), event }, subjects `${prefix}.<event_type>`.
 * Serialised once up front so publishing measures the wire, not the generator.
 */
export async function generateEvents(count, { seed = 42, mix = TAIL_MIX, prefix = "suricata" } = {}) {
  const { createEventGenerator, serializeEvent } = await importDist("demo/sample-generator.js");
  const gen = createEventGenerator({ seed, mix, startTime: new Date("2026-01-15T10:00:00Z") });
  const out = new Array(count);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const event = gen.next();
    const payload = Buffer.from(serializeEvent(event));
    bytes += payload.length;
    out[i] = { subject: `${prefix}.${event.event_type}`, payload, event };
  }
  return { events: out, averageBytes: bytes / count, totalBytes: bytes };
}
