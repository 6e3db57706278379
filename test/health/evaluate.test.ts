// Facts against thresholds: one result per subject, sensor, source; what is missing is CRITICAL or UNKNOWN
// as a monitoring person would want it; the overall status is the worst one.
import { describe, expect, it } from "vitest";
import { evaluateHealth, summaryChecks, unknownReport } from "../../src/health/evaluate.js";
import { parseThresholds, type CheckFlags } from "../../src/health/thresholds.js";
import type { HealthFacts } from "../../src/nats/health.js";

const facts = (over: Partial<HealthFacts> = {}): HealthFacts => ({
  stream: "suricata",
  messages: 10,
  newestAgeMs: 3_000,
  subjects: [],
  stats: [],
  origins: [],
  limits: { bytes: 512, maxBytes: -1, messages: 10, maxMsgs: -1, discard: "old" },
  ...over,
});
const check = (f: HealthFacts, flags: CheckFlags) => evaluateHealth(f, parseThresholds(flags));

describe("evaluateHealth", () => {
  it("newest event: OK, WARNING, CRITICAL by age; an empty stream is CRITICAL", () => {
    const flags = { ageWarn: "5m", ageCritical: "15m" };
    expect(check(facts(), flags)).toMatchObject({ status: "OK", code: 0, checks: [{ name: "age", value: 3, unit: "s", warn: 300, crit: 900, message: "newest event 3s ago" }] });
    expect(check(facts({ newestAgeMs: 400_000 }), flags).checks[0]).toMatchObject({ status: "WARNING", message: "newest event 6m40s ago (warning above 5m)" });
    expect(check(facts({ newestAgeMs: 3_600_000 }), flags)).toMatchObject({ status: "CRITICAL", code: 2 });
    const empty = check(facts({ messages: 0, newestAgeMs: undefined }), flags);
    expect(empty.checks).toEqual([{ name: "age", status: "CRITICAL", unit: "s", warn: 300, crit: 900, message: "no events at all" }]);
  });

  it("a subject age per stored subject a wildcard matches; a subject with no event is CRITICAL", () => {
    const f = facts({
      subjects: [
        { pattern: "suricata.*", matches: [{ subject: "suricata.dns", ageMs: 1_000 }, { subject: "suricata.flow", ageMs: 700_000 }] },
        { pattern: "suricata.alert", matches: [] },
      ],
    });
    const r = check(f, { subjectAge: ["suricata.*=10m,", "suricata.alert=,1d"] });
    expect(r.checks.map((c) => [c.name, c.status, c.value])).toEqual([
      ["age suricata.dns", "OK", 1],
      ["age suricata.flow", "WARNING", 700],
      ["age suricata.alert", "CRITICAL", undefined],
    ]);
    expect(r.status).toBe("CRITICAL");
    expect(summaryChecks(r).map((c) => c.message)).toEqual(["no events on suricata.alert", "newest on suricata.flow 11m40s ago (warning above 10m)"]);
  });

  it("stats: age and kernel drop per sensor; missing stats CRITICAL, an unreachable sensor or no capture counters UNKNOWN", () => {
    const f = facts({
      stats: [
        { sensor: "attic", reachable: true, stats: { ageMs: 8_000, kernelDropPct: 0.5 } },
        { sensor: "garage", reachable: true, stats: { ageMs: 400_000, kernelDropPct: 7.25 } },
        { sensor: "pcap", reachable: true, stats: { ageMs: 1_000 } },
        { sensor: "shed", reachable: true },
        { sensor: "loft", reachable: false },
      ],
    });
    const r = check(f, { statsAgeCritical: "5m", dropWarn: "1", dropCritical: "5" });
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ["stats-age attic", "OK"],
      ["kernel-drop attic", "OK"],
      ["stats-age garage", "CRITICAL"],
      ["kernel-drop garage", "CRITICAL"],
      ["stats-age pcap", "OK"],
      ["kernel-drop pcap", "UNKNOWN"],
      ["stats-age shed", "CRITICAL"],
      ["kernel-drop shed", "CRITICAL"],
      ["stats-age loft", "UNKNOWN"],
      ["kernel-drop loft", "UNKNOWN"],
    ]);
    const byName = Object.fromEntries(r.checks.map((c) => [c.name, c]));
    expect(byName["kernel-drop garage"]).toMatchObject({ value: 7.25, unit: "%", warn: 1, crit: 5, label: "kernel_drop_garage", message: "kernel drops of garage 7.25% since Suricata started (critical above 5%)" });
    expect(byName["stats-age garage"]!.message).toBe("stats event of garage 6m40s ago (critical above 5m)");
    expect(byName["kernel-drop pcap"]!.message).toBe("stats event of pcap has no kernel capture counters (not a live capture?)");
    expect(byName["stats-age shed"]!.message).toBe("no stats event from shed");
    expect(byName["stats-age loft"]!.message).toBe("sensor loft does not answer (leaf node link down?): its stats are unknown");
  });

  it("the stream's own stats event has no sensor in its name", () => {
    const r = check(facts({ stats: [{ reachable: true, stats: { ageMs: 2_000, kernelDropPct: 0 } }] }), { statsAgeWarn: "1m", dropWarn: "1" });
    expect(r.checks.map((c) => [c.name, c.label, c.message])).toEqual([
      ["stats-age", "stats_age", "stats event 2s ago"],
      ["kernel-drop", "kernel_drop", "kernel drops 0.00% since Suricata started"],
    ]);
    expect(check(facts({ stats: [{ reachable: true }] }), { statsAgeWarn: "1m" }).checks[0]!.message).toBe("no stats event in the stream");
  });

  it("sources and mirror: lag and last contact each; never seen is CRITICAL; no sources at all UNKNOWN", () => {
    const f = facts({
      origins: [
        { kind: "source", label: "suricata@garage", lag: 0, lastSeenMs: 900 },
        { kind: "source", label: "suricata@attic", lag: 25_000, lastSeenMs: 600_000, error: "no responders" },
        { kind: "source", label: "gone", lag: 0, error: "stream not found" },
      ],
    });
    const r = check(f, { lagWarn: "1000", lagCritical: "50000", seenCritical: "5m" });
    expect(r.checks.map((c) => [c.name, c.status, c.message])).toEqual([
      ["lag suricata@garage", "OK", "source suricata@garage lag 0"],
      ["seen suricata@garage", "OK", "source suricata@garage seen 900ms ago"],
      ["lag suricata@attic", "WARNING", "source suricata@attic lag 25,000 (error: no responders) (warning above 1,000)"],
      ["seen suricata@attic", "CRITICAL", "source suricata@attic seen 10m ago (error: no responders) (critical above 5m)"],
      ["lag gone", "OK", "source gone lag 0 (error: stream not found)"],
      ["seen gone", "CRITICAL", "source gone never seen (error: stream not found)"],
    ]);
    expect(check(facts(), { lagCritical: "0" }).checks).toEqual([{ name: "sources", status: "UNKNOWN", unit: "", message: "no sources and no mirror: no lag to check" }]);
  });

  it("consumer: unprocessed and ack pending, thresholds optional; a missing consumer is UNKNOWN", () => {
    const f = facts({ consumer: { name: "alerts", found: true, unprocessed: 1500, ackPending: 3 } });
    const r = check(f, { consumer: "alerts", unprocessedWarn: "1000", outstandingAckCritical: "10" });
    expect(r.checks.map((c) => [c.name, c.status, c.label, c.value, c.message])).toEqual([
      ["unprocessed alerts", "WARNING", "unprocessed", 1500, "consumer alerts: 1,500 unprocessed (warning above 1,000)"],
      ["ack-pending alerts", "OK", "ack_pending", 3, "consumer alerts: 3 awaiting ack"],
    ]);
    expect(check(facts({ consumer: { name: "x", found: false } }), { consumer: "x" })).toMatchObject({ status: "UNKNOWN", code: 3, checks: [{ message: "consumer x does not exist" }] });
  });

  it("fullness: the fuller of bytes and messages against their limits; no limits is OK", () => {
    const limits = { bytes: 900, maxBytes: 1000, messages: 10, maxMsgs: 100, discard: "new" };
    const r = check(facts({ limits }), { fullnessWarn: "80", fullnessCritical: "95" });
    expect(r.checks[0]).toMatchObject({ status: "WARNING", value: 90, unit: "%", min: 0, max: 100, message: "90.0% full (900 B of 1000 B; discard new: refuses events when full) (warning above 80%)" });
    expect(check(facts(), { fullnessCritical: "90" }).checks[0]).toMatchObject({ status: "OK", message: "no max_bytes or max_msgs limit: cannot fill up" });
  });

  it("the worst check is the status: CRITICAL beats WARNING beats UNKNOWN", () => {
    const f = facts({ newestAgeMs: 400_000, consumer: { name: "x", found: false } });
    expect(check(f, { ageWarn: "5m", consumer: "x" }).status).toBe("WARNING");
    expect(check(f, { ageCritical: "5m", consumer: "x" }).status).toBe("CRITICAL");
    expect(check({ ...f, newestAgeMs: 1_000 }, { ageCritical: "5m", consumer: "x" }).status).toBe("UNKNOWN");
  });
});

describe("unknownReport", () => {
  it("is one UNKNOWN check saying why nothing could be checked", () => {
    expect(unknownReport("suricata", "stream suricata does not exist")).toEqual({
      stream: "suricata",
      status: "UNKNOWN",
      code: 3,
      checks: [{ name: "check", status: "UNKNOWN", unit: "", message: "stream suricata does not exist" }],
    });
  });
});
