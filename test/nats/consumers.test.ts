import { describe, expect, it } from "vitest";
import { applyConsumerFlags, consumerEditCommand, defaultConsumerConfig, linearBackoffNs, parseDeliver, showConsumerValue } from "../../src/nats/consumers/index.js";
import { diffConfig } from "../../src/nats/config-diff.js";
import { UsageError } from "../../src/errors.js";
import { usageMessage } from "./usage.js";

const NS = 1_000_000;


describe("parseDeliver", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");
  it("knows the policies, sequences, durations and times", () => {
    expect(parseDeliver("all", now)).toEqual({ deliver_policy: "all", relative: false });
    expect(parseDeliver("new", now).deliver_policy).toBe("new");
    expect(parseDeliver("last", now).deliver_policy).toBe("last");
    expect(parseDeliver("last-per-subject", now).deliver_policy).toBe("last_per_subject");
    expect(parseDeliver("1000", now)).toEqual({ deliver_policy: "by_start_sequence", opt_start_seq: 1000, relative: false });
    expect(parseDeliver("1h", now)).toEqual({ deliver_policy: "by_start_time", opt_start_time: "2024-05-01T11:00:00.000Z", relative: true });
    expect(parseDeliver("2024-04-01T00:00:00Z", now)).toMatchObject({ opt_start_time: "2024-04-01T00:00:00.000Z", relative: false });
    expect(usageMessage(() => parseDeliver("sometime", now))).toMatch(/--deliver 'sometime': use all, new, last, last-per-subject/);
    expect(usageMessage(() => parseDeliver("0", now))).toMatch(/sequences start at 1/);
  });
});

describe("applyConsumerFlags", () => {
  it("builds a pull consumer by default and a push consumer with --target", () => {
    const pull = applyConsumerFlags(defaultConsumerConfig(), { subject: ["suricata.alert"], maxDeliver: "5", wait: "1m", maxPending: "100", maxWaiting: "10", inactiveThreshold: "1h" });
    expect(pull.config).toEqual({
      ack_policy: "explicit",
      deliver_policy: "all",
      replay_policy: "instant",
      filter_subject: "suricata.alert",
      max_deliver: 5,
      ack_wait: 60_000 * NS,
      max_ack_pending: 100,
      max_waiting: 10,
      inactive_threshold: 3_600_000 * NS,
    });
    const push = applyConsumerFlags(defaultConsumerConfig(), { target: "out.alerts", heartbeat: "5s", flowControl: true, ack: "none", replay: "original" });
    expect(push.config).toMatchObject({ deliver_subject: "out.alerts", idle_heartbeat: 5000 * NS, flow_control: true, ack_policy: "none", replay_policy: "original" });
    expect(applyConsumerFlags({}, { subject: ["a.b", "c.d"] }).config.filter_subjects).toEqual(["a.b", "c.d"]);
    expect(applyConsumerFlags({}, { deliver: "2h" }).ignore).toEqual(["opt_start_time"]);
  });

  it("refuses settings that do not fit the consumer's kind, naming the flags", () => {
    expect(usageMessage(() => applyConsumerFlags({}, { heartbeat: "5s" }))).toBe("--heartbeat need --target SUBJECT (a push consumer)");
    expect(usageMessage(() => applyConsumerFlags({}, { deliverGroup: "g", flowControl: true }))).toMatch(/--deliver-group, --flow-control need --target/);
    expect(usageMessage(() => applyConsumerFlags({}, { target: "x", flowControl: true }))).toMatch(/--flow-control needs --heartbeat/);
    expect(usageMessage(() => applyConsumerFlags({}, { target: "x", maxWaiting: "3" }))).toMatch(/--max-waiting is for pull consumers/);
    expect(usageMessage(() => applyConsumerFlags({}, { ack: "maybe" }))).toBe("invalid --ack 'maybe': use explicit, none or all");
    expect(usageMessage(() => applyConsumerFlags({}, { replay: "fast" }))).toBe("invalid --replay 'fast': use instant or original");
    expect(usageMessage(() => applyConsumerFlags({}, { wait: "soon" }))).toMatch(/--wait 'soon'/);
    expect(usageMessage(() => applyConsumerFlags({}, { maxDeliver: "0" }))).toMatch(/--max-deliver '0'/);
  });

  it("suggests an edit command for the fields that differ", () => {
    const current = { ...defaultConsumerConfig(), durable_name: "alerts", ack_wait: 30_000 * NS, max_deliver: -1, filter_subject: "suricata.alert" };
    const wanted = applyConsumerFlags(defaultConsumerConfig(), { subject: ["suricata.dns"], maxDeliver: "5", wait: "2m", description: "dns watcher" }).config;
    const changes = diffConfig(current, wanted);
    expect(consumerEditCommand("suricata", "alerts", changes)).toBe(
      "nsm4home consumer edit suricata alerts --subject suricata.dns --max-deliver 5 --wait 2m --description 'dns watcher'",
    );
    // A start sequence rides on --deliver, alone or with the policy; a field without a flag needs --config.
    const fromSeq = [
      { field: "deliver_policy", from: "all", to: "by_start_sequence" },
      { field: "opt_start_seq", from: undefined, to: 100 },
      { field: "flow_control", from: true, to: false },
      { field: "sample_freq", from: "", to: "50%" },
    ];
    expect(consumerEditCommand("suricata", "a b", fromSeq, "c.json")).toBe(
      "nsm4home consumer edit suricata 'a b' --config c.json --deliver 100 --no-flow-control",
    );
    expect(consumerEditCommand("suricata", "alerts", [{ field: "opt_start_seq", from: 1, to: 7 }], "c.json")).toBe(
      "nsm4home consumer edit suricata alerts --deliver 7",
    );
    expect(showConsumerValue("ack_wait", 30_000 * NS)).toBe("30s");
    expect(showConsumerValue("max_deliver", -1)).toBe("unlimited");
  });

  it("natscli's priority group flags: one policy, valid group names, --pinned-ttl with --pinned-groups, pull only", () => {
    const pinned = applyConsumerFlags(defaultConsumerConfig(), { pinnedGroups: ["a", "b"], pinnedTtl: "1m" }).config;
    expect(pinned).toMatchObject({ priority_policy: "pinned_client", priority_groups: ["a", "b"], priority_timeout: 60_000 * NS });
    const overflow = applyConsumerFlags({ ...pinned }, { overflowGroups: ["jobs"] }).config as Record<string, unknown>;
    expect(overflow).toMatchObject({ priority_policy: "overflow", priority_groups: ["jobs"] });
    expect(overflow.priority_timeout).toBeUndefined();
    expect(applyConsumerFlags({}, { prioritizedGroups: ["x=1"] }).config).toMatchObject({ priority_policy: "prioritized", priority_groups: ["x=1"] });
    expect(usageMessage(() => applyConsumerFlags({}, { pinnedGroups: ["a"], overflowGroups: ["b"] }))).toBe(
      "--pinned-groups and --overflow-groups do not go together: a consumer has one priority policy",
    );
    expect(usageMessage(() => applyConsumerFlags({}, { pinnedTtl: "1m" }))).toBe("--pinned-ttl goes with --pinned-groups (a pinned client consumer)");
    expect(usageMessage(() => applyConsumerFlags({}, { pinnedGroups: [] }))).toBe("--pinned-groups needs at least one group name");
    expect(usageMessage(() => applyConsumerFlags({}, { overflowGroups: ["a\u001b[2J"] }))).toMatch(/^invalid --overflow-groups group 'a\\x1B\[2J': use 1 to 16/);
    expect(usageMessage(() => applyConsumerFlags({}, { pinnedGroups: ["seventeen-chars-x"] }))).toMatch(/^invalid --pinned-groups group/);
    expect(usageMessage(() => applyConsumerFlags({}, { target: "out", pinnedGroups: ["a"] }))).toBe(
      "priority groups are for pull consumers; drop --target or the priority groups",
    );
    expect(showConsumerValue("priority_timeout", 120_000 * NS)).toBe("2m");
    expect(consumerEditCommand("s", "c", [{ field: "priority_timeout", from: 60_000 * NS, to: 120_000 * NS }])).toBe("nsm4home consumer edit s c --pinned-ttl 2m");
  });

  it("natscli's --backoff linear: the same waits as jsm.go, max deliveries one more than the steps", () => {
    expect(linearBackoffNs(3, 1000 * NS, 5000 * NS)).toEqual([1000 * NS, 2333 * NS, 3667 * NS]);
    // natscli v0.5.0's defaults (10 steps, 1m to 20m), as `nats consumer add --backoff linear` makes them.
    expect(linearBackoffNs(10, 60_000 * NS, 1_200_000 * NS).map((ns) => ns / NS / 1000)).toEqual([60, 174, 288, 402, 516, 630, 744, 858, 972, 1086]);
    const made = applyConsumerFlags(defaultConsumerConfig(), { backoff: "linear", backoffSteps: "3", backoffMin: "1s", backoffMax: "5s" }).config;
    expect(made.backoff).toEqual([1000 * NS, 2333 * NS, 3667 * NS]);
    expect(made.max_deliver).toBe(4);
    expect(applyConsumerFlags({ backoff: [NS] }, { backoff: "none" }).config.backoff).toEqual([]);
    expect(usageMessage(() => applyConsumerFlags({}, { backoffMin: "1s" }))).toBe("--backoff-min go with --backoff linear");
    expect(usageMessage(() => applyConsumerFlags({}, { backoff: "expo" }))).toBe("invalid --backoff 'expo': use linear or none");
    expect(usageMessage(() => applyConsumerFlags({}, { backoff: "linear", ack: "none" }))).toMatch(/^--backoff .* needs --ack explicit or all$/);
    expect(usageMessage(() => applyConsumerFlags({}, { backoff: "linear", maxDeliver: "3", backoffSteps: "3" }))).toBe(
      "--max-deliver 3 must be more than the 3 backoff steps (the first delivery and one per step): give --max-deliver 4 or more",
    );
    expect(usageMessage(() => applyConsumerFlags({ max_deliver: 5 }, { backoff: "linear" }))).toMatch(/^the consumer's 5 deliveries must be more than the 10 backoff steps/);
    expect(usageMessage(() => applyConsumerFlags({}, { backoff: "linear", backoffSteps: "5", backoffMin: "1s", backoffMax: "1000000004ns" }))).toMatch(/too small for 5 steps/);
    expect(showConsumerValue("backoff", [1000 * NS, 2333 * NS, 120_000 * NS])).toBe("1s, 2.333s, 2m");
    expect(showConsumerValue("backoff", [])).toBe("none");
  });
});
