// ingest --ttl on every server of the matrix: on 2.11+ each event type is stored with its own Nats-TTL and ages out
// on its own, and `stream subjects` shows how far back each type reaches; on older servers, and on a stream that
// does not allow per-message TTLs, one line says what is needed and nothing is published.
import { describe, expect, it } from "vitest";
import { natsServerVersion, serverAtLeast } from "../helpers/server-version.js";
import { expectExit, jsonLines, parseJson, throwawayServerForFile } from "./jetstream-helpers.js";

const { cli, server } = throwawayServerForFile();

const events = ['{"event_type":"alert","n":1}', '{"event_type":"stats","n":2}', '{"event_type":"dns","n":3}'].join("\n") + "\n";

describe(`ingest --ttl on nats-server ${natsServerVersion()}`, () => {
  if (!serverAtLeast("2.11")) {
    it("is refused with the version it needs, creating and publishing nothing", async () => {
      const r = await cli(["ingest", "--from", "-", "--once", "--prefix", "old", "--create-stream", "--stream", "old", "--ttl", "alert=90d"], { input: events });
      expectExit(r, 1);
      expect(r.stderr).toMatch(new RegExp(`^nsm4home: --ttl \\(a Nats-TTL per event type\\) needs nats-server 2\\.11\\.0 or newer; the server at .* runs ${natsServerVersion().replace(/\./g, "\\.")}\\n$`));
      expectExit(await cli(["stream", "info", "old"]), 1);
    });
    return;
  }

  it("stores each event type with its TTL on a stream it creates allowing them; a short one ages out alone", async () => {
    const r = await cli(["ingest", "--from", "-", "--once", "--prefix", "ttl", "--stream", "ttl", "--create-stream", "--ttl", "alert=90d,stats=10s"], { input: events });
    expectExit(r, 0);
    expect(r.stderr).toContain("per-message TTLs allowed");
    expect(r.stderr).toContain("TTL per event type: alert 90d, stats 10s (other types: the stream's max_age)");
    expect(parseJson(await cli(["stream", "info", "ttl", "--json"])).config.allow_msg_ttl).toBe(true);
    const stored = jsonLines((await cli(["stream", "view", "ttl", "--envelope"])).stdout);
    expect(stored.map((m) => [m.subject, m.headers["Nats-TTL"]?.[0]])).toEqual([
      ["ttl.alert", "7776000s"],
      ["ttl.stats", "10s"],
      ["ttl.dns", undefined],
    ]);
    const census = JSON.parse((await cli(["stream", "subjects", "ttl", "--json"])).stdout) as Array<{ subject: string; oldest: string }>;
    expect(census.map((c) => c.subject).sort()).toEqual(["ttl.alert", "ttl.dns", "ttl.stats"]);
    for (const c of census) expect(Math.abs(Date.parse(c.oldest) - Date.now())).toBeLessThan(60_000);
    // The stats event ages out on its own; the others stay.
    const deadline = Date.now() + 25_000;
    let subjects: string[] = [];
    while (Date.now() < deadline) {
      subjects = (JSON.parse((await cli(["stream", "subjects", "ttl", "--json"])).stdout) as Array<{ subject: string }>).map((c) => c.subject).sort();
      if (!subjects.includes("ttl.stats")) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(subjects).toEqual(["ttl.alert", "ttl.dns"]);
    const table = await cli(["stream", "subjects", "ttl"]);
    expect(table.stdout).toMatch(/^Subject\s+Messages\s+Share\s+Oldest$/m);
    expect(table.stdout).toMatch(/^ttl\.alert\s+1\s+50\.0%\s+\d+(\.\d+)?m?s$/m);
  }, 60_000);

  it("refuses a stream that does not allow per-message TTLs, naming the edit that would", async () => {
    expectExit(await cli(["stream", "add", "plain", "--subjects", "plain.>", "--defaults"]), 0);
    const r = await cli(["ingest", "--from", "-", "--once", "--prefix", "plain", "--ttl", "*=1h"], { input: events });
    expectExit(r, 1);
    expect(r.stderr).toBe(
      "nsm4home: stream plain does not allow per-message TTLs, so --ttl cannot apply: run 'nsm4home stream edit plain --allow-msg-ttl' (it cannot be turned off again), then ingest\n",
    );
    expect(parseJson(await cli(["stream", "info", "plain", "--json"])).state.messages).toBe(0);
  });
});
