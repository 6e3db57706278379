import { describe, expect, it } from "vitest";
import { PaneState } from "../../../src/tui/state/pane-state.js";

const NOW = 1_700_000_000_000;

function dns(name: string, i = 0): string {
  return JSON.stringify({ event_type: "dns", src_ip: "10.0.0.1", dest_ip: "10.0.0.53", dns: { type: "query", rrname: name, rrtype: "A", id: i } });
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

function feed(pane: PaneState, payloads: string[]): void {
  for (const p of payloads) pane.receive(utf8.encode(p), NOW);
}

function payloadAt(pane: PaneState, index: number): string {
  return text.decode(pane.lines.get(index)!);
}

function names(pane: PaneState, rows = pane.rows): string[] {
  return pane.visibleIndices(rows).map((i) => (JSON.parse(payloadAt(pane, i)) as { dns: { rrname: string } }).dns.rrname);
}

const seq = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `n${from + i}`);

describe("PaneState", () => {
  it("counts every message exactly, keeps the newest, and shows the last rows", () => {
    const pane = new PaneState({ subject: "suricata.dns", eventType: "dns", capacity: 100 });
    pane.rows = 3;
    feed(pane, seq(250).map((n) => dns(n)));
    feed(pane, ["not json"]);
    expect(pane.total).toBe(251);
    expect(pane.invalid).toBe(1);
    expect(pane.lines.size).toBe(100);
    expect(pane.visibleIndices().map((i) => payloadAt(pane, i))).toEqual([dns("n248"), dns("n249"), "not json"]);
    expect(pane.top.top(1)[0]!.key).toBe("n0");
  });

  it("pause freezes the rows, counts '+N new', and buffers without loss up to the ring's bound", () => {
    const pane = new PaneState({ subject: "suricata.dns", eventType: "dns", capacity: 50 });
    pane.rows = 3;
    feed(pane, seq(5).map((n) => dns(n)));
    expect(names(pane)).toEqual(["n2", "n3", "n4"]);
    pane.pause();
    feed(pane, seq(10, 5).map((n) => dns(n)));
    expect(names(pane)).toEqual(["n2", "n3", "n4"]);
    expect(pane.newWhileHeld).toBe(10);
    expect(pane.total).toBe(15);
    // Past the bound: the rows on screen stay, the rest is counted.
    feed(pane, seq(100, 15).map((n) => dns(n)));
    expect(names(pane)).toEqual(["n2", "n3", "n4"]);
    expect(pane.total).toBe(115);
    expect(pane.newWhileHeld).toBe(110);
    // The ring holds 50 from the top row on screen (n2): n2..n51 kept, the other 63 only counted.
    expect(pane.heldDropped).toBe(63);
    pane.resume();
    expect(pane.newWhileHeld).toBe(0);
    expect(pane.heldDropped).toBe(0);
    // Everything buffered during the pause is there to scroll back to.
    expect(pane.lines.firstIndex).toBe(2);
    expect(names(pane)).toEqual(["n49", "n50", "n51"]);
  });

  it("scrolls by selection: k selects the bottom row then moves up, j down, g oldest, G follows again", () => {
    const pane = new PaneState({ subject: "suricata.dns", eventType: "dns", capacity: 100 });
    pane.rows = 3;
    feed(pane, seq(10).map((n) => dns(n)));
    pane.scrollUp(1);
    expect(pane.selected).toBe(9);
    pane.scrollUp(4);
    expect(pane.selected).toBe(5);
    expect(names(pane)).toEqual(["n5", "n6", "n7"]);
    // New messages do not move a scrolled view; the title counts them.
    feed(pane, seq(2, 10).map((n) => dns(n)));
    expect(names(pane)).toEqual(["n5", "n6", "n7"]);
    expect(pane.newWhileHeld).toBe(4);
    pane.scrollDown(3);
    expect(pane.selected).toBe(8);
    expect(names(pane)).toEqual(["n6", "n7", "n8"]);
    pane.scrollToOldest();
    expect(pane.selected).toBe(0);
    expect(names(pane)).toEqual(["n0", "n1", "n2"]);
    pane.scrollDown(100);
    expect(pane.selected).toBe(11);
    pane.scrollToNewest();
    expect(pane.selected).toBeNull();
    expect(names(pane)).toEqual(["n9", "n10", "n11"]);
    expect(pane.currentIndex()).toBe(11);
  });

  it("filters with JMESPath or plain text, evaluated once per message, scrolling through matches only", () => {
    const pane = new PaneState({ subject: "suricata.dns", eventType: "dns", capacity: 100 });
    pane.rows = 5;
    feed(pane, seq(20).map((n) => dns(n)));
    pane.setFilter("dns.rrname == 'n3' || dns.rrname == 'n13'");
    expect(pane.filter?.kind).toBe("jmespath");
    expect(names(pane)).toEqual(["n3", "n13"]);
    feed(pane, [dns("n3"), dns("zzz")]);
    expect(names(pane)).toEqual(["n3", "n13", "n3"]);
    pane.scrollUp(2);
    expect(pane.selected).toBe(13);
    pane.setFilter("N1");
    expect(pane.filter?.kind).toBe("text");
    expect(pane.selected).toBeNull();
    expect(names(pane)).toEqual(["n15", "n16", "n17", "n18", "n19"]);
    pane.setFilter("");
    expect(pane.filter).toBeUndefined();
    expect(names(pane, 2)).toEqual(["n3", "zzz"]);
  });

  it("keeps a broken expression as a text search and says why", () => {
    const pane = new PaneState({ subject: "suricata.dns", eventType: "dns" });
    const filter = pane.setFilter("dns.rrname == ");
    expect(filter?.kind).toBe("text");
    expect(filter?.parseError).toMatch(/column/);
  });

  it("clear forgets lines and top-N but not the total", () => {
    const pane = new PaneState({ subject: "suricata.dns", eventType: "dns" });
    feed(pane, seq(5).map((n) => dns(n)));
    pane.clear();
    expect(pane.total).toBe(5);
    expect(pane.visibleIndices()).toEqual([]);
    expect(pane.top.size).toBe(0);
    feed(pane, [dns("after")]);
    expect(names(pane)).toEqual(["after"]);
  });

  it("feeds the stats dashboard from stats events in a stats pane", () => {
    const pane = new PaneState({ subject: "suricata.stats", eventType: "stats" });
    const stats = (uptime: number, pkts: number) =>
      JSON.stringify({ event_type: "stats", host: "s1", timestamp: `2024-01-01T00:00:${String(uptime).padStart(2, "0")}.000000+0000`, stats: { uptime, decoder: { pkts, bytes: pkts * 100 } } });
    feed(pane, [stats(10, 1000), stats(20, 6000)]);
    const figures = pane.stats!.figures();
    expect(figures).toHaveLength(1);
    expect(figures[0]!.snapshot.packetsPerSec).toBe(500);
    expect(figures[0]!.packetsHistory).toEqual([500]);
  });

  it("a backfilled message counts in the total, not in the live rate, and its stats keep the time the stream stored them", () => {
    const pane = new PaneState({ subject: "suricata.stats", eventType: "stats" });
    const stats = JSON.stringify({ event_type: "stats", host: "s1", timestamp: "2024-01-01T00:00:10.000000+0000", stats: { uptime: 10 } });
    const tenMinutesAgo = NOW - 600_000;
    for (let i = 0; i < 50; i++) pane.receive(utf8.encode(dns(`old${i}`)), NOW, tenMinutesAgo);
    pane.receive(utf8.encode(stats), NOW, tenMinutesAgo);
    pane.receive(utf8.encode(dns("live")), NOW);
    expect(pane.total).toBe(52);
    expect(pane.rate.countAt(Math.floor(NOW / 1000))).toBe(1);
    expect(pane.stats!.figures()[0]!.receivedAtMs).toBe(tenMinutesAgo);
    // Live, the same stats event is as fresh as its arrival.
    pane.receive(utf8.encode(stats), NOW);
    expect(pane.stats!.figures()[0]!.receivedAtMs).toBe(NOW);
  });
});

describe("PaneState with events larger than the ring keeps whole", () => {
  it("keeps a bounded digest of an oversized event, shown as the event it is, not as 'not JSON'", () => {
    const pane = new PaneState({ subject: "suricata.dns", eventType: "dns", capacity: 100 });
    pane.rows = 3;
    const hugeName = `S250000-${"b".repeat(250_000)}`;
    feed(pane, [dns("before"), dns(hugeName), dns("after")]);
    expect(pane.total).toBe(3);
    expect(pane.invalid).toBe(0);
    const kept = pane.visibleIndices().map((i) => JSON.parse(payloadAt(pane, i)) as { dns: { rrname: string }; nsm4home_truncated?: string });
    expect(kept.map((e) => e.dns.rrname.slice(0, 8))).toEqual(["before", "S250000-", "after"]);
    expect(kept[1]!.nsm4home_truncated).toMatch(/^event of \d+ bytes, shortened for display$/);
    expect(pane.lines.get(pane.visibleIndices()[1]!)!.length).toBeLessThan(pane.lines.maxPayloadBytes);
  });
});
