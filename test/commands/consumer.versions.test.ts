// `consumer` features that depend on the server's version, run on every server of the matrix (2.9.10 to 2.15):
// on a server that has the feature it is created and shown; on one that lacks it, the one-line refusal names
// the version it needs and nothing is created.
import { beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { natsServerVersion, serverAtLeast } from "../helpers/server-version.js";
import { expectExit, parseJson, publishEvents, throwawayServerForFile } from "./jetstream-helpers.js";

const { cli, server } = throwawayServerForFile();

beforeAll(async () => {
  expectExit(await cli(["stream", "add", "ev", "--subjects", "ev.>", "--defaults"]), 0);
  await publishEvents(server().url, "ev", 30);
});

const runs = () => natsServerVersion().replace(/\./g, "\\.");

describe(`consumer add on nats-server ${natsServerVersion()}`, () => {
  it("several --subject filters: one consumer with filter_subjects on 2.10+, refused on 2.9 creating nothing", async () => {
    const r = await cli(["consumer", "add", "ev", "multi", "--subject", "ev.dns", "--subject", "ev.tls", "--defaults", "--json"]);
    if (serverAtLeast("2.10")) {
      const ci = parseJson(r);
      expect(ci.config.filter_subjects).toEqual(["ev.dns", "ev.tls"]);
      expect(ci.config.filter_subject ?? "").toBe("");
      // 30 events cycling dns, flow, tls: 10 of each
      expect(ci.num_pending).toBe(20);
      return;
    }
    expectExit(r, 1);
    expect(r.stderr).toMatch(new RegExp(`^nsm4home: several --subject filters \\(filter_subjects: ev\\.dns, ev\\.tls\\) needs nats-server 2\\.10\\.0 or newer; the server at .* runs ${runs()}\\n$`));
    const info = await cli(["consumer", "info", "ev", "multi"]);
    expectExit(info, 1);
    expect(info.stderr).toBe("nsm4home: consumer 'multi' not found on stream 'ev' (err_code 10014); 'nsm4home consumer ls ev' lists them\n");
  });

  it("--metadata: set, shown and idempotent on 2.10+; refused on 2.9", async () => {
    const args = ["consumer", "add", "ev", "tagged", "--subject", "ev.dns", "--metadata", "team=soc", "--defaults"];
    const r = await cli(args);
    if (!serverAtLeast("2.10")) {
      expectExit(r, 1);
      expect(r.stderr).toMatch(new RegExp(`^nsm4home: consumer metadata needs nats-server 2\\.10\\.0 or newer; the server at .* runs ${runs()}\\n$`));
      expectExit(await cli(["consumer", "info", "ev", "tagged"]), 1);
      return;
    }
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^\s+Metadata: team: soc$/m);
    expect(r.stdout).not.toContain("_nats.");
    const again = await cli(args);
    expectExit(again, 0);
    expect(again.stdout).toBe("Consumer ev > tagged already exists with the same configuration\n");
  });

  it("--pause-until, consumer pause and resume on 2.11+; each refused naming 2.11.0 before", async () => {
    const add = await cli(["consumer", "add", "ev", "paused", "--subject", "ev.tls", "--pause-until", "1h", "--defaults"]);
    if (!serverAtLeast("2.11")) {
      expectExit(add, 1);
      expect(add.stderr).toMatch(new RegExp(`^nsm4home: pausing a consumer \\(--pause-until\\) needs nats-server 2\\.11\\.0 or newer; the server at .* runs ${runs()}\\n$`));
      expectExit(await cli(["consumer", "info", "ev", "paused"]), 1);
      expectExit(await cli(["consumer", "add", "ev", "plain", "--subject", "ev.tls", "--defaults"]), 0);
      for (const args of [["pause", "ev", "plain", "1h"], ["resume", "ev", "plain"]]) {
        const r = await cli(["consumer", ...args]);
        expectExit(r, 1);
        expect(r.stderr).toMatch(new RegExp(`^nsm4home: consumer ${args[0]} needs nats-server 2\\.11\\.0 or newer; the server at .* runs ${runs()}\\n$`));
      }
      return;
    }
    expectExit(add, 0);
    expect(add.stdout).toMatch(/^\s+Paused: until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, (59m\d+s|1h) left$/m);
    // A paused consumer delivers nothing: next waits and gets no message.
    const waited = await cli(["--timeout", "1s", "consumer", "next", "ev", "paused", "--count", "1"]);
    expectExit(waited, 1);
    expect(waited.stdout).toBe("");
    const resumed = await cli(["consumer", "resume", "ev", "paused"]);
    expectExit(resumed, 0);
    expect(resumed.stdout).toBe("Consumer ev > paused resumed\n");
    expect(parseJson(await cli(["consumer", "info", "ev", "paused", "--json"])).paused ?? false).toBe(false);
    const next = await cli(["consumer", "next", "ev", "paused", "--count", "1", "--json"]);
    expectExit(next, 0);
    expect(JSON.parse(next.stdout.trim().split("\n")[0]!).subject).toBe("ev.tls");

    const paused = await cli(["consumer", "pause", "ev", "paused", "30m"]);
    expectExit(paused, 0);
    expect(paused.stdout).toMatch(/^Consumer ev > paused paused until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$/);
    const info = parseJson(await cli(["consumer", "info", "ev", "paused", "--json"]));
    expect(info.paused).toBe(true);
    expect(Date.parse(info.config.pause_until) - Date.now()).toBeGreaterThan(25 * 60_000);
    const bad = await cli(["consumer", "pause", "ev", "paused", "2000-01-01T00:00:00Z"]);
    expectExit(bad, 2);
    expect(bad.stderr).toMatch(/^nsm4home: invalid UNTIL '2000-01-01T00:00:00Z': use a duration from now/);
  });

  it("priority groups from --config: created and shown on 2.11+ (prioritized on 2.12+); refused by name before", async () => {
    const cases = [
      ["pinned", { priority_policy: "pinned_client", priority_groups: ["A"], priority_timeout: 30_000_000_000 }, "2.11", "priority groups \\(priority_groups, priority_policy\\)", "Pinned Client"],
      ["ranked", { priority_policy: "prioritized", priority_groups: ["A"] }, "2.12", "the prioritized priority policy \\(priority_policy\\)", "Prioritized"],
    ] as const;
    for (const [name, fields, needs, text, shown] of cases) {
      const file = join(server().dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ durable_name: name, ack_policy: "explicit", ...fields }));
      const r = await cli(["consumer", "add", "ev", "--config", file]);
      if (serverAtLeast(needs)) {
        expectExit(r, 0);
        expect(r.stdout).toMatch(new RegExp(`^\\s+Priority Policy: ${shown}$`, "m"));
        expect(r.stdout).toMatch(/^\s+Priority Groups: A$/m);
        continue;
      }
      expectExit(r, 1);
      expect(r.stderr).toMatch(new RegExp(`^nsm4home: ${text} needs nats-server ${needs.replace(".", "\\.")}\\.0 or newer; the server at .* runs ${runs()}\\n$`));
      expectExit(await cli(["consumer", "info", "ev", name]), 1);
    }
  });

  it("--pinned-groups / --pinned-ttl (natscli's flags): a pinned client consumer on 2.11+; refused naming 2.11.0 before", async () => {
    const r = await cli(["consumer", "add", "ev", "pinflags", "--pinned-groups", "A", "--pinned-ttl", "1m", "--defaults"]);
    if (!serverAtLeast("2.11")) {
      expectExit(r, 1);
      expect(r.stderr).toMatch(new RegExp(`^nsm4home: priority groups \\(priority_groups, priority_policy\\) needs nats-server 2\\.11\\.0 or newer; the server at .* runs ${runs()}\\n$`));
      return;
    }
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^\s+Pinned TTL: 1m$/m);
    expect(r.stdout).toMatch(/^\s+Priority Groups: A: No client$/m);
    const edited = await cli(["consumer", "edit", "ev", "pinflags", "--pinned-ttl", "2m", "-f"]);
    expectExit(edited, 0);
    expect(edited.stdout).toContain("priority_timeout  1m → 2m");
  });

  it("next and sub --group: a priority group consumer is read in its group and shows the pinned client (2.11+)", async () => {
    expectExit(await cli(["consumer", "add", "ev", "nogroups", "--subject", "ev.dns", "--defaults"]), 0);
    const plain = await cli(["consumer", "next", "ev", "nogroups", "--group", "A"]);
    expectExit(plain, 2);
    expect(plain.stderr).toBe("nsm4home: consumer 'nogroups' has no priority groups; drop --group\n");
    if (!serverAtLeast("2.11")) {
      const unpin = await cli(["consumer", "unpin", "ev", "nogroups", "A"]);
      expectExit(unpin, 1);
      expect(unpin.stderr).toMatch(new RegExp(`^nsm4home: consumer unpin needs nats-server 2\\.11\\.0 or newer; the server at .* runs ${runs()}\\n$`));
      return;
    }
    expectExit(await cli(["consumer", "add", "ev", "ingroup", "--subject", "ev.dns", "--pinned-groups", "A", "--defaults"]), 0);
    const without = await cli(["consumer", "next", "ev", "ingroup"]);
    expectExit(without, 2);
    expect(without.stderr).toBe("nsm4home: consumer 'ingroup' pulls by priority group (A): give --group A\n");
    const wrong = await cli(["consumer", "sub", "ev", "ingroup", "--group", "B", "--count", "1"]);
    expectExit(wrong, 2);
    expect(wrong.stderr).toBe("nsm4home: consumer 'ingroup' has no priority group 'B'; its groups: A\n");
    const got = await cli(["consumer", "next", "ev", "ingroup", "--group", "A", "--json"]);
    expectExit(got, 0);
    expect(JSON.parse(got.stdout).subject).toBe("ev.dns");
    const info = await cli(["consumer", "info", "ev", "ingroup"]);
    expect(info.stdout).toMatch(/^\s+Priority Groups: A: pinned \S+ at \d{4}-/m);
    // A new process is not the pinned client until the pin times out, or until `consumer unpin` releases it.
    const unpin = await cli(["consumer", "unpin", "ev", "ingroup", "A"]);
    expectExit(unpin, 0);
    expect(unpin.stdout).toMatch(/^Unpinned client \S+ from priority group ev > ingroup > A\n$/);
    const again = await cli(["consumer", "next", "ev", "ingroup", "--group", "A", "--json"]);
    expectExit(again, 0);
    expect(JSON.parse(again.stdout).seq).toBeGreaterThan(JSON.parse(got.stdout).seq);
    const unknown = await cli(["consumer", "unpin", "ev", "ingroup", "B"]);
    expectExit(unknown, 2);
    expect(unknown.stderr).toBe("nsm4home: consumer 'ingroup' has no priority group 'B'; its groups: A\n");
    expectExit(await cli(["consumer", "add", "ev", "overgroup", "--subject", "ev.dns", "--overflow-groups", "A", "--defaults"]), 0);
    const sub = await cli(["consumer", "sub", "ev", "overgroup", "--group", "A", "--count", "1", "--json"]);
    expectExit(sub, 0);
    expect(JSON.parse(sub.stdout).subject).toBe("ev.dns");
  });

  it("a natscli flow_control-ack consumer's --json is read back on 2.14+; refused naming 2.14.0 before", async () => {
    const file = join(server().dir, "fc.json");
    writeFileSync(file, JSON.stringify({ config: { durable_name: "fc", ack_policy: "flow_control", deliver_subject: "fc.out", idle_heartbeat: 5e9, flow_control: true } }));
    const r = await cli(["consumer", "add", "ev", "--config", file]);
    if (serverAtLeast("2.14")) {
      expectExit(r, 0);
      expect(r.stdout).toMatch(/^\s+Ack Policy: Flow Control$/m);
      return;
    }
    expectExit(r, 1);
    expect(r.stderr).toMatch(new RegExp(`^nsm4home: the flow_control ack policy \\(ack_policy\\) needs nats-server 2\\.14\\.0 or newer; the server at .* runs ${runs()}\\n$`));
  });

  it("consumer edit of a consumer made with --deliver 1h: applied on 2.10+, explained on 2.9", async () => {
    expectExit(await cli(["consumer", "add", "ev", "lasthour", "--subject", "ev.dns", "--deliver", "1h", "--defaults"]), 0);
    const start = parseJson(await cli(["consumer", "info", "ev", "lasthour", "--json"])).config.opt_start_time;
    const r = await cli(["consumer", "edit", "ev", "lasthour", "--max-deliver", "5", "-f"]);
    if (serverAtLeast("2.10")) {
      expectExit(r, 0);
      const after = parseJson(await cli(["consumer", "info", "ev", "lasthour", "--json"])).config;
      expect(after.max_deliver).toBe(5);
      expect(after.opt_start_time).toBe(start);
      return;
    }
    expectExit(r, 1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain('the server says "start time can not be updated" (err_code 10012) although the start time was left as it is');
    expect(r.stderr).toContain(`nats-server before 2.10 refuses every edit of a consumer that starts at a time`);
    expect(r.stderr).toContain(`--deliver ${start}`);
  });
});

