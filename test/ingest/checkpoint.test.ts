// The checkpoint writer when the disk refuses: the failure is kept for the summary, and no temp file is left.
import { mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointWriter } from "../../src/ingest/checkpoint.js";
import { trackDir } from "../helpers/processes.js";

describe("CheckpointWriter", () => {
  it("a write that fails (the file turned into a directory; a full disk alike) leaves no temp file next to it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nsm4home-checkpoint-"));
    trackDir(dir);
    const file = join(dir, "eve.checkpoint");
    const said: string[] = [];
    const writer = new CheckpointWriter(file, (m) => said.push(m));
    mkdirSync(file);
    writer.save({ path: "/var/log/suricata/eve.json", dev: 1, ino: 2, offset: 100 });
    await writer.flush();
    expect(writer.failure).toMatch(/^cannot write the checkpoint .*eve\.checkpoint: /);
    expect(said).toHaveLength(1);
    writer.release();
    expect(readdirSync(dir)).toEqual(["eve.checkpoint"]);
  });
});
