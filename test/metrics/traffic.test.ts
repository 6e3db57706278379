// Counting what arrives by event type and by sensor, the sensor found in the event's text without parsing it.
import { describe, expect, it } from "vitest";
import { Exposition } from "../../src/metrics/exposition.js";
import { sensorOfPayload, TrafficCounter } from "../../src/metrics/traffic.js";
import { MAX_SENSORS } from "../../src/metrics/stream-metrics.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("sensorOfPayload", () => {
  it("is the event's host, else its capture interface, else default", () => {
    expect(sensorOfPayload(bytes('{"timestamp":"t","event_type":"dns","host":"pi-garage","in_iface":"eth0"}'))).toBe("pi-garage");
    expect(sensorOfPayload(bytes('{"event_type":"dns","in_iface":"wlan0"}'))).toBe("wlan0");
    expect(sensorOfPayload(bytes('{"event_type":"dns"}'))).toBe("default");
    expect(sensorOfPayload(bytes("not json at all"))).toBe("default");
  });

  it("is not fooled by a host inside a string, an escaped name, or a view into a larger buffer", () => {
    expect(sensorOfPayload(bytes('{"dns":{"rrname":"\\"host\\":\\"evil"},"in_iface":"eth1"}'))).toBe("eth1");
    expect(sensorOfPayload(bytes('{"host":"a\\"b","in_iface":"eth2"}'))).toBe("eth2");
    const whole = bytes('xxxx{"host":"inner"}yyyy{"host":"outer"}');
    expect(sensorOfPayload(whole.subarray(4, 20))).toBe("inner");
    expect(sensorOfPayload(whole.subarray(24))).toBe("outer");
  });
});

describe("TrafficCounter", () => {
  it("counts messages and bytes per event type and sensor, and keeps its label sets bounded", () => {
    const counter = new TrafficCounter();
    const a = bytes('{"event_type":"dns","host":"a"}');
    const b = bytes('{"event_type":"flow","host":"b","x":1}');
    counter.note("suricata.dns", a);
    counter.note("suricata.dns", a);
    counter.note("sensor2.suricata.flow", b);
    for (let i = 0; i < MAX_SENSORS + 5; i++) counter.note("suricata.dns", bytes(`{"host":"s${i}"}`));
    const out = new Exposition();
    counter.addTo(out, "suricata");
    const text = out.text();
    expect(text).toContain(`nsm4home_sensor_messages_total{stream="suricata",sensor="a"} 2\n`);
    expect(text).toContain(`nsm4home_sensor_bytes_total{stream="suricata",sensor="b"} ${b.length}\n`);
    expect(text).toContain(`nsm4home_event_type_messages_total{stream="suricata",event_type="flow"} 1\n`);
    expect(text).toContain(`nsm4home_event_type_bytes_total{stream="suricata",event_type="flow"} ${b.length}\n`);
    expect(text.match(/^nsm4home_sensor_messages_total\{/gm)).toHaveLength(MAX_SENSORS);
    // a, b and the first MAX_SENSORS - 2 made-up names fit; the rest are counted without a sensor.
    expect(text).toContain(`nsm4home_events_unlabelled_total{stream="suricata"} 7\n`);
  });
});
