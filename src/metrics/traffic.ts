// What arrives in the stream from now on, counted by event type and by sensor: messages and payload bytes. The
// stream's own bookkeeping has messages per subject but neither bytes per subject nor anything per sensor (a hub
// stores every sensor's events on the same subjects), so these come from following the stream, counting only.
import { Exposition, type Labels } from "./exposition.js";
import { lastToken } from "../nats/subjects.js";
import { MAX_EVENT_TYPES, MAX_SENSORS } from "./stream-metrics.js";

interface Tally {
  messages: number;
  bytes: number;
}

const MAX_SENSOR_NAME = 256;
const HOST_KEY = Buffer.from('"host":"');
const IFACE_KEY = Buffer.from('"in_iface":"');

/** The string value after `key` in JSON text, when it has no escapes (sensor names do not); undefined otherwise. */
function stringAfter(bytes: Buffer, key: Buffer): string | undefined {
  const at = bytes.indexOf(key);
  if (at === -1) return undefined;
  const start = at + key.length;
  const end = bytes.indexOf(34, start);
  if (end === -1 || end - start > MAX_SENSOR_NAME) return undefined;
  const value = bytes.toString("utf8", start, end);
  // A backslash means an escaped character: such a name is read by JSON.parse instead.
  if (value.includes("\\")) return undefined;
  return value;
}

/**
 * The sensor an event came from, as the stats pane and the stats metrics name it: Suricata's sensor-name (the
 * event's `host`), else its capture interface, else "default". Found by searching the text, not by parsing it:
 * this runs on every event. Suricata writes `host` before any nested object, and an escaped quote inside a string
 * (`\"host\":`) cannot match.
 */
export function sensorOfPayload(data: Uint8Array): string {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return stringAfter(bytes, HOST_KEY) || stringAfter(bytes, IFACE_KEY) || "default";
}

export class TrafficCounter {
  private readonly byType = new Map<string, Tally>();
  private readonly bySensor = new Map<string, Tally>();
  /** Events whose type or sensor did not fit the bounded label sets (a flood of made-up names). */
  private overflow = 0;

  note(subject: string, data: Uint8Array): void {
    const type = tallyIn(this.byType, lastToken(subject), MAX_EVENT_TYPES);
    const sensor = tallyIn(this.bySensor, sensorOfPayload(data), MAX_SENSORS);
    if (!type || !sensor) this.overflow++;
    for (const t of [type, sensor]) {
      if (!t) continue;
      t.messages++;
      t.bytes += data.length;
    }
  }

  addTo(out: Exposition, stream: string): void {
    const rows = (tallies: Map<string, Tally>, label: string, pick: (t: Tally) => number) =>
      [...tallies].map(([name, t]): [Labels, number] => [{ stream, [label]: name }, pick(t)]);
    out
      .samples("nsm4home_event_type_messages_total", "counter", "Events stored per event type since this exporter started.", rows(this.byType, "event_type", (t) => t.messages))
      .samples("nsm4home_event_type_bytes_total", "counter", "Payload bytes stored per event type since this exporter started.", rows(this.byType, "event_type", (t) => t.bytes))
      .samples("nsm4home_sensor_messages_total", "counter", "Events stored per sensor (the event's host, else in_iface) since this exporter started.", rows(this.bySensor, "sensor", (t) => t.messages))
      .samples("nsm4home_sensor_bytes_total", "counter", "Payload bytes stored per sensor since this exporter started.", rows(this.bySensor, "sensor", (t) => t.bytes))
      .samples("nsm4home_events_unlabelled_total", "counter", "Events counted without their type or sensor: more distinct names than the exporter keeps.", [[{ stream }, this.overflow]]);
  }
}

function tallyIn(tallies: Map<string, Tally>, key: string, limit: number): Tally | undefined {
  let t = tallies.get(key);
  if (t === undefined) {
    if (tallies.size >= limit) return undefined;
    t = { messages: 0, bytes: 0 };
    tallies.set(key, t);
  }
  return t;
}
