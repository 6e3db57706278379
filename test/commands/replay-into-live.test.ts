// Replay handing over to live while a publisher keeps publishing the whole time, on two subjects (on 2.9 two
// ordered consumers merged back into stream order, on 2.10+ one with filter_subjects): for each way to start
// (--since cutting mid-stream, --seq, --all, --last) tail shows one contiguous run of events from where it started
// to the last one published, nothing missing and nothing twice; and the dashboard's pane totals count each once.
import { describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { isolatedEnv, repoRoot, startCli, cliShellCommand, shellQuote } from "../helpers/cli.js";
import { hasTmux, TmuxSession } from "../tui/tmux.js";
import { natsWithClientForFile } from "../ingest/stream-helpers.js";

const RATE_PER_TICK = 20; // every 10 ms: 2,000 events a second
const servers = natsWithClientForFile();
const env = isolatedEnv();

/** Publishes numbered events alternating dns and tls until stopped; resolves with how many, all acknowledged. */
function startPublisher(nc: NatsConnection, prefix: string, from: number) {
  let n = from;
  let stopped = false;
  const done = (async () => {
    const { jetstream } = await import("@nats-io/jetstream");
    const js = jetstream(nc);
    while (!stopped) {
      const acks = [];
      for (let i = 0; i < RATE_PER_TICK; i++, n++) {
        const type = n % 2 === 0 ? "dns" : "tls";
        acks.push(js.publish(`${prefix}.${type}`, JSON.stringify({ event_type: type, n })));
      }
      await Promise.all(acks);
      await new Promise((r) => setTimeout(r, 10));
    }
    return n;
  })();
  return {
    stop: async () => {
      stopped = true;
      return done;
    },
  };
}

async function addStream(nc: NatsConnection, name: string, prefix: string) {
  const { jetstreamManager } = await import("@nats-io/jetstream");
  await (await jetstreamManager(nc)).streams.add({ name, subjects: [`${prefix}.>`] });
}

const numbers = (stdout: string) =>
  stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { n: number }).n);

describe("replay into live with a publisher running", () => {
  for (const start of ["since", "seq", "all", "last"] as const) {
    it(`tail --${start}: one contiguous run from its start to the last event published, nothing twice`, async () => {
      const { nc } = servers;
      const prefix = `ril${start}`;
      await addStream(nc, prefix.toUpperCase(), prefix);
      const publisher = startPublisher(nc, prefix, 0);
      await new Promise((r) => setTimeout(r, 700));
      const cut = new Date(Date.now() - 300).toISOString();
      const args = {
        since: ["--since", cut],
        seq: ["--seq", "200"],
        all: ["--all"],
        last: ["--last", "300"],
      }[start];
      const tail = startCli(["-s", servers.nats.url, "--no-context", "tail", `${prefix}.dns`, `${prefix}.tls`, ...args, "--json", "--quiet"], { env, timeoutMs: 60_000 });
      await tail.waitFor((t) => t.split("\n").length > 50);
      await new Promise((r) => setTimeout(r, 700));
      const total = await publisher.stop();
      await tail.waitFor((t) => t.includes(`"n":${total - 1}}`), { timeoutMs: 20_000 });
      const result = await tail.stop("SIGINT");
      const shown = numbers(result.stdout);
      const first = shown[0]!;
      expect(shown).toEqual(Array.from({ length: total - first }, (_, i) => first + i));
      if (start === "all") expect(first).toBe(0);
      if (start === "seq") expect(first).toBe(199);
      if (start === "last") expect(shown.length).toBeGreaterThanOrEqual(300);
      if (start === "since") expect(first).toBeGreaterThan(0);
    }, 60_000);
  }

  it.skipIf(!hasTmux())("tui --since: the pane totals count every event once, backfilled and then live, while publishing", async () => {
    const { nc } = servers;
    const prefix = "riltui";
    await addStream(nc, "RILTUI", prefix);
    const publisher = startPublisher(nc, prefix, 0);
    await new Promise((r) => setTimeout(r, 500));
    const tui = new TmuxSession("ril-tui");
    let total = -1;
    try {
      tui.start(120, 40, { PATH: env.PATH ?? "/usr/bin:/bin", HOME: env.HOME!, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME! });
      tui.run(`cd ${shellQuote(repoRoot)} && ${cliShellCommand} tui -s ${servers.nats.url} --no-context --prefix ${prefix} dns tls --since 1h`);
      await tui.waitFor((s) => /1 riltui\.dns \d+\/s total \d+/.test(s), 20_000, "the dns pane counting");
      await new Promise((r) => setTimeout(r, 1000));
      total = await publisher.stop();
      // Alternating types from n = 0: half of them each (dns gets the extra one of an odd total).
      const dns = Math.ceil(total / 2);
      const tls = Math.floor(total / 2);
      await tui.waitFor(
        (s) => new RegExp(`1 riltui\\.dns \\d+/s total ${dns.toLocaleString("en-US")}\\b`).test(s) && new RegExp(`2 riltui\\.tls \\d+/s total ${tls.toLocaleString("en-US")}\\b`).test(s),
        20_000,
        `totals ${dns} and ${tls}`,
      );
      tui.send("q");
    } finally {
      if (total < 0) await publisher.stop();
      tui.kill();
    }
  }, 60_000);
});
