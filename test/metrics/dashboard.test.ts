// The Grafana dashboard under examples/ asks only for metrics that nsm4home serves: a renamed metric fails here,
// not silently as an empty panel.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JetStreamManager } from "@nats-io/jetstream";
import { IngestMetrics } from "../../src/ingest/metrics.js";
import { StreamMetrics } from "../../src/metrics/stream-metrics.js";
import { repoRoot } from "../helpers/cli.js";
import { parseExposition } from "../helpers/prometheus.js";

describe("examples/grafana-dashboard.json", () => {
  it("is valid JSON whose every query names a metric family that is served", () => {
    const dashboard = JSON.parse(readFileSync(join(repoRoot, "examples", "grafana-dashboard.json"), "utf8")) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
    const served = new Set([
      ...parseExposition(
        new IngestMetrics("suricata").render({
          counters: { read: 0, published: 0, acked: 0, duplicates: 0, invalid: 0, unknownType: 0, rejected: 0, retries: 0 },
          inFlight: 0,
          backlog: undefined,
          natsConnected: true,
        }),
      ).keys(),
      ...parseExposition(new StreamMetrics({} as JetStreamManager, "suricata").render()).keys(),
    ]);
    const asked = new Set<string>();
    for (const panel of dashboard.panels) for (const t of panel.targets ?? []) for (const m of t.expr.matchAll(/nsm4home_[a-z_]+/g)) asked.add(m[0]);
    expect(asked.size).toBeGreaterThan(15);
    for (const name of asked) expect(served.has(name.replace(/_(bucket|sum|count)$/, "")), name).toBe(true);
  });
});
