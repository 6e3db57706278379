import { describe, expect, it } from "vitest";
import type { Command } from "../../../src/tui/keymap.js";
import { HELP_ROW_COUNT } from "../../../src/tui/keymap.js";
import { eventDetailLines } from "../../../src/tui/state/detail-view.js";
import type { TuiStore } from "../../../src/tui/state/store.js";
import { TuiStore as Store } from "../../../src/tui/state/store.js";
import { fourPaneStore, payload } from "../helpers.js";

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

function store(): TuiStore {
  const s = fourPaneStore({ timestamps: "utc", now: () => NOW });
  s.resize(120, 40);
  return s;
}

const run = (s: TuiStore, command: Command, digit?: number) => s.dispatch(digit === undefined ? { command } : { command, digit });

function dns(name: string): Uint8Array {
  return payload({ event_type: "dns", timestamp: "2024-01-01T11:59:59.5+0000", dns: { type: "query", rrname: name, rrtype: "A" } });
}

describe("TuiStore", () => {
  it("lays out four panes 2x2 in rows-1 minus the status bar, and formats lines to the pane width", () => {
    const s = store();
    s.receive(0, dns("www.example.com"));
    const snap = s.snapshot();
    expect(snap.rows).toBe(39);
    expect(snap.panes.map((p) => p.rect)).toEqual([
      { x: 0, y: 0, width: 60, height: 19 },
      { x: 60, y: 0, width: 60, height: 19 },
      { x: 0, y: 19, width: 60, height: 19 },
      { x: 60, y: 19, width: 60, height: 19 },
    ]);
    expect(snap.panes[0]!.contentRows).toBe(16);
    expect(snap.panes[0]!.contentWidth).toBe(58);
    expect(snap.panes[0]!.lines).toEqual([{ text: "11:59:59.500Z DNS   Q www.example.com A", selected: false }]);
    expect(snap.panes[0]!.total).toBe(1);
    expect(snap.panes[3]!.view).toBe("stats");
  });

  it("shows a subject from the command line with its control and bidi characters escaped, in titles and the event view", () => {
    const hostile = "suricata.x\x1b[2J\u202ey";
    const s = new Store({ panes: [{ subject: hostile, eventType: "x" }], server: "nats://127.0.0.1:4222", color: false, timestamps: "none" });
    s.resize(120, 40);
    expect(s.snapshot().panes[0]!.subject).toBe("suricata.x\\x1B[2J\\u202Ey");
    s.receive(0, payload({ event_type: "x", timestamp: "2024-01-01T11:59:59.5+0000" }));
    run(s, "detail");
    const title = JSON.stringify(s.snapshot());
    expect(title).not.toMatch(/\\u001b|\u202e/);
    expect(title).toContain("suricata.x\\\\x1B[2J\\\\u202Ey · event #1");
  });

  it("scrolls the help with the scroll keys while it is open, not the pane behind it; ? opens it at the top", () => {
    const s = store();
    for (let i = 0; i < 30; i++) s.receive(0, dns(`n${i}.example`));
    run(s, "help");
    run(s, "scrollDown");
    run(s, "scrollDown");
    expect(s.snapshot().helpScroll).toBe(2);
    run(s, "scrollUp");
    expect(s.snapshot().helpScroll).toBe(1);
    run(s, "scrollNewest");
    expect(s.snapshot().helpScroll).toBe(HELP_ROW_COUNT - 1);
    run(s, "scrollOldest");
    expect(s.snapshot().helpScroll).toBe(0);
    run(s, "scrollUp");
    run(s, "close");
    // The pane kept following live, nothing selected: the keys went to the help.
    expect(s.snapshot().panes[0]!.lines.some((l) => l.selected)).toBe(false);
    run(s, "scrollUp");
    expect(s.snapshot().panes[0]!.lines.some((l) => l.selected)).toBe(true);
    run(s, "help");
    expect(s.snapshot().helpScroll).toBe(0);
  });

  it("moves focus with Tab, Shift-Tab and digits, and zooms the focused pane", () => {
    const s = store();
    run(s, "focusNext");
    run(s, "focusNext");
    expect(s.snapshot().panes.map((p) => p.focused)).toEqual([false, false, true, false]);
    run(s, "focusPrev");
    run(s, "focusPrev");
    run(s, "focusPrev");
    expect(s.focus).toBe(3);
    run(s, "focusPane", 2);
    expect(s.focus).toBe(1);
    run(s, "focusPane", 9);
    expect(s.focus).toBe(1);
    run(s, "zoom");
    const zoomed = s.snapshot();
    expect(zoomed.panes[1]!.rect).toEqual({ x: 0, y: 0, width: 120, height: 38 });
    expect(zoomed.panes[0]!.rect.width).toBe(0);
    run(s, "zoom");
    expect(s.snapshot().panes[1]!.rect.width).toBe(60);
  });

  it("pauses every pane: rows stay, counters go on, titles count what is new", () => {
    const s = store();
    s.receive(0, dns("before"));
    run(s, "pause");
    for (let i = 0; i < 5; i++) s.receive(0, dns(`during-${i}`));
    const snap = s.snapshot();
    expect(snap.paused).toBe(true);
    expect(snap.panes[0]!.lines.map((l) => l.text)).toEqual(["11:59:59.500Z DNS   Q before A"]);
    expect(snap.panes[0]!.total).toBe(6);
    expect(snap.panes[0]!.newWhileHeld).toBe(5);
    run(s, "pause");
    expect(s.snapshot().panes[0]!.lines).toHaveLength(6);
  });

  it("takes a filter from the filter box, shows a broken expression's problem, and Esc clears it", () => {
    const s = store();
    for (const name of ["a.example", "b.example", "c.example"]) s.receive(0, dns(name));
    run(s, "filter");
    expect(s.inputMode).toBe("filter");
    s.typeInFilter("dns.rrname == ");
    expect(s.snapshot().filterInput).toEqual({ paneSubject: "suricata.dns", text: "dns.rrname == ", problem: expect.stringMatching(/^not JMESPath: .*column 14/) });
    s.typeInFilter("'b.example'");
    expect(s.snapshot().filterInput?.problem).toBeUndefined();
    run(s, "filterApply");
    const snap = s.snapshot();
    expect(snap.filterInput).toBeUndefined();
    expect(snap.panes[0]!.filter).toEqual({ text: "dns.rrname == 'b.example'", kind: "jmespath" });
    expect(snap.panes[0]!.lines.map((l) => l.text)).toEqual(["11:59:59.500Z DNS   Q b.example A"]);
    run(s, "clearFilter");
    expect(s.snapshot().panes[0]!.lines).toHaveLength(3);
    run(s, "filter");
    s.typeInFilter("x");
    run(s, "filterErase");
    s.typeInFilter("zzz");
    run(s, "filterCancel");
    expect(s.snapshot().panes[0]!.filter).toBeUndefined();
  });

  it("opens the selected event as pretty JSON with hostile text escaped, scrolls it, and closes", () => {
    const s = store();
    s.receive(0, payload({ event_type: "dns", dns: { type: "query", rrname: "\u001b]0;owned\u0007evil\u202e.com" } }));
    s.receive(0, dns("newest"));
    run(s, "scrollUp");
    run(s, "scrollUp");
    run(s, "detail");
    const snap = s.snapshot();
    expect(snap.overlay).toBe("detail");
    const text = snap.detail!.lines.join("\n");
    expect(text).toContain('"rrname": "\\u001b]0;owned\\u0007evil\\u202E.com"');
    expect(text).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(snap.detail!.title).toBe("suricata.dns · event #1 · f flow · h/H host");
    run(s, "close");
    expect(s.snapshot().overlay).toBe("none");
  });

  it("shows invalid payloads escaped in the event view", () => {
    expect(eventDetailLines("\u001b[2Jnot json")).toEqual(["(not an event: not JSON)", "\\x1B[2Jnot json"]);
  });

  it("toggles timestamps, the top-N view, the help, and clears the focused pane", () => {
    const s = store();
    s.receive(0, dns("x.example"));
    s.receive(0, dns("x.example"));
    s.receive(0, dns("y.example"));
    run(s, "timestamps");
    expect(s.snapshot().panes[0]!.lines[0]!.text).toBe("DNS   Q x.example A");
    run(s, "topN");
    const top = s.snapshot().panes[0]!;
    expect(top.view).toBe("top");
    expect(top.top?.kind?.title).toBe("top queried domains");
    expect(top.top?.rows.map((r) => [r.key, r.weight])).toEqual([
      ["x.example", 2],
      ["y.example", 1],
    ]);
    run(s, "topN");
    run(s, "help");
    expect(s.snapshot().overlay).toBe("help");
    run(s, "close");
    run(s, "clear");
    const cleared = s.snapshot().panes[0]!;
    expect(cleared.lines).toEqual([]);
    expect(cleared.total).toBe(3);
  });

  it("tracks the connection from nats.js status events and counts drops", () => {
    const s = store();
    s.setConnection({ kind: "connected" });
    s.onNatsStatus({ type: "disconnect" });
    expect(s.snapshot().status.connection).toEqual({ kind: "disconnected" });
    s.onNatsStatus({ type: "reconnecting" });
    s.onNatsStatus({ type: "reconnecting" });
    expect(s.snapshot().status.connection).toEqual({ kind: "reconnecting", attempts: 2 });
    s.onNatsStatus({ type: "reconnect" });
    expect(s.snapshot().status.connection).toEqual({ kind: "connected" });
    s.addDrops(7);
    expect(s.snapshot().status.drops).toBe(7);
    run(s, "quit");
    expect(s.quitRequested).toBe(true);
  });

  it("keeps every pane's total exact at volume", () => {
    const s = store();
    const payload = dns("load.example");
    for (let i = 0; i < 50_000; i++) s.receive(i % 4, payload);
    expect(s.snapshot().panes.map((p) => p.total)).toEqual([12_500, 12_500, 12_500, 12_500]);
  });
});
