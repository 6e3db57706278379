// `check`'s plugin output: "NSM4HOME STATUS: stream NAME: summary | perfdata", a line per check, and --json.
import { describe, expect, it } from "vitest";
import { evaluateHealth, unknownReport } from "../../src/health/evaluate.js";
import { parseThresholds } from "../../src/health/thresholds.js";
import type { HealthFacts } from "../../src/nats/health.js";
import { checkJson, perfdataItem, perfdataLabel, renderNagios } from "../../src/render/check.js";

const facts: HealthFacts = {
  stream: "suricata",
  messages: 10,
  newestAgeMs: 1_234,
  subjects: [],
  stats: [{ sensor: "garage", reachable: true, stats: { ageMs: 30_000, kernelDropPct: 7.5 } }],
  origins: [],
  limits: { bytes: 0, maxBytes: -1, messages: 10, maxMsgs: -1, discard: "old" },
};

describe("renderNagios", () => {
  it("one check: the status line alone, perfdata label=value[UOM];warn;crit;min;max", () => {
    const r = evaluateHealth(facts, parseThresholds({ ageWarn: "5m", ageCritical: "15m" }));
    expect(renderNagios(r)).toBe("NSM4HOME OK: stream suricata: newest event 1s ago | age=1.234s;300;900;0\n");
  });

  it("several: the problems in the summary, most severe first, then every check on its own line in the order asked", () => {
    const r = evaluateHealth(facts, parseThresholds({ ageCritical: "15m", statsAgeWarn: "10s", dropCritical: "5" }));
    expect(renderNagios(r)).toBe(
      "NSM4HOME CRITICAL: stream suricata: kernel drops of garage 7.50% since Suricata started (critical above 5%); stats event of garage 30s ago (warning above 10s)" +
        " | age=1.234s;;900;0 stats_age_garage=30s;10;;0 kernel_drop_garage=7.5%;;5;0;100\n" +
        "OK: newest event 1s ago\n" +
        "WARNING: stats event of garage 30s ago (warning above 10s)\n" +
        "CRITICAL: kernel drops of garage 7.50% since Suricata started (critical above 5%)\n",
    );
  });

  it("a cause that fails several checks is said once in the summary, on each check's line after it", () => {
    const down: HealthFacts = { ...facts, stats: [{ sensor: "garage", reachable: false }] };
    expect(renderNagios(evaluateHealth(down, parseThresholds({ statsAgeWarn: "1m", dropWarn: "1" })))).toBe(
      "NSM4HOME UNKNOWN: stream suricata: sensor garage does not answer (leaf node link down?): its stats are unknown\n" +
        "UNKNOWN: sensor garage does not answer (leaf node link down?): its stats are unknown\n".repeat(2),
    );
  });

  it("an UNKNOWN that stopped the check is the reason alone, without perfdata", () => {
    expect(renderNagios(unknownReport("suricata", "cannot connect to nats://127.0.0.1:1: connection refused"))).toBe(
      "NSM4HOME UNKNOWN: cannot connect to nats://127.0.0.1:1: connection refused\n",
    );
  });

  it("names from servers and events cannot break the line: escapes, no '|' before the perfdata", () => {
    const hostile: HealthFacts = { ...facts, stats: [{ sensor: "ga|ra\u001b[2Jge", reachable: false }] };
    const out = renderNagios(evaluateHealth(hostile, parseThresholds({ dropWarn: "1" })));
    expect(out).toBe("NSM4HOME UNKNOWN: stream suricata: sensor ga¦ra\\x1B[2Jge does not answer (leaf node link down?): its stats are unknown\n");
  });
});

describe("perfdata", () => {
  it("quotes labels with anything but letters, digits and _ . : @ / -, doubling a quote", () => {
    expect(perfdataLabel("lag_suricata@garage")).toBe("lag_suricata@garage");
    expect(perfdataLabel("age_suricata.dns")).toBe("age_suricata.dns");
    expect(perfdataLabel("seen_my sensor")).toBe("'seen_my sensor'");
    expect(perfdataLabel("it's=x")).toBe("'it''s_x'");
  });

  it("leaves out trailing empty fields and rounds to 3 decimals", () => {
    expect(perfdataItem({ name: "n", status: "OK", value: 12, unit: "", label: "unprocessed", min: 0, message: "" })).toBe("unprocessed=12;;;0");
    expect(perfdataItem({ name: "n", status: "OK", value: 0.12345, unit: "s", label: "age", message: "" })).toBe("age=0.123s");
    expect(perfdataItem({ name: "n", status: "OK", value: 1, unit: "", label: "lag", crit: 5, message: "" })).toBe("lag=1;;5");
    expect(perfdataItem({ name: "n", status: "CRITICAL", unit: "s", message: "x" })).toBeUndefined();
  });
});

describe("checkJson", () => {
  it("status, code, stream, summary, each check with value and thresholds in its unit (null when unset), the perfdata", () => {
    const r = evaluateHealth(facts, parseThresholds({ ageWarn: "5m", dropCritical: "5" }));
    expect(checkJson(r)).toEqual({
      status: "CRITICAL",
      code: 2,
      stream: "suricata",
      summary: "stream suricata: kernel drops of garage 7.50% since Suricata started (critical above 5%)",
      checks: [
        { name: "age", status: "OK", value: 1.234, unit: "s", warn: 300, crit: null, message: "newest event 1s ago" },
        { name: "kernel-drop garage", status: "CRITICAL", value: 7.5, unit: "%", warn: null, crit: 5, message: "kernel drops of garage 7.50% since Suricata started (critical above 5%)" },
      ],
      perfdata: "age=1.234s;300;;0 kernel_drop_garage=7.5%;;5;0;100",
    });
  });
});
