// Name rules (QA F11), --config checks and flag bounds (QA F12/F13): usage errors before anything reaches the server.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyStreamFlags, checkStreamName, checkSubject, parseReplicas, readConfigFile } from "../../src/nats/streams/index.js";
import { checkConsumerName, readConsumerConfigFile } from "../../src/nats/consumers/index.js";
import { apiJsonText } from "../../src/nats/config-diff.js";
import { withSafeMessage } from "../../src/nats/admin.js";
import { RuntimeError, UsageError } from "../../src/errors.js";
import { usageMessage } from "./usage.js";

const dir = mkdtempSync(join(tmpdir(), "nsm-config-"));
function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

describe("stream and consumer names", () => {
  it("refuse control, bidi and invisible characters as well as whitespace, dots, wildcards and slashes, shown escaped", () => {
    for (const bad of ["x\u001b]0;N\u0007", "c\u009b2J", "a\u202etxt", "zero\u200bwidth", "nb\u00a0sp", "a b", "a.b", "a*", "a>", "a/b", "a\\b", "", "x".repeat(256)]) {
      const msg = usageMessage(() => checkStreamName(bad));
      expect(msg).toMatch(/^invalid stream name '.*': use letters, digits, - and _, at most 255 characters \(no whitespace, dots, \*, >, slashes, control or invisible characters\)$/s);
      expect(msg).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u200b]/);
      expect(usageMessage(() => checkConsumerName(bad))).toMatch(/^invalid consumer name /);
    }
    expect(usageMessage(() => checkStreamName("x\u001b]0;N\u0007"))).toContain("'x\\x1B]0;N\\x07'");
    for (const good of ["suricata", "lab-2_b", "ÉVÉNEMENTS", "x".repeat(255)]) expect(checkStreamName(good)).toBe(good);
  });

  it("subjects with control characters are refused too", () => {
    expect(usageMessage(() => checkSubject("q.\u001b[2J", "--subjects"))).toBe("invalid --subjects 'q.\\x1B[2J': use a NATS subject such as suricata.> or suricata.dns");
  });
});

describe("--config files", () => {
  it("name the field and what it takes when a value has the wrong type", () => {
    const p = file("age.json", { name: "s", max_age: "1h" });
    expect(usageMessage(() => readConfigFile(p))).toBe(`--config ${p}: max_age must be nanoseconds, a whole number (or use --max-age 1h)`);
    const q = file("bytes.json", { max_bytes: 1e20 });
    expect(usageMessage(() => readConfigFile(q))).toBe(`--config ${q}: max_bytes must be a whole number below 2^63 (or use --max-bytes 10GiB)`);
    const r = file("ret.json", { retention: "work" });
    expect(usageMessage(() => readConfigFile(r))).toBe(`--config ${r}: retention must be one of "limits", "interest", "workqueue" (or use --retention limits)`);
    const c = file("wait.json", { ack_wait: "30s", durable_name: "x" });
    expect(usageMessage(() => readConsumerConfigFile(c))).toBe(`--config ${c}: ack_wait must be nanoseconds, a whole number (or use --wait 30s)`);
  });

  it("name unknown fields (a typo must not make an unlimited stream) but take API fields we do not model", () => {
    const p = file("typo.json", { name: "s", max_bytse: 1000, bogus_field: 1 });
    expect(usageMessage(() => readConfigFile(p))).toBe(`--config ${p}: unknown fields "max_bytse", "bogus_field" (a typo? the API's field names are snake_case, e.g. max_bytes, max_age)`);
    const known = { name: "s", subjects: ["a.>"], max_age: 3_600_000_000_000, placement: { tags: ["x"] }, republish: { src: ">", dest: "r.>" }, allow_msg_ttl: false, metadata: { a: "b" }, sealed: false, compression: "none" };
    expect(readConfigFile(file("known.json", known))).toEqual(known);
    // A `stream info --json` document: its config is checked, the state around it is not.
    expect(readConfigFile(file("info.json", { config: { name: "s", max_age: 0 }, state: { messages: 1 }, created: "x" }))).toEqual({ name: "s", max_age: 0 });
    // What a 2.11+ server writes into metadata itself is left for the server that reads it to write again.
    const fromNewer = { name: "s", metadata: { "_nats.req.level": "0", "_nats.ver": "2.15.3", owner: "pi" } };
    expect(readConfigFile(file("newer.json", fromNewer))).toEqual({ name: "s", metadata: { owner: "pi" } });
    expect(readConfigFile(file("newer-only.json", { name: "s", metadata: { "_nats.level": "1" } }))).toEqual({ name: "s" });
    // A consumer file is checked against the consumer's fields, not the stream's.
    expect(usageMessage(() => readConsumerConfigFile(file("cmax.json", { max_age: 1 })))).toMatch(/unknown field "max_age"/);
    expect(readConsumerConfigFile(file("cok.json", { durable_name: "c", ack_wait: 30e9, backoff: [1e9, 5e9], pause_until: "2030-01-01T00:00:00Z" }))).toMatchObject({ durable_name: "c" });
  });
});

describe("flag bounds", () => {
  it("--replicas -1 names the range", () => {
    expect(usageMessage(() => parseReplicas("-1"))).toBe("invalid --replicas '-1': use 1 to 5 (and no more than the servers in the cluster)");
  });

  it("overflowing --max-age/--max-bytes/--max-msgs are usage errors naming the flag", () => {
    expect(usageMessage(() => applyStreamFlags({}, { maxAge: "99999999999d" }))).toMatch(/^invalid --max-age '99999999999d': at most 292y/);
    expect(usageMessage(() => applyStreamFlags({}, { maxBytes: "99999999999999999999GiB" }))).toMatch(/^invalid --max-bytes .*at most 9223372036854775807 bytes/);
    expect(usageMessage(() => applyStreamFlags({}, { maxMsgs: "99999999999999999999" }))).toMatch(/^invalid --max-msgs /);
    expect(applyStreamFlags({}, { maxBytes: "1PiB", maxAge: "100y" })).toEqual({ max_bytes: 1024 ** 5, max_age: 100 * 365 * 86_400_000 * 1e6 });
  });
});

describe("output of server text", () => {
  it("--json escapes DEL, C1 and bidi controls so the document parses back equal", () => {
    const value = { config: { name: "c\u009b2J\u202e\u007f", subjects: ["q.\u001b"] } };
    const text = apiJsonText(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it("error texts quoting the server are escaped line by line, keeping their exit code and lines", () => {
    const err = withSafeMessage(new RuntimeError("stream add x: bad \u001b[2J\nsecond \u009b line", 1)) as RuntimeError;
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.message).toBe("stream add x: bad \\x1B[2J\nsecond \\x9B line");
    expect(withSafeMessage(new UsageError("u \u0007"))).toBeInstanceOf(UsageError);
    const safe = new RuntimeError("fine");
    expect(withSafeMessage(safe)).toBe(safe);
  });
});

describe("edit previews", () => {
  it("show the server's current values escaped", async () => {
    const { renderChanges } = await import("../../src/nats/config-diff.js");
    const { showStreamValue } = await import("../../src/nats/streams/index.js");
    const text = renderChanges([{ field: "subjects", from: ["h\u001b[31m.>"], to: ["p.>"] }], showStreamValue);
    expect(text).toBe("  subjects  h\\x1B[31m.> → p.>\n");
  });
});

describe("--max-msg-size", () => {
  it("stops at the server's 32-bit field, flag and --config alike", () => {
    expect(applyStreamFlags({}, { maxMsgSize: "1GiB" })).toEqual({ max_msg_size: 1024 ** 3 });
    expect(applyStreamFlags({}, { maxMsgSize: "unlimited" })).toEqual({ max_msg_size: -1 });
    expect(usageMessage(() => applyStreamFlags({}, { maxMsgSize: "3GiB" }))).toBe(
      "invalid --max-msg-size '3GiB': at most 2147483647 bytes (2GiB less one byte, a 32-bit field), or unlimited",
    );
    const p = file("msgsize.json", { max_msg_size: 3 * 1024 ** 3 });
    expect(usageMessage(() => readConfigFile(p))).toBe(`--config ${p}: max_msg_size must be a whole number below 2^31 (or use --max-msg-size 1MiB)`);
  });
});
