import { describe, expect, it } from "vitest";
import type { ConsumerInfo, StreamInfo } from "@nats-io/jetstream";
import { describeReplica, renderStreamInfo, renderStreamTable, renderSubjectCounts } from "../../src/render/stream.js";
import { renderConsumerInfo, renderConsumerTable } from "../../src/render/consumer.js";
import { messageHeaderLine } from "../../src/render/message.js";

const NS = 1_000_000;
const now = Date.parse("2024-05-01T12:00:00Z");

function streamInfo(over: Partial<StreamInfo> = {}): StreamInfo {
  return {
    config: {
      name: "suricata", subjects: ["suricata.>"], num_replicas: 3, storage: "file", retention: "limits", discard: "old",
      duplicate_window: 120_000 * NS, max_msgs: -1, max_msgs_per_subject: -1, max_bytes: 20 * 1024 ** 3, max_age: (86_400_000 + 7_200_000 + 180_000) * NS,
      max_msg_size: -1, max_consumers: -1,
    },
    created: "2024-04-01T00:00:00Z",
    state: {
      messages: 1234567, bytes: 5 * 1024 ** 3 + 123, first_seq: 10, first_ts: "2024-04-30T12:00:00Z", last_seq: 1234576,
      last_ts: "2024-05-01T11:59:57Z", consumer_count: 2, num_deleted: 0, num_subjects: 9,
    },
    cluster: {
      name: "home", leader: "n1", replicas: [
        { name: "n2", current: true, offline: false, active: 120 * NS, lag: 0 },
        { name: "n3", current: false, offline: true, active: 0, lag: 12 },
      ],
    },
    ...over,
  } as unknown as StreamInfo;
}

describe("stream rendering", () => {
  it("renders units: KiB/GiB, thousands separators, 1d2h3m, unlimited, and the cluster", () => {
    const text = renderStreamInfo(streamInfo(), now);
    expect(text).toMatch(/ Maximum Age: 1d2h3m\n/);
    expect(text).toMatch(/ Maximum Bytes: 20 GiB\n/);
    expect(text).toMatch(/ Maximum Messages: unlimited\n/);
    expect(text).toMatch(/ Messages: 1,234,567\n/);
    expect(text).toMatch(/ Bytes: 5 GiB\n/);
    expect(text).toMatch(/ Last Sequence: 1,234,576 @ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(3s ago\)\n/);
    expect(text).toMatch(/ Leader: n1\n/);
    expect(text).toMatch(/ Replica: n2, current, seen 120ms ago\n/);
    expect(text).toMatch(/ Replica: n3, outdated, OFFLINE, not seen, 12 operations behind\n/);
  });

  it("says so when no leader is elected, and leaves out the zero times of an empty stream", () => {
    const text = renderStreamInfo(
      streamInfo({
        cluster: { name: "home", replicas: [] },
        state: { messages: 0, bytes: 0, first_seq: 0, first_ts: "0001-01-01T00:00:00Z", last_seq: 0, last_ts: "0001-01-01T00:00:00Z", consumer_count: 0 } as never,
      }),
      now,
    );
    expect(text).toMatch(/ Leader: none \(no leader elected/);
    expect(text).toMatch(/ First Sequence: 0\n/);
    expect(describeReplica({ name: "n9", current: true, offline: false, active: 1, lag: 1 })).toBe("n9, current, seen 0s ago, 1 operation behind");
  });

  it("shows each source and the mirror with filter, external domain, lag, last seen and error, so a dead one is visible", () => {
    const info = streamInfo({
      config: {
        ...streamInfo().config,
        sources: [
          { name: "suricata", filter_subject: "suricata.alert", external: { api: "$JS.garage.API", deliver: "" } },
          { name: "local" },
        ],
      },
      sources: [
        { name: "suricata", lag: 1520, active: 95_000 * NS, external: { api: "$JS.garage.API" }, filter_subject: "suricata.alert" },
        { name: "local", lag: 0, active: -1, error: { code: 503, err_code: 10077, description: "stream \u001b]0;x\u0007 gone" } },
      ],
    } as never);
    const text = renderStreamInfo(info, now);
    const sections = text.split("Source Information:").slice(1);
    expect(sections).toHaveLength(2);
    expect(sections[0]).toMatch(/ Stream Name: suricata\n/);
    expect(sections[0]).toMatch(/ Subject Filter: suricata\.alert\n/);
    expect(sections[0]).toMatch(/ External: domain garage \(\$JS\.garage\.API\)\n/);
    expect(sections[0]).toMatch(/ Lag: 1,520\n/);
    expect(sections[0]).toMatch(/ Last Seen: 1m35s ago\n/);
    expect(sections[1]).toMatch(/ Last Seen: never\n/);
    expect(sections[1]).toMatch(/ Error: stream .*gone \(10077\)\n/);
    expect(text).not.toContain("\u001b]0;");
    const mirrored = renderStreamInfo(
      streamInfo({
        config: { ...streamInfo().config, mirror: { name: "pi", external: { api: "$PI.API" } } },
        mirror: { name: "pi", lag: 3, active: 2_000 * NS },
      } as never),
      now,
    );
    expect(mirrored).toMatch(/Mirror Information:\n\n +Stream Name: pi\n +External: API prefix \$PI\.API\n +Lag: 3\n +Last Seen: 2s ago\n/);
  });

  it("shows where a source or mirror starts reading (opt_start_seq, opt_start_time), as natscli does", () => {
    const text = renderStreamInfo(
      streamInfo({
        config: { ...streamInfo().config, sources: [{ name: "old", opt_start_seq: 5000 }], mirror: { name: "pi", opt_start_time: "2024-04-30T00:00:00Z" } },
        sources: [{ name: "old", lag: 0, active: 1_000 * NS }],
        mirror: { name: "pi", lag: 0, active: 1_000 * NS },
      } as never),
      now,
    );
    expect(text).toMatch(/Source Information:\n\n +Stream Name: old\n +Start Sequence: 5,000\n/);
    expect(text).toMatch(/Mirror Information:\n\n +Stream Name: pi\n +Start Time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/);
  });

  it("ls says when there is nothing, and subjects are shown escaped", () => {
    expect(renderStreamTable([])).toBe("No streams defined\n");
    const table = renderSubjectCounts([{ subject: "suricata.\u001b[31mevil", messages: 3 }, { subject: "suricata.dns", messages: 1 }]);
    expect(table).not.toContain("\u001b");
    expect(table).toMatch(/suricata\.\\x1b\[31mevil/i);
    expect(table).toMatch(/suricata\.dns\s+1\s+25\.0%/);
  });
});

describe("consumer rendering", () => {
  it("words state like natscli and hides pull-only rows for push consumers", () => {
    const ci = {
      stream_name: "suricata", name: "live", created: "2024-05-01T00:00:00Z",
      config: { durable_name: "live", deliver_subject: "out.live", deliver_policy: "by_start_sequence", opt_start_seq: 1000, ack_policy: "none", replay_policy: "original", idle_heartbeat: 5000 * NS, flow_control: true },
      delivered: { consumer_seq: 5, stream_seq: 1004 }, ack_floor: { consumer_seq: 0, stream_seq: 0 },
      num_ack_pending: 0, num_redelivered: 0, num_waiting: 0, num_pending: 10, push_bound: true,
    } as unknown as ConsumerInfo;
    const text = renderConsumerInfo(ci, now);
    expect(text).toMatch(/^Information for Consumer suricata > live created /);
    expect(text).toMatch(/ Delivery Subject: out\.live\n/);
    expect(text).toMatch(/ Deliver Policy: From Sequence 1,000\n/);
    expect(text).toMatch(/ Replay Policy: Original\n/);
    expect(text).toMatch(/ Last Delivered Message: Consumer sequence: 5 Stream sequence: 1,004\n/);
    expect(text).not.toContain("Acknowledgment Floor");
    expect(text).not.toContain("Waiting Pulls");
    expect(text).toMatch(/ Active Interest: Active\n/);
  });

  it("the consumer table names the stream sequence it shows as one, not as a count of deliveries", () => {
    const ci = {
      stream_name: "suricata", name: "live", config: { ack_policy: "explicit", filter_subject: "ev.dns" },
      delivered: { consumer_seq: 5, stream_seq: 1004 }, ack_floor: { consumer_seq: 0, stream_seq: 0 },
      num_ack_pending: 0, num_redelivered: 0, num_waiting: 0, num_pending: 10,
    } as unknown as ConsumerInfo;
    const [header, , row] = renderConsumerTable([ci], { width: 200 }).split("\n");
    expect(header).toMatch(/\bLast Delivered Seq\b/);
    expect(header).not.toMatch(/ Delivered {2,}/);
    const column = header!.indexOf("Last Delivered Seq") + "Last Delivered Seq".length;
    expect(row!.slice(0, column).trimEnd()).toMatch(/ 1,004$/);
  });

  it("message header lines name subject, tries, sequences and pending", () => {
    const m = { seq: 1234, subject: "suricata.dns", time: new Date("2024-05-01T12:00:00.123Z"), data: new Uint8Array() };
    expect(messageHeaderLine(m, false, { deliveryCount: 2, consumerSeq: 7, pending: 1500 })).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123\] subj: suricata\.dns \/ tries: 2 \/ cons seq: 7 \/ str seq: 1,234 \/ pending: 1,500$/,
    );
    expect(messageHeaderLine(m, false)).toMatch(/subj: suricata\.dns \/ seq: 1,234$/);
  });
});

describe("every field --json holds is shown", () => {
  it("stream info: placement tags and republish", () => {
    const info = streamInfo();
    Object.assign(info.config, {
      placement: { cluster: "home", tags: ["ssd", "pi"] },
      republish: { src: "suricata.alert", dest: "alerts.live", headers_only: true },
    });
    const text = renderStreamInfo(info, now);
    expect(text).toMatch(/^\s+Placement: cluster home, tags ssd, pi$/m);
    expect(text).toMatch(/^\s+Republishing: suricata\.alert → alerts\.live \(headers only\)$/m);
  });

  it("consumer info: backoff, sample frequency, headers only, rate limit, pull limits", () => {
    const ci = {
      name: "alerts", stream_name: "suricata", created: "2024-04-01T00:00:00Z",
      config: {
        durable_name: "alerts", ack_policy: "explicit", deliver_policy: "all", replay_policy: "instant", ack_wait: 30_000 * NS,
        backoff: [1000 * NS, 2_333_333_333, 60_000 * NS], sample_freq: "50%", headers_only: true, rate_limit_bps: 1_000_000,
        max_batch: 100, max_expires: 30_000 * NS, max_bytes: 65536, max_waiting: 512, max_ack_pending: 1000,
      },
      delivered: { consumer_seq: 0, stream_seq: 0 }, ack_floor: { consumer_seq: 0, stream_seq: 0 },
      num_ack_pending: 0, num_redelivered: 0, num_waiting: 0, num_pending: 0,
    } as unknown as ConsumerInfo;
    const text = renderConsumerInfo(ci, now);
    for (const line of [/^\s+Backoff: 1s, 2.333s, 1m$/m, /^\s+Sampling Rate: 50%$/m, /^\s+Headers Only: true$/m, /^\s+Rate Limit: 1,000,000 bps$/m,
      /^\s+Max Pull Batch: 100$/m, /^\s+Max Pull Expire: 30s$/m, /^\s+Max Pull Bytes: 65,536$/m]) {
      expect(text).toMatch(line);
    }
  });
});

describe("2.11-2.14 stream and consumer fields, as natscli v0.5.0 shows them", () => {
  it("stream info: the Allows rows, first sequence, persist mode and consumer limits", () => {
    const info = streamInfo();
    Object.assign(info.config, {
      first_seq: 100, persist_mode: "async", mirror_direct: true, allow_atomic: true, allow_msg_ttl: true, allow_msg_schedules: true,
      subject_delete_marker_ttl: 300_000 * NS, consumer_limits: { inactive_threshold: 3_600_000 * NS, max_ack_pending: 500 },
      metadata: { "_nats.level": "5", "_nats.req.level": "2", "_nats.ver": "2.15.3" },
    });
    const text = renderStreamInfo(info, now);
    for (const line of [/^\s+Allows Atomic Batch Publish: yes$/m, /^\s+Allows Fast Batch Publish: no$/m, /^\s+Allows Counters: no$/m,
      /^\s+Allows Per-Message TTL: yes$/m, /^\s+Allows Schedules: yes$/m, /^\s+Subject Delete Markers TTL: 5m$/m, /^\s+Mirror Direct Get: yes$/m,
      /^\s+Persistence Mode: Async$/m, /^\s+First Sequence: 100$/m, /^\s+Consumer Inactive Threshold: 1h$/m, /^\s+Consumer Max Ack Pending: 500$/m]) {
      expect(text).toMatch(line);
    }
  });

  it("stream info: a feature the hosting server lacks is not listed as 'no'", () => {
    const older = renderStreamInfo(streamInfo(), now);
    expect(older).not.toMatch(/Allows (Atomic|Fast|Counters|Per-Message|Schedules)/);
    const on212 = streamInfo();
    Object.assign(on212.config, { allow_msg_counter: true, metadata: { "_nats.level": "2" } });
    const text = renderStreamInfo(on212, now);
    expect(text).toMatch(/^\s+Allows Counters: yes$/m);
    expect(text).toMatch(/^\s+Allows Schedules: no$/m);
    expect(text).not.toContain("Fast Batch");
  });

  const pullConsumer = (config: Record<string, unknown>, state: Record<string, unknown> = {}) => ({
    name: "workers", stream_name: "suricata", created: "2024-04-01T00:00:00Z",
    config: { durable_name: "workers", ack_policy: "explicit", deliver_policy: "all", replay_policy: "instant", ack_wait: 30_000 * NS, ...config },
    delivered: { consumer_seq: 0, stream_seq: 0 }, ack_floor: { consumer_seq: 0, stream_seq: 0 },
    num_ack_pending: 0, num_redelivered: 0, num_waiting: 0, num_pending: 0, ...state,
  }) as unknown as ConsumerInfo;

  it("consumer info: priority policy, groups, pinned TTL and which client holds each group", () => {
    const text = renderConsumerInfo(pullConsumer(
      { priority_policy: "pinned_client", priority_groups: ["A", "B"], priority_timeout: 30_000 * NS },
      { priority_groups: [{ group: "A", pinned_client_id: "Xk3", pinned_ts: "2024-05-01T11:59:00Z" }, { group: "B", pinned_ts: "0001-01-01T00:00:00Z" }] },
    ), now);
    expect(text).toMatch(/^\s+Priority Policy: Pinned Client$/m);
    expect(text).toMatch(/^\s+Priority Groups: A, B$/m);
    expect(text).toMatch(/^\s+Pinned TTL: 30s$/m);
    expect(text).toMatch(/^\s+Priority Groups: A: pinned Xk3 at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(1m ago\)$/m);
    expect(text).toMatch(/^\s+Priority Groups: B: No client$/m);
    const overflow = renderConsumerInfo(pullConsumer({ priority_policy: "overflow", priority_groups: ["jobs"] }), now);
    expect(overflow).toMatch(/^\s+Priority Policy: Overflow$/m);
    expect(overflow).toMatch(/^\s+Priority Groups: jobs$/m);
    expect(overflow).not.toContain("Pinned TTL");
    expect(renderConsumerInfo(pullConsumer({ priority_policy: "none" }), now)).not.toContain("Priority");
  });

  it("consumer info: a pause deadline that has passed", () => {
    const text = renderConsumerInfo(pullConsumer({ pause_until: "2024-05-01T11:00:00Z" }, { paused: false }), now);
    expect(text).toMatch(/^\s+Paused Until Deadline: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(passed\)$/m);
    expect(text).not.toMatch(/^\s+Paused:/m);
  });
});
