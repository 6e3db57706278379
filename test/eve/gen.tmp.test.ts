import { test } from "vitest";
import { createEventGenerator, communityId, formatSuricataTimestamp } from "../../src/eve/sample-generator.js";
test("perf", () => {
  for (const kind of ["dns", "flow", "tls", "alert"] as const) {
    const g = createEventGenerator({ seed: 7, mix: { dns: 0, flow: 0, tls: 0, http: 0, alert: 0, fileinfo: 0, anomaly: 0, ssh: 0, [kind]: 1 } });
    g.nextBatch(2000);
    const t0 = performance.now(); g.nextBatch(20000); console.log(kind, ((performance.now() - t0) / 20).toFixed(2), "us/event");
  }
  let t0 = performance.now(); for (let i = 0; i < 20000; i++) communityId("192.168.1.10", 40000 + (i % 1000), "142.250.185.68", 443, "TCP"); console.log("cid", ((performance.now() - t0) / 20).toFixed(2));
  t0 = performance.now(); for (let i = 0; i < 20000; i++) formatSuricataTimestamp(1.7e12 + i, 5); console.log("ts", ((performance.now() - t0) / 20).toFixed(2));
});
