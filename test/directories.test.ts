import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeDirectories } from "../src/directories.js";

describe("makeDirectories", () => {
  const base = mkdtempSync(join(tmpdir(), "nsm4home-dirs-"));

  it("makes every missing level with the mode and returns the first it made, as mkdir -p", () => {
    const deep = join(base, "a", "b", "c");
    expect(makeDirectories(deep, 0o700)).toBe(join(base, "a"));
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(statSync(join(base, "a", "b")).mode & 0o777).toBe(0o700);
    expect(makeDirectories(deep)).toBeUndefined();
  });

  it("throws what mkdir answers: a file in the way, or ENOENT where a parent exists (Node's recursive mode spins there)", () => {
    const file = join(base, "file");
    writeFileSync(file, "x");
    expect(() => makeDirectories(join(file, "sub"))).toThrow(expect.objectContaining({ code: "ENOTDIR" }));
    if (process.platform === "linux") expect(() => makeDirectories("/proc/nsm4home-test/x")).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });
});
