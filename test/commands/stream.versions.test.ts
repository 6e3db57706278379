// `stream` features that depend on the server's version, run on every server of the matrix (2.9.10 to 2.15):
// on a server that has the feature it is created and shown; on one that lacks it, the one-line refusal names
// the version it needs and nothing is created.
import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { natsServerVersion, serverAtLeast } from "../helpers/server-version.js";
import { expectExit, parseJson, throwawayServerForFile } from "./jetstream-helpers.js";

const { cli, server } = throwawayServerForFile();

const runs = () => natsServerVersion().replace(/\./g, "\\.");

describe(`stream add on nats-server ${natsServerVersion()}`, () => {
  it("stream metadata: kept on 2.10+, refused on 2.9 naming the version, creating nothing", async () => {
    const file = join(server().dir, "meta.json");
    writeFileSync(file, JSON.stringify({ name: "withmeta", subjects: ["withmeta.>"], metadata: { owner: "lab" } }));
    const r = await cli(["stream", "add", "--config", file]);
    if (serverAtLeast("2.10")) {
      expectExit(r, 0);
      const info = parseJson(await cli(["stream", "info", "withmeta", "--json"]));
      expect(info.config.metadata).toMatchObject({ owner: "lab" });
      return;
    }
    expectExit(r, 1);
    expect(r.stderr).toMatch(new RegExp(`^nsm4home: stream metadata \\(metadata\\) needs nats-server 2\\.10\\.0 or newer; the server at .* runs ${runs()}\\n$`));
    const missing = await cli(["stream", "info", "withmeta"]);
    expectExit(missing, 1);
    expect(missing.stderr).toBe("nsm4home: stream 'withmeta' not found (err_code 10059); 'nsm4home stream ls' lists the streams\n");
  });

  it("--metadata, --compression, --transform-*: set, shown, idempotent and kept by edit on 2.10+; refused on 2.9", async () => {
    const args = ["stream", "add", "feat", "--subjects", "feat.>", "--metadata", "owner=lab", "--metadata", "note=a,b", "--compression", "s2",
      "--transform-source", "feat.in.>", "--transform-destination", "feat.out.>", "--defaults"];
    if (!serverAtLeast("2.10")) {
      for (const [flags, text] of [
        [["--metadata", "owner=lab"], "stream metadata \\(metadata\\)"],
        [["--compression", "s2"], "stream compression \\(compression\\)"],
        [["--transform-source", "feat.in.>", "--transform-destination", "feat.out.>"], "stream subject transforms \\(subject_transform\\)"],
      ] as const) {
        const r = await cli(["stream", "add", "feat", "--subjects", "feat.>", ...flags, "--defaults"]);
        expectExit(r, 1);
        expect(r.stderr).toMatch(new RegExp(`^nsm4home: ${text} needs nats-server 2\\.10\\.0 or newer; the server at .* runs ${runs()}\\n$`));
      }
      expectExit(await cli(["stream", "info", "feat"]), 1);
      return;
    }
    const created = await cli(args);
    expectExit(created, 0);
    expect(created.stdout).toMatch(/^\s+Compression: S2$/m);
    expect(created.stdout).toMatch(/^\s+Subject Transform: feat\.in\.> → feat\.out\.>$/m);
    expect(created.stdout).toMatch(/^\s+Metadata: note: a,b$/m);
    expect(created.stdout).toMatch(/^\s+Metadata: owner: lab$/m);
    expect(created.stdout).not.toContain("_nats.");
    const again = await cli(args);
    expectExit(again, 0);
    expect(again.stdout).toBe("Stream feat already exists with the same configuration\n");

    expectExit(await cli(["stream", "edit", "feat", "--metadata", "owner=soc", "--metadata", "note=", "-f"]), 0);
    const info = parseJson(await cli(["stream", "info", "feat", "--json"]));
    const userKeys = Object.fromEntries(Object.entries(info.config.metadata).filter(([k]) => !k.startsWith("_nats.")));
    expect(userKeys).toEqual({ owner: "soc" });
    expect(info.config.compression).toBe("s2");
    expect(info.config.subject_transform).toEqual({ src: "feat.in.>", dest: "feat.out.>" });

    // A message published to the transform's source is stored under its destination.
    const { connect } = await import("@nats-io/transport-node");
    const nc = await connect({ servers: server().url });
    try {
      await nc.request("feat.in.dns", "{}", { timeout: 5000 });
    } finally {
      await nc.close();
    }
    const got = parseJson(await cli(["stream", "get", "feat", "1", "--json"]));
    expect(got.subject).toBe("feat.out.dns");
  });

  it("--allow-msg-ttl and --subject-del-markers-ttl: set and shown on 2.11+; refused naming 2.11.0 before", async () => {
    const r = await cli(["stream", "add", "ttl", "--subjects", "ttl.>", "--allow-msg-ttl", "--subject-del-markers-ttl", "1m", "--defaults"]);
    if (!serverAtLeast("2.11")) {
      expectExit(r, 1);
      expect(r.stderr).toMatch(new RegExp(`^nsm4home: per-message TTLs \\(--allow-msg-ttl\\) needs nats-server 2\\.11\\.0 or newer; the server at .* runs ${runs()}\\n$`));
      const markers = await cli(["stream", "add", "ttl", "--subjects", "ttl.>", "--subject-del-markers-ttl", "1m", "--defaults"]);
      expectExit(markers, 1);
      expect(markers.stderr).toMatch(/^nsm4home: subject delete markers \(--subject-del-markers-ttl\) needs nats-server 2\.11\.0 or newer; /);
      expectExit(await cli(["stream", "info", "ttl"]), 1);
      return;
    }
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^\s+Allows Per-Message TTL: yes$/m);
    expect(r.stdout).toMatch(/^\s+Subject Delete Markers TTL: 1m$/m);
    const info = parseJson(await cli(["stream", "info", "ttl", "--json"]));
    expect(info.config.allow_msg_ttl).toBe(true);
    expect(info.config.subject_delete_marker_ttl).toBe(60_000 * 1_000_000);
  });

  it("2.12 counters, atomic batches, schedules, async persist: kept on 2.12+; refused before instead of a plain stream", async () => {
    const fields = [
      ["allow_msg_counter", true, "distributed counters \\(allow_msg_counter\\)"],
      ["allow_atomic", true, "atomic batch publishing \\(allow_atomic\\)"],
      ["allow_msg_schedules", true, "message schedules \\(allow_msg_schedules\\)"],
      ["persist_mode", "async", "an asynchronous persist mode \\(persist_mode\\)"],
    ] as const;
    for (const [key, value, text] of fields) {
      const name = `f212${key.replace(/_/g, "")}`;
      const file = join(server().dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ name, subjects: [`${name}.>`], [key]: value }));
      const r = await cli(["stream", "add", "--config", file]);
      if (serverAtLeast("2.12")) {
        expectExit(r, 0);
        expect(parseJson(await cli(["stream", "info", name, "--json"])).config[key]).toBe(value);
        continue;
      }
      expectExit(r, 1);
      expect(r.stderr).toMatch(new RegExp(`^nsm4home: ${text} needs nats-server 2\\.12\\.0 or newer; the server at .* runs ${runs()}\\n$`));
      expectExit(await cli(["stream", "info", name]), 1);
    }
  });

  it("allow_batched (fast batch publishing) from a 2.14+ stream's --json: kept on 2.14+; refused naming 2.14.0 before", async () => {
    const file = join(server().dir, "fast.json");
    writeFileSync(file, JSON.stringify({ config: { name: "fast", subjects: ["fast.>"], allow_batched: true } }));
    const r = await cli(["stream", "add", "--config", file]);
    if (serverAtLeast("2.14")) {
      expectExit(r, 0);
      expect(r.stdout).toMatch(/^\s+Allows Fast Batch Publish: yes$/m);
      return;
    }
    expectExit(r, 1);
    expect(r.stderr).toMatch(new RegExp(`^nsm4home: fast batch publishing \\(allow_batched\\) needs nats-server 2\\.14\\.0 or newer; the server at .* runs ${runs()}\\n$`));
  });

  it("natscli's --allow-rollup, --discard-per-subject (all), --first-sequence (2.10+), --allow-counter/--allow-batch (2.12+)", async () => {
    const dps = parseJson(await cli(["stream", "add", "dps", "--subjects", "dps.>", "--max-msgs-per-subject", "5", "--discard-per-subject", "--allow-rollup", "--defaults", "--json"]));
    expect(dps.config).toMatchObject({ discard: "new", discard_new_per_subject: true, allow_rollup_hdrs: true });
    const clash = await cli(["stream", "add", "dps2", "--subjects", "dps2.>", "--discard", "old", "--discard-per-subject", "--defaults"]);
    expectExit(clash, 2);
    expect(clash.stderr).toBe("nsm4home: --discard-per-subject applies discard new to each subject: it does not go with --discard old\n");
    const edited = await cli(["stream", "edit", "dps", "--no-allow-rollup", "-f", "--json"]);
    expect(parseJson(edited).config.allow_rollup_hdrs ?? false).toBe(false);

    for (const [flags, key, value, needs, text] of [
      [["--first-sequence", "10"], "first_seq", 10, "2.10", "a stream first sequence \\(first_seq\\)"],
      [["--allow-counter"], "allow_msg_counter", true, "2.12", "distributed counters \\(allow_msg_counter\\)"],
      [["--allow-batch"], "allow_atomic", true, "2.12", "atomic batch publishing \\(allow_atomic\\)"],
    ] as const) {
      const name = `flag${key.replace(/_/g, "")}`;
      const r = await cli(["stream", "add", name, "--subjects", `${name}.>`, ...flags, "--defaults", "--json"]);
      if (serverAtLeast(needs)) {
        expect(parseJson(r).config[key]).toBe(value);
        continue;
      }
      expectExit(r, 1);
      expect(r.stderr).toMatch(new RegExp(`^nsm4home: ${text} needs nats-server ${needs.replace(".", "\\.")}\\.0 or newer; the server at .* runs ${runs()}\\n$`));
    }
  });

  it("stream edit of a sealed stream says the server kept the old values instead of 'was updated'", async () => {
    expectExit(await cli(["stream", "add", "sealme", "--subjects", "sealme.>", "--defaults"]), 0);
    const file = join(server().dir, "seal.json");
    writeFileSync(file, JSON.stringify({ sealed: true }));
    expectExit(await cli(["stream", "edit", "sealme", "--config", file, "-f"]), 0);
    const r = await cli(["stream", "edit", "sealme", "--max-age", "7d", "-f"]);
    expect(r.stdout).not.toContain("was updated");
    expect(r.stderr).toBe("nsm4home: stream edit sealme: the server answered but kept max_age unlimited (the stream is sealed: its settings can no longer change)\n");
    expectExit(r, 1);
    expect(parseJson(await cli(["stream", "info", "sealme", "--json"])).config.max_age).toBe(0);
  });
});

