// ingest's stream check against a real nats-server: a stream must store all of `<prefix>.>` (or every
// `<prefix>.*`, one token per event type), not just some event types, before anything is read.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { trackDir } from "../helpers/processes.js";
import { natsWithClientForFile, readStream } from "../ingest/stream-helpers.js";
import { subjectCoversPrefix } from "../../src/ingest/stream-coverage.js";

const event = (type: string, n: number) => JSON.stringify({ event_type: type, n });
const threeTypes = `${event("dns", 1)}\n${event("flow", 2)}\n${event("tls", 3)}\n`;

describe("ingest stream check", () => {
  const servers = natsWithClientForFile();
  const env = isolatedEnv();
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-ingest-stream-check-"));
  trackDir(dir);

  async function cli(args: string[], input?: string) {
    return runCli(["-s", servers.nats.url, ...args], { env, ...(input !== undefined ? { input } : {}) });
  }

  it("refuses a stream that stores only some event types, naming it, what it stores and the fix; reads nothing", async () => {
    const added = await cli(["stream", "add", "part", "--subjects", "suricata.dns,suricata.flow", "--defaults"]);
    expect(added.code, added.stderr).toBe(0);
    const file = join(dir, "three.json");
    writeFileSync(file, threeTypes);
    const checkpoint = join(dir, "three.checkpoint");
    const r = await cli(["ingest", "--from", file, "--checkpoint", checkpoint, "--once"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("stream part stores suricata.dns, suricata.flow, not all of suricata.>");
    expect(r.stderr).toContain("nsm4home stream edit part --subjects 'suricata.>'");
    expect(r.stderr).not.toContain("→ stream");
    expect(await readStream(servers.nc, "part")).toEqual([]);
    // --create-stream cannot help: the new stream's subjects would overlap part's.
    const create = await cli(["ingest", "--from", file, "--checkpoint", checkpoint, "--once", "--create-stream"]);
    expect(create.code, create.stderr).toBe(1);
    expect(create.stderr).toContain("stream part stores suricata.dns, suricata.flow");
    // Made to store every type, the same run stores all three.
    const edited = await cli(["stream", "edit", "part", "--subjects", "suricata.*", "--force"]);
    expect(edited.code, edited.stderr).toBe(0);
    const ok = await cli(["ingest", "--from", file, "--checkpoint", checkpoint, "--once"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain("→ stream part as suricata.<event_type>");
    expect((await readStream(servers.nc, "part")).map((m) => m.subject)).toEqual(["suricata.dns", "suricata.flow", "suricata.tls"]);
    expect((await cli(["stream", "rm", "part", "--force"])).code).toBe(0);
  });

  it("accepts a stream of a wider subject for a prefix of two tokens", async () => {
    const added = await cli(["stream", "add", "everything", "--subjects", "lab.>", "--defaults"]);
    expect(added.code, added.stderr).toBe(0);
    const r = await cli(["ingest", "--from", "-", "--prefix", "lab.eve", "--once"], threeTypes);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("→ stream everything as lab.eve.<event_type>");
    expect((await readStream(servers.nc, "everything")).map((m) => m.subject)).toEqual(["lab.eve.dns", "lab.eve.flow", "lab.eve.tls"]);
    expect((await cli(["stream", "rm", "everything", "--force"])).code).toBe(0);
  });

  it("without a stream, a non-default prefix's hint covers that prefix; --create-stream with the name taken says --stream", async () => {
    const none = await cli(["ingest", "--from", "-", "--prefix", "lab", "--once"], "");
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no JetStream stream stores lab.>: add --create-stream, or run 'nsm4home stream add lab --subjects 'lab.>' --defaults'");
    expect(none.stderr).not.toContain("stream add --defaults");
    const other = await cli(["stream", "add", "suricata", "--subjects", "other.>", "--defaults"]);
    expect(other.code, other.stderr).toBe(0);
    const taken = await cli(["ingest", "--from", "-", "--prefix", "lab", "--once", "--create-stream"], threeTypes);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("a stream named suricata already exists and stores other.>, not lab.>: give the new one another name with --stream NAME");
    const named = await cli(["ingest", "--from", "-", "--prefix", "lab", "--once", "--create-stream", "--stream", "lab"], threeTypes);
    expect(named.code, named.stderr).toBe(0);
    expect((await readStream(servers.nc, "lab")).length).toBe(3);
  });
});

describe("subjectCoversPrefix", () => {
  it("covers every <prefix>.<event_type> with >, a trailing * or a wider wildcard; not a single type", () => {
    const covers = (pattern: string, prefix = "suricata") => subjectCoversPrefix(pattern, prefix);
    expect([">", "suricata.>", "suricata.*", "*.>", "*.*"].map((p) => covers(p))).toEqual([true, true, true, true, true]);
    expect(["suricata.dns", "suricata", "suricata.*.x", "other.>", "suricata.dns.>"].map((p) => covers(p))).toEqual([false, false, false, false, false]);
    expect(covers("lab.>", "lab.eve")).toBe(true);
    expect(covers("lab.*", "lab.eve")).toBe(false);
    expect(covers("*.eve.*", "lab.eve")).toBe(true);
  });
});
