// The event view's pivots (f, h, H), the alert count and the alert list, on the store with a real investigator
// reading a real nats-server's stream.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/nats-core";
import { resolveConnectionOptions, connectNats } from "../../../src/nats/connection/index.js";
import type { Command } from "../../../src/tui/keymap.js";
import { KEY_BINDINGS } from "../../../src/tui/keymap.js";
import { createInvestigator } from "../../../src/tui/investigator.js";
import type { TuiStore } from "../../../src/tui/state/store.js";
import { alertStatusText } from "../../../src/tui/components/StatusBar.js";
import { repoRoot } from "../../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { assertTerminalSafe } from "../../eve/fixtures.js";
import { fourPaneStore, payload } from "../helpers.js";

const EVIL = "\x1b]0;owned\x07\x1b[2J\u202e";
const run = (s: TuiStore, command: Command) => s.dispatch({ command });

function store(): TuiStore {
  const s = fourPaneStore({ timestamps: "utc" });
  s.resize(140, 40);
  return s;
}

async function waitForLines(s: TuiStore, test: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = s.snapshot().detail?.lines.join("\n") ?? "";
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`not seen in the page:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The surevego flow with its v1 DNS lookup, re-stamped to now (the pivots look 10 minutes around the event). */
function surevegoNow(): Record<string, unknown>[] {
  const lines = readFileSync(join(repoRoot, "test", "fixtures", "eve", "surevego-2017-multi.eve.json"), "utf8").split("\n").filter(Boolean);
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const shift = Date.now() - Date.parse("2017-01-30T16:12:30+01:00");
  return events.map((e) => ({ ...e, timestamp: new Date(Date.parse(String(e.timestamp).replace(/(\d\d)(\d\d)$/, "$1:$2")) + shift).toISOString() }));
}

describe("alerts in the store", () => {
  it("counts every alert, names the newest escaped, and lists them newest first", () => {
    const s = store();
    expect(s.snapshot().status.alerts).toEqual({ count: 0 });
    s.receiveAlert(payload({ event_type: "alert", alert: { signature: "first one", severity: 3 } }));
    s.receiveAlert(payload({ event_type: "alert", alert: { signature: `ET EVIL ${EVIL}`, severity: 1 } }));
    s.receiveAlert(new TextEncoder().encode("not json"));
    s.receiveAlert(payload({ event_type: "alert", alert: { signature: "newest", severity: 2 } }));
    const status = s.snapshot().status.alerts!;
    expect(status.count).toBe(4);
    expect(alertStatusText(status)).toBe("alerts 4 (sev 2: newest)");
    run(s, "alerts");
    const page = s.snapshot();
    expect(page.overlay).toBe("detail");
    expect(page.detail!.title).toBe("alerts · 4 since start, newest first");
    expect(page.detail!.lines[0]).toContain("newest");
    expect(page.detail!.lines.join("\n")).toContain("first one");
    for (const line of page.detail!.lines) assertTerminalSafe(line);
    s.receiveAlert(payload({ event_type: "alert", alert: { signature: "arrives while open", severity: 2 } }));
    expect(s.snapshot().detail!.lines[0]).toContain("arrives while open");
    run(s, "close");
    expect(s.snapshot().overlay).toBe("none");
    const evil = new (s.alerts.constructor as new () => typeof s.alerts)();
    evil.receive(payload({ event_type: "alert", alert: { signature: EVIL } }));
    assertTerminalSafe(alertStatusText({ count: 1, newest: evil.newest! }));
  });

  it("with a backfill (tui --since 1h) the list says what its count covers; alerts that cannot be backfilled count from now", () => {
    const s = fourPaneStore({ alertsBackfill: "--since 1h" });
    run(s, "alerts");
    expect(s.snapshot().detail!.title).toBe("alerts · 0 with --since 1h, newest first");
    expect(s.snapshot().detail!.lines).toEqual(["no alert in the backfill (--since 1h) or since"]);
    s.receiveAlert(payload({ event_type: "alert", alert: { signature: "stored an hour ago", severity: 2 } }));
    expect(s.snapshot().detail!.title).toBe("alerts · 1 with --since 1h, newest first");
    s.alertsFromNow();
    s.receiveAlert(payload({ event_type: "alert", alert: { signature: "live", severity: 2 } }));
    expect(s.snapshot().detail!.title).toBe("alerts · 2 since start, newest first");
  });

  it("every pivot and the alert list have a key in the keymap", () => {
    const commands = KEY_BINDINGS.map((b) => `${b.context}:${b.command}:${b.keys}`);
    expect(commands).toEqual(expect.arrayContaining(["panes:alerts:a", "detail:flowTimeline:f", "detail:hostSource:h", "detail:hostDestination:H"]));
  });

  it("without a connection, a pivot says there is no stream to read", () => {
    const s = store();
    s.receive(0, payload({ event_type: "dns", flow_id: 5, src_ip: "10.0.0.1", dns: { type: "query", rrname: "x.example" } }));
    run(s, "detail");
    run(s, "flowTimeline");
    expect(s.snapshot().detail!.lines).toEqual(["no stream to read: the dashboard has no connection to JetStream"]);
    run(s, "close");
    expect(s.snapshot().detail!.title).toContain("suricata.dns · event #1");
  });
});

describe("pivots against a real stream", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let resolved: ReturnType<typeof resolveConnectionOptions>;

  beforeAll(async () => {
    server = await startNatsServer();
    resolved = resolveConnectionOptions({ server: server.url, context: false }, {});
    nc = await connectNats(resolved, { onStatus: null });
  }, 30_000);

  afterAll(async () => {
    await nc?.close();
    await server?.dispose();
  });

  it("says clearly when there is no stream", async () => {
    const s = store();
    s.investigator = createInvestigator(nc, resolved, { prefix: "suricata", timestamps: () => "utc", width: () => 140 });
    s.receive(0, payload({ event_type: "dns", flow_id: 5, timestamp: new Date().toISOString(), src_ip: "10.0.0.1", dns: { type: "query", rrname: "x.example" } }));
    run(s, "detail");
    run(s, "flowTimeline");
    expect(await waitForLines(s, (t) => t.startsWith("cannot read the stream"))).toMatch(/no stream captures suricata\.>/);
  });

  it("f opens the flow timeline with its DNS lookup, h and H the hosts; Esc goes back", async () => {
    const { jetstreamManager, jetstream } = await import("@nats-io/jetstream");
    await (await jetstreamManager(nc)).streams.add({ name: "suricata", subjects: ["suricata.>"] });
    const js = jetstream(nc);
    const events = surevegoNow();
    for (const e of events) await js.publish(`suricata.${String(e.event_type)}`, JSON.stringify(e));
    const flow = events.find((e) => e.flow_id === 1132792655884373 && e.event_type === "flow")!;
    const s = store();
    s.investigator = createInvestigator(nc, resolved, { prefix: "suricata", timestamps: () => "utc", width: () => 140 });
    s.receive(1, payload(flow));
    run(s, "focusNext");
    run(s, "detail");
    run(s, "flowTimeline");
    expect(s.snapshot().detail!.title).toBe("flow 1132792655884373 · 10 minutes around the event");
    const timeline = await waitForLines(s, (t) => t.includes("Timeline:"));
    expect(timeline).toContain("server: 151.101.12.204:80 (prod.debian.map.fastly.net)");
    expect(timeline).toMatch(/DNS .*prod\.debian\.map\.fastly\.net.*\(lookup\)/);
    run(s, "close");
    run(s, "hostSource");
    const host = await waitForLines(s, (t) => t.includes("Peers by bytes:"));
    expect(host).toContain("Host 172.17.0.2:");
    expect(host).toMatch(/151\.101\.12\.204 +[\d.]+ MiB/);
    run(s, "close");
    run(s, "hostDestination");
    expect(await waitForLines(s, (t) => t.includes("Host 151.101.12.204:"))).toContain("Flows by app protocol:");
    run(s, "close");
    run(s, "close");
    expect(s.snapshot().overlay).toBe("none");
  }, 60_000);

  it("says when the window holds nothing", async () => {
    const s = store();
    s.investigator = createInvestigator(nc, resolved, { prefix: "suricata", timestamps: () => "utc", width: () => 140 });
    s.receive(0, payload({ event_type: "dns", flow_id: 424242, timestamp: new Date().toISOString(), src_ip: "10.9.9.9", dns: { type: "query", rrname: "x.example" } }));
    run(s, "detail");
    run(s, "flowTimeline");
    expect(await waitForLines(s, (t) => t.startsWith("no event"))).toMatch(/^no event of flow 424242 stored .* messages read from stream suricata\)/);
  });
});
