// `check`'s flags as thresholds, and the Nagios rule: WARNING above warn, CRITICAL above crit, worst one wins.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { DEFAULT_AGE, parseSubjectAge, parseThresholds, statusFor, worstStatus } from "../../src/health/thresholds.js";

describe("statusFor", () => {
  it("is WARNING above warn and CRITICAL above crit; a value equal to a threshold is fine", () => {
    const t = { warn: 10, crit: 20 };
    expect([5, 10, 10.5, 20, 21].map((v) => statusFor(v, t))).toEqual(["OK", "OK", "WARNING", "WARNING", "CRITICAL"]);
  });

  it("takes either bound alone, and 0 as 'anything above nothing'", () => {
    expect(statusFor(100, { crit: 50 })).toBe("CRITICAL");
    expect(statusFor(100, { warn: 50 })).toBe("WARNING");
    expect(statusFor(100, {})).toBe("OK");
    expect([0, 1].map((v) => statusFor(v, { crit: 0 }))).toEqual(["OK", "CRITICAL"]);
  });
});

describe("worstStatus", () => {
  it("orders CRITICAL over WARNING over UNKNOWN over OK", () => {
    expect(worstStatus([])).toBe("OK");
    expect(worstStatus(["OK", "UNKNOWN"])).toBe("UNKNOWN");
    expect(worstStatus(["UNKNOWN", "WARNING", "OK"])).toBe("WARNING");
    expect(worstStatus(["WARNING", "CRITICAL", "UNKNOWN"])).toBe("CRITICAL");
  });
});

describe("parseThresholds", () => {
  it("runs the default age check when nothing is asked for", () => {
    const t = parseThresholds({});
    expect(t.age).toEqual(DEFAULT_AGE);
    expect(t.age).toEqual({ warn: 300_000, crit: 900_000 });
  });

  it("runs only what is asked for: durations in ms, percents and counts as given", () => {
    const t = parseThresholds({ statsAgeCritical: "5m", dropWarn: "1", dropCritical: "2.5%", lagCritical: "10_000", seenWarn: "30s", fullnessWarn: "80" });
    expect(t).toEqual({ subjectAge: [], statsAge: { crit: 300_000 }, drop: { warn: 1, crit: 2.5 }, lag: { crit: 10_000 }, seen: { warn: 30_000 }, fullness: { warn: 80 } });
  });

  it("a consumer alone is a check; its thresholds need it", () => {
    expect(parseThresholds({ consumer: "alerts" })).toEqual({ subjectAge: [], consumer: { name: "alerts" } });
    expect(parseThresholds({ consumer: "alerts", unprocessedWarn: "1000", outstandingAckCritical: "50" }).consumer).toEqual({
      name: "alerts",
      unprocessed: { warn: 1000 },
      ackPending: { crit: 50 },
    });
    expect(() => parseThresholds({ outstandingAckWarn: "5" })).toThrow("--outstanding-ack-warn/-critical need --consumer NAME");
  });

  it("refuses a warning above the critical threshold, and bad values, naming the flag", () => {
    expect(() => parseThresholds({ ageWarn: "20m", ageCritical: "5m" })).toThrow(new UsageError("--age-warn 20m is above --age-critical 5m: a check warns first, then goes critical"));
    expect(() => parseThresholds({ dropWarn: "120" })).toThrow("invalid --drop-warn '120': use a percentage from 0 to 100");
    expect(() => parseThresholds({ lagCritical: "-1" })).toThrow("invalid --lag-critical '-1'");
    expect(() => parseThresholds({ seenCritical: "soon" })).toThrow("invalid --seen-critical 'soon'");
  });
});

describe("parseSubjectAge", () => {
  it("reads SUBJECT=WARN,CRIT with either side empty, wildcards allowed", () => {
    expect(parseSubjectAge("suricata.stats=1m,5m")).toEqual({ subject: "suricata.stats", warn: 60_000, crit: 300_000 });
    expect(parseSubjectAge("suricata.alert=,1d")).toEqual({ subject: "suricata.alert", crit: 86_400_000 });
    expect(parseSubjectAge("suricata.*=10m,")).toEqual({ subject: "suricata.*", warn: 600_000 });
  });

  it("refuses what is not SUBJECT=WARN,CRIT", () => {
    for (const bad of ["suricata.dns", "suricata.dns=5m", "=1m,2m", "suricata.dns=1m,2m,3m", "suricata.dns=,"]) {
      expect(() => parseSubjectAge(bad), bad).toThrow(UsageError);
    }
    expect(() => parseSubjectAge("suri cata=1m,2m")).toThrow("invalid --subject-age subject 'suri cata'");
    expect(() => parseSubjectAge("suricata.dns=5m,1m")).toThrow("--subject-age suricata.dns warning 5m is above critical 1m");
  });
});
