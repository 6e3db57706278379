// ingest where it meets untrusted names and edge cases of its sources: file names with escape sequences in its
// notices (the followed file and its rotated siblings).
import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { trackDir } from "../helpers/processes.js";
import { readStream, startNatsWithClient, type NatsWithClient } from "../ingest/stream-helpers.js";

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
let tag = 0;
const event = (n: number) => JSON.stringify({ event_type: "dns", n, tag });

async function purge(servers: NatsWithClient): Promise<void> {
  tag++;
  await servers.nc.request("$JS.API.STREAM.PURGE.suricata", undefined, { timeout: 5000 }).catch(() => undefined);
}

describe("ingest edges", () => {
  let servers: NatsWithClient;
  let dir: string;
  const env = isolatedEnv();
  beforeAll(async () => {
    servers = await startNatsWithClient();
    dir = mkdtempSync(join(tmpdir(), "nsm4home-ingest-edges-"));
    trackDir(dir);
    const created = await runCli(["-s", servers.nats.url, "stream", "add", "--defaults"], { env });
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(() => servers?.stop());

  it("escapes a file name with an OSC title sequence, and its rotated sibling's, in every notice", async () => {
    await purge(servers);
    const file = join(dir, "eve\u001b]2;pwned\u0007\u202e.json");
    const checkpoint = join(dir, "hostile.checkpoint");
    const args = ["-s", servers.nats.url, "ingest", "--from", file, "--checkpoint", checkpoint, "--once"];
    writeFileSync(file, `${event(1)}\n${event(2)}\n`);
    const first = await runCli(args, { env });
    expect(first.code, first.stderr).toBe(0);
    // Rotated while stopped: the notices name the rotated sibling too.
    appendFileSync(file, `${event(3)}\n`);
    renameSync(file, `${file}.1`);
    writeFileSync(file, `${event(4)}\n`);
    const second = await runCli(args, { env });
    expect(second.code, second.stderr).toBe(0);
    for (const r of [first, second]) {
      expect(RAW_CONTROL.test(r.stderr), JSON.stringify(r.stderr)).toBe(false);
      expect(r.stderr).toContain("eve\\x1B]2;pwned\\x07\\u202E.json");
    }
    expect(second.stderr).toContain("eve\\x1B]2;pwned\\x07\\u202E.json.1");
    expect((await readStream(servers.nc)).map((m) => JSON.parse(m.data).n)).toEqual([1, 2, 3, 4]);
  });
});
