// Server-supplied text (names, subjects, peers) reaches the terminal only through the table and key/value
// renderers, which sanitise every cell and value (QA F11); and the unit/overflow fixes of QA F12/F13.
import { describe, expect, it } from "vitest";
import type { ConsumerInfo, StreamInfo } from "@nats-io/jetstream";
import { renderTable } from "../../src/render/table.js";
import { renderSections } from "../../src/render/kv.js";
import { renderStreamInfo, renderStreamTable } from "../../src/render/stream.js";
import { renderConsumerInfo, renderConsumerTable } from "../../src/render/consumer.js";
import { renderServerReport, serverCountOf } from "../../src/render/server.js";
import { formatBytes, parseCount, parseDuration, parseSize } from "../../src/text/units.js";
import { visibleWidth } from "../../src/text/width.js";
import { usageMessage } from "../nats/usage.js";

/** What a terminal would act on or hide: C0 but newline, DEL, C1, bidi controls and isolates. */
export const TERMINAL_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const ESC_NAME = "x\u001b]0;N\u0007";
const CSI_C1 = "c\u009b2J";
const BIDI = "a\u202etxt.exe";

describe("renderTable", () => {
  it("escapes every cell and sizes columns by the escaped text", () => {
    const text = renderTable([{ header: "Name" }, { header: "N", align: "right" }], [[ESC_NAME, "1"], [CSI_C1, "2"], [BIDI, "3"]]);
    expect(text).not.toMatch(TERMINAL_CONTROL);
    const lines = text.trimEnd().split("\n");
    expect(lines[2]).toBe("x\\x1B]0;N\\x07   1");
    expect(lines[3]).toBe("c\\x9B2J         2");
    expect(lines[4]).toBe("a\\u202Etxt.exe  3");
    // The rule is as wide as the widest escaped cell.
    expect(lines[1]).toBe("─".repeat("a\\u202Etxt.exe".length) + "  ─");
  });

  it("cuts an escaped cell to the width without splitting it into raw bytes", () => {
    const text = renderTable([{ header: "Name", shrink: true, minWidth: 6 }, { header: "Messages", align: "right" }], [[ESC_NAME.repeat(5), "1"]], { width: 30 });
    expect(text).not.toMatch(TERMINAL_CONTROL);
    for (const line of text.trimEnd().split("\n")) expect(visibleWidth(line)).toBeLessThanOrEqual(30);
  });
});

describe("renderSections", () => {
  it("escapes values (labels and titles are ours)", () => {
    const text = renderSections([{ title: "Cluster", rows: [["Leader", ESC_NAME], ["Replica", `${CSI_C1}, current`]] }]);
    expect(text).not.toMatch(TERMINAL_CONTROL);
    expect(text).toContain("Leader: x\\x1B]0;N\\x07");
    expect(text).toContain("Replica: c\\x9B2J, current");
  });
});

function streamInfo(name: string, subjects: string[]): StreamInfo {
  return {
    config: {
      name, subjects, retention: "limits", storage: "file", discard: "old", max_msgs: -1, max_msgs_per_subject: -1, max_bytes: -1,
      max_age: 0, max_msg_size: -1, max_consumers: -1, num_replicas: 1, duplicate_window: 120e9,
      mirror: { name: BIDI }, sources: [{ name: CSI_C1 }],
    },
    state: { messages: 3, bytes: 300, first_seq: 1, last_seq: 3, consumer_count: 1, first_ts: "", last_ts: "" },
    created: "2024-05-01T12:00:00Z",
    cluster: { name: `c${BIDI}`, leader: ESC_NAME, replicas: [{ name: CSI_C1, current: true, active: 1e6, lag: 0 }] },
  } as unknown as StreamInfo;
}

function consumerInfo(name: string): ConsumerInfo {
  return {
    name, stream_name: ESC_NAME, created: "2024-05-01T12:00:00Z",
    config: { durable_name: name, ack_policy: "explicit", deliver_policy: "all", replay_policy: "instant", deliver_subject: `d.${BIDI}`, deliver_group: CSI_C1, filter_subject: `q.${ESC_NAME}` },
    delivered: { consumer_seq: 0, stream_seq: 0 }, ack_floor: { consumer_seq: 0, stream_seq: 0 },
    num_ack_pending: 0, num_redelivered: 0, num_waiting: 0, num_pending: 0, push_bound: true,
  } as unknown as ConsumerInfo;
}

describe("stream and consumer renderers", () => {
  it("stream info and ls show hostile names, subjects, mirror, sources and cluster peers escaped", () => {
    const info = streamInfo(ESC_NAME, [`q.${CSI_C1}.>`, "plain.>"]);
    const shown = renderStreamInfo(info) + renderStreamTable([info]) + renderStreamTable([info], { width: 50 });
    expect(shown).not.toMatch(TERMINAL_CONTROL);
    expect(shown).toContain("Information for Stream x\\x1B]0;N\\x07");
    expect(shown).toContain("q.c\\x9B2J.>");
    expect(shown).toContain("Mirror: a\\u202Etxt.exe");
    expect(shown).toContain("Leader: x\\x1B]0;N\\x07");
  });

  it("consumer info and ls show hostile names, subjects and queue groups escaped", () => {
    const ci = consumerInfo(CSI_C1);
    const shown = renderConsumerInfo(ci) + renderConsumerTable([ci]) + renderConsumerTable([ci], { width: 40 });
    expect(shown).not.toMatch(TERMINAL_CONTROL);
    expect(shown).toContain("Information for Consumer x\\x1B]0;N\\x07 > c\\x9B2J");
    expect(shown).toContain("Delivery Subject: d.a\\u202Etxt.exe");
  });

  it("consumer ls draws the rule under every column as wide as the column, the last one too", () => {
    const ci = consumerInfo("alerts");
    for (const width of [undefined, 80, 60]) {
      const [header, rule] = renderConsumerTable([ci], { width }).split("\n");
      expect(rule!.length).toBe(header!.length);
      expect(rule!.split(/ +/).at(-1)).toBe("─".repeat("Redelivered".length));
      expect(rule!.split(/ +/)).toHaveLength(8);
    }
  });
});

describe("server info", () => {
  it("counts servers, not the IPv4 and IPv6 URLs each one advertises", () => {
    const oneHost = ["127.0.0.1:14251", "127.0.0.1:14252", "127.0.0.1:14253", "[::1]:14251", "[::1]:14252", "[::1]:14253"];
    expect(serverCountOf(oneHost)).toBe(3);
    const threeHosts = ["192.0.2.1:4222", "192.0.2.2:4222", "192.0.2.3:4222", "[fd00::1]:4222", "[fd00::2]:4222", "[fd00::3]:4222"];
    expect(serverCountOf(threeHosts)).toBe(3);
    expect(serverCountOf(["192.0.2.1:4222"])).toBe(1);
    const text = renderServerReport({
      server: { server_name: ESC_NAME, server_id: "ID", version: "2.9.10", go: "go1.19", host: "0.0.0.0", port: 4222, max_payload: 1048576 },
      connectedUrl: "nats://127.0.0.1:4222",
      cluster: { name: `c${BIDI}`, clientUrls: threeHosts },
    } as never);
    expect(text).not.toMatch(TERMINAL_CONTROL);
    expect(text).toMatch(/ Servers: 3\n/);
    expect(text).toContain(`Client URLs: ${threeHosts.join(", ")}`);
  });
});

describe("units at the API's 64-bit limits", () => {
  it("refuses durations, sizes and counts past int64, naming the flag and the maximum", () => {
    expect(usageMessage(() => parseDuration("99999999999d", "--max-age"))).toMatch(/^invalid --max-age '99999999999d': at most 292y\d+d/);
    expect(parseDuration("292y")).toBe(292 * 365 * 86_400_000);
    expect(usageMessage(() => parseSize("99999999999999999999GiB", "--max-bytes"))).toMatch(/^invalid --max-bytes '99999999999999999999GiB': at most 9223372036854775807 bytes/);
    expect(usageMessage(() => parseSize("8EiB", "--max-bytes"))).toMatch(/at most 9223372036854775807 bytes/);
    expect(usageMessage(() => parseCount("99999999999999999999", "--max-msgs"))).toMatch(/^invalid --max-msgs '99999999999999999999': at most 9223372036854775807/);
  });

  it("takes PiB/PB/EiB and lists the units when it cannot read one", () => {
    expect(parseSize("1PiB")).toBe(1024 ** 5);
    expect(parseSize("2PB")).toBe(2 * 1000 ** 5);
    expect(parseSize("7EiB")).toBe(7 * 1024 ** 6);
    expect(usageMessage(() => parseSize("1XB", "--max-bytes"))).toContain("(B, KB/KiB, MB/MiB, GB/GiB, TB/TiB, PB/PiB, EB/EiB)");
  });

  it("shows a negative amount of data as negative; only limits say unlimited", () => {
    expect(formatBytes(-5)).toBe("-5 B");
    expect(formatBytes(-1536)).toBe("-1.5 KiB");
  });
});

describe("a table wider than the terminal", () => {
  it("closes up to one space between columns before overflowing, so the last column is not wrapped", () => {
    const ci = { ...consumerInfo("alerts-dns"), config: { ack_policy: "explicit", filter_subject: "ev.dns" } } as unknown as ConsumerInfo;
    const natural = renderConsumerTable([ci]).split("\n")[0]!;
    expect(natural.length).toBe(93);
    const lines = renderConsumerTable([ci], { width: 89 }).trimEnd().split("\n");
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(89);
    expect(lines[0]).toBe("Name       Mode Filter Ack      Last Delivered Seq Ack Pending Unprocessed Redelivered");
    expect(lines[1]!.split(" ").at(-1)).toBe("─".repeat("Redelivered".length));
  });
});
