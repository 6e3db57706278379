// End to end in a real terminal: nats-server, `nsm4home tui` in tmux at 120x40, known events published from here,
// and what a user sees read back with capture-pane. Also the ways out: q, SIGTERM, and no TTY at all.
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackDir } from "../helpers/processes.js";
import { repoRoot, runCli, isolatedEnv, cliShellCommand, shellQuote } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { hasTmux, TmuxSession } from "./tmux.js";

let server: NatsServer;
let nc: NatsConnection;
const sessions: TmuxSession[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "suricata", subjects: ["suricata.>"] });
});

afterAll(async () => {
  for (const s of sessions) s.kill();
  TmuxSession.killServer();
  await nc?.close();
  await server?.dispose();
});

function publish(subject: string, event: Record<string, unknown>): void {
  nc.publish(subject, JSON.stringify(event));
}

const dns = (name: string) => ({ event_type: "dns", timestamp: new Date().toISOString(), src_ip: "192.0.2.7", dest_ip: "192.0.2.53", dns: { type: "query", rrname: name, rrtype: "A" } });
const flow = (src: string) => ({ event_type: "flow", src_ip: src, src_port: 40000, dest_ip: "198.51.100.9", dest_port: 443, proto: "TCP", flow: { bytes_toserver: 1000, bytes_toclient: 9000, pkts_toserver: 5, pkts_toclient: 9 } });
const tls = (sni: string) => ({ event_type: "tls", src_ip: "192.0.2.7", dest_ip: "198.51.100.9", tls: { sni, version: "TLS 1.3" } });
const stats = (uptime: number, pkts: number) => ({
  event_type: "stats",
  host: "e2e-sensor",
  timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, uptime)).toISOString(),
  stats: { uptime, capture: { kernel_packets: pkts, kernel_drops: 0 }, decoder: { pkts, bytes: pkts * 500 }, flow: { active: 42 }, detect: { alert: 0 } },
});

function startTui(args: string, width = 120, height = 40): TmuxSession {
  const session = new TmuxSession("tui");
  sessions.push(session);
  const env = isolatedEnv();
  session.start(width, height, { PATH: env.PATH ?? "/usr/bin:/bin", HOME: env.HOME!, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME! });
  session.run(`cd ${shellQuote(repoRoot)} && echo MARKER-BEFORE-TUI`);
  session.run(`${cliShellCommand} tui --server ${server.url} ${args}; echo "TUI-EXIT=$?"`);
  return session;
}

describe.skipIf(!hasTmux())("nsm4home tui in a terminal", () => {
  it("shows each pane's events, and pause, filter, zoom, help and quit work; the terminal comes back", async () => {
    const t = startTui("");
    await t.waitForText("waiting for suricata.dns");
    expect(t.alternateOn()).toBe(true);
    publish("suricata.dns", dns("first.e2e.example"));
    publish("suricata.dns", dns("second.e2e.example"));
    publish("suricata.flow", flow("192.0.2.99"));
    publish("suricata.tls", tls("secure.e2e.example"));
    publish("suricata.stats", stats(10, 1000));
    publish("suricata.stats", stats(20, 51000));
    let screen = await t.waitFor((s) => s.includes("second.e2e.example") && s.includes("packets/s"));
    const lines = screen.split("\n");
    expect(lines[0]).toMatch(/^╔═+╗╭─+╮$/);
    expect(screen).toMatch(/1 suricata\.dns \d+\/s total 2/);
    expect(screen).toMatch(/2 suricata\.flow \d+\/s total 1/);
    expect(screen).toContain("192.0.2.99:40000 → 198.51.100.9:443");
    expect(screen).toContain("secure.e2e.example");
    expect(screen).toContain("e2e-sensor");
    expect(screen).toMatch(/packets\/s\s+5\.0k/);
    expect(screen).toMatch(/active flows 42/);
    expect(lines[38]).toMatch(/^nats:\/\/127\.0\.0\.1:\d+ ● connected │ drops 0 │ live │ \d\d:\d\d:\d\d │ alerts 0 │ \? help  q quit  Tab focus/);

    // Hostile text is shown escaped and never reaches the terminal as a control sequence (here: set the title).
    const titleBefore = t.paneTitle();
    publish("suricata.tls", tls("\u001b]2;owned\u0007evil.e2e.example"));
    screen = await t.waitForText("evil.e2e.example");
    expect(screen).toContain("\\x1B]2;owned\\x07evil.e2e.example");
    expect(t.paneTitle()).toBe(titleBefore);

    // Pause: the new event is counted and announced, not shown, until space again.
    t.send("Space");
    await t.waitForText("PAUSED");
    publish("suricata.dns", dns("while-paused.e2e.example"));
    screen = await t.waitForText("+1 new");
    expect(screen).toMatch(/total 3/);
    expect(screen).not.toContain("while-paused.e2e.example");
    t.send("Space");
    screen = await t.waitForText("while-paused.e2e.example");
    expect(screen).not.toContain("PAUSED");

    // Filter the focused (dns) pane with plain text, then Esc clears it.
    t.send("/");
    await t.waitForText("filter suricata.dns›");
    t.send("second.e2e", true);
    t.send("Enter");
    screen = await t.waitFor((s) => s.includes("filter: second.e2e") && !s.includes("first.e2e.example"));
    expect(screen).toContain("second.e2e.example");
    t.send("Escape");
    await t.waitForText("first.e2e.example");

    // Zoom the flow pane, and back.
    t.send("2");
    t.send("z");
    screen = await t.waitFor((s) => s.split("\n")[1]!.startsWith("║2 suricata.flow") && !s.includes("suricata.dns"));
    expect(screen.split("\n")[0]).toHaveLength(120);
    t.send("z");
    await t.waitForText("suricata.dns");

    // Help, and out of it.
    t.send("?");
    await t.waitForText("zoom the focused pane full screen");
    t.send("Escape");
    await t.waitForText("1 suricata.dns");

    // Quit: the shell and what was on the screen before are back, the alternate screen is off.
    t.send("q");
    screen = await t.waitForText("TUI-EXIT=0");
    expect(screen).toContain("MARKER-BEFORE-TUI");
    expect(screen).not.toContain("suricata.dns");
    expect(t.alternateOn()).toBe(false);
  });

  it("backfills the panes with --last before following live, and the alert count with them", async () => {
    for (let i = 0; i < 8; i++) publish("suricata.tls", tls(`stored-${i}.e2e.example`));
    for (let i = 0; i < 4; i++) publish("suricata.alert", { event_type: "alert", alert: { signature: `STORED ALERT ${i}`, severity: 2 } });
    await nc.flush();
    const t = startTui("tls dns --last 3");
    let screen = await t.waitForText("stored-7.e2e.example");
    expect(screen).toContain("stored-5.e2e.example");
    expect(screen).not.toContain("stored-4.e2e.example");
    // The last 3 alerts too, though no pane shows alerts.
    screen = await t.waitForText("alerts 3 (sev 2: STORED ALERT 3)");
    // Two panes side by side at 120 columns.
    expect(screen).toMatch(/1 suricata\.tls \d+\/s total 3 .*2 suricata\.dns/);
    publish("suricata.tls", tls("live-after-backfill.e2e.example"));
    screen = await t.waitForText("live-after-backfill.e2e.example");
    expect(screen).toMatch(/total 4/);
    t.send("C-c");
    await t.waitForText("TUI-EXIT=0");
    expect(t.alternateOn()).toBe(false);
  });

  it("gives the terminal back on SIGTERM and exits 143", async () => {
    const t = startTui("dns");
    await t.waitForText("waiting for suricata.dns");
    const node = await waitForChildPid(t.shellPid());
    process.kill(node, "SIGTERM");
    const screen = await t.waitForText("TUI-EXIT=143");
    expect(screen).toContain("MARKER-BEFORE-TUI");
    expect(t.alternateOn()).toBe(false);
  });

  it("gives the terminal back on SIGHUP (the terminal closed) and exits 129", async () => {
    const t = startTui("dns");
    await t.waitForText("waiting for suricata.dns");
    process.kill(await waitForChildPid(t.shellPid()), "SIGHUP");
    await t.waitForText("TUI-EXIT=129");
    expect(t.alternateOn()).toBe(false);
  });

  it("writes no terminal sequences to a redirected stderr on the way out (q, SIGTERM)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nsm4home-tui-stderr-"));
    trackDir(dir);
    const t = startTui(`dns 2>${dir}/quit`);
    await t.waitForText("waiting for suricata.dns");
    t.send("q");
    await t.waitForText("TUI-EXIT=0");
    expect(readFileSync(`${dir}/quit`, "utf8")).toBe("");

    t.run(`${cliShellCommand} tui --server ${server.url} dns 2>${dir}/term; echo "TUI2-EXIT=$?"`);
    await t.waitFor((s) => s.includes("waiting for suricata.dns") && t.alternateOn());
    process.kill(await waitForChildPid(t.shellPid()), "SIGTERM");
    await t.waitForText("TUI2-EXIT=143");
    expect(readFileSync(`${dir}/term`, "utf8")).toBe("");
    expect(t.alternateOn()).toBe(false);
  });

  it("exits 129 quietly when its terminal goes away (tmux kill-session)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nsm4home-tui-hangup-"));
    trackDir(dir);
    const t2 = new TmuxSession("tui");
    sessions.push(t2);
    const env = isolatedEnv();
    t2.start(120, 40, { PATH: env.PATH ?? "/usr/bin:/bin", HOME: env.HOME! });
    // The shell that records the exit status outlives the terminal: it ignores the hangup (nsm4home does not:
    // Node resets signal handling at start).
    t2.run(`sh -c ${shellQuote(`trap "" HUP; ${cliShellCommand} tui --no-context --server ${server.url} dns 2>${dir}/err; echo $? >${dir}/status`)}`);
    await t2.waitForText("waiting for suricata.dns");
    t2.kill();
    const deadline = Date.now() + 10_000;
    while (!existsSync(`${dir}/status`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(`${dir}/status`, "utf8"), readFileSync(`${dir}/err`, "utf8")).toBe("129\n");
    expect(readFileSync(`${dir}/err`, "utf8")).toBe("");
  });

  it("shows the connection state in the status bar through a server restart", async () => {
    const own = await startNatsServer();
    try {
      const t = new TmuxSession("tui");
      sessions.push(t);
      const env = isolatedEnv();
      t.start(120, 40, { PATH: env.PATH ?? "/usr/bin:/bin", HOME: env.HOME! });
      t.run(`${cliShellCommand} tui --no-context --server ${own.url} dns; echo "TUI-EXIT=$?"`);
      await t.waitForText("● connected");
      await own.stop();
      await t.waitFor((s) => /● (disconnected|reconnecting \d+)/.test(s));
      await own.restart();
      await t.waitForText("● connected", 20_000);
      const pub = await connect({ servers: own.url });
      pub.publish("suricata.dns", JSON.stringify(dns("after-restart.e2e.example")));
      await pub.flush();
      await pub.close();
      await t.waitForText("after-restart.e2e.example");
      t.send("q");
      await t.waitForText("TUI-EXIT=0");
    } finally {
      await own.dispose();
    }
  });

  it("stacks the panes on a narrow terminal and follows a resize", async () => {
    const t = startTui("", 80, 40);
    let screen = await t.waitForText("waiting for suricata.dns");
    expect(screen.split("\n").filter((l) => /^[│║]\d suricata\./.test(l))).toHaveLength(4);
    t.resize(120, 40);
    screen = await t.waitFor((s) => /^[╔╭].*[╗╮][╔╭].*[╗╮]$/.test(s.split("\n")[0]!));
    expect(screen).toMatch(/1 suricata\.dns.*2 suricata\.flow/);
    t.send("q");
    await t.waitForText("TUI-EXIT=0");
  });
});

describe("nsm4home tui without a terminal", () => {
  it("refuses to start and points to tail", async () => {
    const r = await runCli(["tui", "--server", "nats://127.0.0.1:1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nsm4home: tui needs a terminal on stdin and stdout; for pipes and scripts use 'nsm4home tail'/);
    expect(r.stdout).toBe("");
  });

  it("checks --history before that, and takes its earlier spelling --buffer with a note", async () => {
    const r = await runCli(["tui", "--history", "5"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("nsm4home: invalid --history '5': keep at least 100 messages per pane\n");
    const old = await runCli(["tui", "--buffer", "5"]);
    expect(old.code).toBe(2);
    expect(old.stderr).toBe(
      "nsm4home: --buffer is now --history (--buffer is bytes of output in tail); the old spelling still works\n" +
        "nsm4home: invalid --history '5': keep at least 100 messages per pane\n",
    );
  });
});

async function waitForChildPid(parent: number): Promise<number> {
  const { readFileSync, readdirSync } = await import("node:fs");
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid === parent) return Number(entry);
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no child of ${parent}`);
}
