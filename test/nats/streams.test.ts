import { describe, expect, it } from "vitest";
import {
  applyStreamFlags,
  checkSubject,
  durationFlagText,
  purgeOptions,
  showStreamValue,
  sizeFlagText,
  streamEditCommand,
  streamEditFlags,
  streamFlagsAsTyped,
} from "../../src/nats/streams/index.js";
import { apiObject, diffConfig, shellQuote } from "../../src/nats/config-diff.js";
import { nsmStreamConfig } from "../../src/nats/stream-defaults.js";
import { UsageError } from "../../src/errors.js";
import { usageMessage } from "./usage.js";

const NS = 1_000_000;


describe("applyStreamFlags", () => {
  it("turns flag text into API fields: nanosecond durations, byte sizes, -1 for unlimited", () => {
    const cfg = applyStreamFlags(nsmStreamConfig(), {
      subjects: ["suricata.dns", "suricata.flow"],
      storage: "memory",
      retention: "work",
      discard: "new",
      maxAge: "7d",
      maxBytes: "10GiB",
      maxMsgs: "1,000,000",
      maxMsgsPerSubject: "unlimited",
      maxMsgSize: "1MiB",
      dupeWindow: "90s",
      replicas: "3",
      description: "lab",
      allowDirect: true,
      denyDelete: true,
      denyPurge: false,
    });
    expect(cfg).toMatchObject({
      subjects: ["suricata.dns", "suricata.flow"],
      storage: "memory",
      retention: "workqueue",
      discard: "new",
      max_age: 7 * 86_400_000 * NS,
      max_bytes: 10 * 1024 ** 3,
      max_msgs: 1_000_000,
      max_msgs_per_subject: -1,
      max_msg_size: 1024 ** 2,
      duplicate_window: 90_000 * NS,
      num_replicas: 3,
      description: "lab",
      allow_direct: true,
      deny_delete: true,
      deny_purge: false,
    });
  });

  it("keeps the base where no flag was given (the NSM defaults)", () => {
    expect(applyStreamFlags(nsmStreamConfig(), {})).toEqual(nsmStreamConfig());
    expect(applyStreamFlags(nsmStreamConfig(), { maxAge: "unlimited" }).max_age).toBe(0);
  });

  it("names the flag and the accepted values in every error", () => {
    expect(usageMessage(() => applyStreamFlags({}, { storage: "disk" }))).toBe("invalid --storage 'disk': use file or memory");
    expect(usageMessage(() => applyStreamFlags({}, { retention: "forever" }))).toMatch(/--retention 'forever': use limits, interest or work/);
    expect(usageMessage(() => applyStreamFlags({}, { discard: "oldest" }))).toMatch(/--discard 'oldest': use old or new/);
    expect(usageMessage(() => applyStreamFlags({}, { maxAge: "7 days" }))).toMatch(/--max-age '7 days'/);
    expect(usageMessage(() => applyStreamFlags({}, { maxBytes: "10 gigs" }))).toMatch(/--max-bytes '10 gigs'.*10GiB/);
    expect(usageMessage(() => applyStreamFlags({}, { maxMsgs: "many" }))).toMatch(/--max-msgs 'many'/);
    expect(usageMessage(() => applyStreamFlags({}, { dupeWindow: "0s" }))).toMatch(/--dupe-window '0s': use a duration above zero/);
    expect(usageMessage(() => applyStreamFlags({}, { replicas: "7" }))).toMatch(/--replicas '7': use 1 to 5/);
    expect(usageMessage(() => applyStreamFlags({}, { subjects: ["bad subject"] }))).toMatch(/--subjects 'bad subject'/);
    expect(usageMessage(() => applyStreamFlags({}, { subjects: ["a.>.b"] }))).toMatch(/--subjects 'a.>.b'/);
  });
});

describe("checkSubject", () => {
  it("accepts wildcards in their places only", () => {
    expect(checkSubject("suricata.>", "--subjects")).toBe("suricata.>");
    expect(checkSubject("suricata.*.x", "--subjects")).toBe("suricata.*.x");
    for (const bad of ["", "a..b", "a.b*", ">.a", "a b"]) expect(() => checkSubject(bad, "--x")).toThrow(UsageError);
  });
});

describe("diff and the edit command", () => {
  it("compares only the wanted fields, treating a missing field as the empty value", () => {
    const current = { ...nsmStreamConfig(), max_consumers: -1, sealed: false };
    expect(diffConfig(current, { ...nsmStreamConfig(), description: "", deny_delete: false })).toEqual([]);
    const changes = diffConfig(current, { ...nsmStreamConfig(), max_age: 7 * 86_400_000 * NS, subjects: ["suricata.>", "zeek.>"] });
    expect(changes.map((c) => c.field)).toEqual(["subjects", "max_age"]);
  });

  it("builds an edit command whose flags parse back to the same configuration", () => {
    const current = nsmStreamConfig();
    const wanted = applyStreamFlags(nsmStreamConfig(), {
      subjects: ["suricata.>", "zeek.>"],
      maxAge: "90d",
      maxBytes: "20GiB",
      maxMsgSize: "1500",
      dupeWindow: "1500ms",
      maxMsgs: "5000",
      description: "it's the lab",
      denyPurge: true,
      allowDirect: false,
      discard: "new",
      retention: "interest",
    });
    const changes = diffConfig(current, wanted, ["name"]);
    const command = streamEditCommand("suricata", changes);
    expect(command).toContain("--subjects 'suricata.>,zeek.>'");
    expect(command).toContain("--description 'it'\\''s the lab'");
    // Re-parse the printed flags as a shell would split them and apply them to the old config.
    const { flags } = streamEditFlags(changes);
    const unquote = (s: string) => (s.startsWith("'") ? s.slice(1, -1).replace(/'\\''/g, "'") : s);
    const parsed: Record<string, unknown> = {};
    for (let i = 0; i < flags.length; i++) {
      const f = flags[i]!;
      const key = f.replace(/^--(no-)?/, "").replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
      if (f === "--deny-purge" || f === "--allow-direct") parsed[key] = true;
      else if (f.startsWith("--no-")) parsed[key] = false;
      else parsed[key === "subjects" ? "subjects" : key] = key === "subjects" ? unquote(flags[++i]!).split(",") : unquote(flags[++i]!);
    }
    expect(diffConfig(applyStreamFlags(current, parsed), wanted)).toEqual([]);
  });

  it("echoes the user's own units in the suggested edit line, which parses back to the same value", () => {
    const typedFlags = { maxBytes: "20GB", maxAge: "36h", maxMsgs: "1,000,000", description: "x" };
    const wanted = applyStreamFlags(nsmStreamConfig(), typedFlags);
    const changes = diffConfig(nsmStreamConfig(), wanted, ["name"]);
    const command = streamEditCommand("suricata", changes, undefined, streamFlagsAsTyped(typedFlags));
    expect(command).toContain("--max-bytes 20GB");
    expect(command).toContain("--max-age 36h");
    expect(command).toContain("--max-msgs 1,000,000");
    expect(command).not.toContain("KiB");
    // Without the typed text the exact-units spelling stays (nothing to echo).
    expect(streamEditCommand("suricata", changes)).toContain("--max-bytes 19531250KiB");
    const { flags } = streamEditFlags(changes, streamFlagsAsTyped(typedFlags));
    const value = flags[flags.indexOf("--max-bytes") + 1]!;
    expect(applyStreamFlags(nsmStreamConfig(), { maxBytes: value }).max_bytes).toBe(wanted.max_bytes);
  });

  it("writes sizes and durations as exact flag values", () => {
    expect(sizeFlagText(10 * 1024 ** 3)).toBe("10GiB");
    expect(sizeFlagText(1500)).toBe("1500");
    expect(sizeFlagText(-1)).toBe("unlimited");
    expect(durationFlagText(2 * 60_000 * NS)).toBe("2m");
    expect(durationFlagText(90 * 86_400_000 * NS)).toBe("90d");
    expect(durationFlagText(1500 * NS)).toBe("1500ms");
  });

  it("shows values in human units", () => {
    expect(showStreamValue("max_age", 0)).toBe("unlimited");
    expect(showStreamValue("max_age", 86_400_000 * NS + 3_600_000 * NS)).toBe("1d1h");
    expect(showStreamValue("max_bytes", 10 * 1024 ** 3)).toBe("10 GiB");
    expect(showStreamValue("max_msgs", 1234567)).toBe("1,234,567");
    expect(showStreamValue("max_msgs", -1)).toBe("unlimited");
    expect(showStreamValue("description", undefined)).toBe("(unset)");
  });

  it("quotes for a shell only when needed", () => {
    expect(shellQuote("suricata")).toBe("suricata");
    expect(shellQuote("suricata.>")).toBe("'suricata.>'");
    expect(shellQuote("a b")).toBe("'a b'");
  });

  it("drops the API envelope from --json output", () => {
    expect(apiObject({ type: "io.nats.x", total: 0, offset: 0, limit: 0, config: { name: "s" } })).toEqual({ config: { name: "s" } });
  });
});

describe("purgeOptions", () => {
  it("maps --subject/--seq/--keep to the purge request", () => {
    expect(purgeOptions({})).toBeUndefined();
    expect(purgeOptions({ subject: "suricata.dns" })).toEqual({ filter: "suricata.dns" });
    expect(purgeOptions({ seq: "100" })).toEqual({ seq: 100 });
    expect(purgeOptions({ keep: "10", subject: "suricata.flow" })).toEqual({ keep: 10, filter: "suricata.flow" });
    expect(usageMessage(() => purgeOptions({ seq: "1", keep: "1" }))).toMatch(/--seq and --keep/);
  });
});

