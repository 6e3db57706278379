// Prompts on a real terminal (a pty through `script`): every question names its flag, bad answers are explained
// and asked again, Ctrl-D cancels without creating anything, and destructive commands ask before acting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { cliFor, expectExit, parseJson } from "./jetstream-helpers.js";
import { scriptBinary, startInPty } from "./pty.js";

let server: NatsServer;
let cli: ReturnType<typeof cliFor>;
const env = isolatedEnv();
const NS = 1_000_000;
const pty = (args: string[]) => startInPty(["-s", server.url, "--no-context", ...args], env);

beforeAll(async () => {
  server = await startNatsServer();
  cli = cliFor(() => server.url);
});
afterAll(async () => {
  await server?.dispose();
});

describe.skipIf(!scriptBinary)("prompts on a terminal", () => {
  it("stream add asks for each missing setting, naming the flag, and re-asks after a bad answer", async () => {
    const p = pty(["stream", "add"]);
    await p.answer(/Stream name \(NAME\) \[suricata\]: /, "ptys");
    await p.answer(/Subjects \(--subjects comma separated\) \[suricata\.>\]: /, "ptys.>");
    await p.answer(/Storage \(--storage file\|memory\) \[file\]: /, "memory");
    await p.answer(/Retention \(--retention limits\|interest\|work\) \[limits\]: /, "");
    await p.answer(/Discard policy \(--discard old\|new\) \[old\]: /, "");
    await p.answer(/Maximum age \(--max-age [^)]*\) \[unlimited\]: /, "a while");
    await p.answer(/invalid --max-age 'a while'[^\n]*\n[\s\S]*Maximum age \(--max-age [^)]*\) \[unlimited\]: /, "30d");
    await p.answer(/Maximum bytes \(--max-bytes [^)]*\) \[unlimited\]: /, "1GiB");
    for (const flag of ["--max-msgs", "--max-msgs-per-subject", "--max-msg-size", "--dupe-window", "--replicas"]) {
      await p.answer(new RegExp(`\\(${flag}[ )][^\\n]*\\]: `), "");
    }
    const done = await p.exited;
    expect(done.code, done.output).toBe(0);
    expect(done.output).toContain("Stream ptys was created");
    const info = parseJson(await cli(["stream", "info", "ptys", "--json"]));
    expect(info.config).toMatchObject({ subjects: ["ptys.>"], storage: "memory", retention: "limits", max_age: 30 * 86_400_000 * NS, max_bytes: 1024 ** 3, duplicate_window: 120_000 * NS });
  });

  it("asks only for what the flags left out, and nothing with --defaults", async () => {
    const p = pty(["stream", "add", "partial", "--subjects", "partial.>", "--storage", "file", "--retention", "limits", "--discard", "old", "--max-age", "1d", "--max-bytes", "unlimited", "--max-msgs", "unlimited", "--max-msgs-per-subject", "unlimited", "--max-msg-size", "unlimited", "--dupe-window", "2m"]);
    await p.answer(/Replicas \(--replicas 1-5\) \[1\]: /, "1");
    const done = await p.exited;
    expect(done.code, done.output).toBe(0);
    expect(done.output).not.toMatch(/Storage \(|Stream name \(/);

    const quiet = await pty(["stream", "add", "quiet", "--subjects", "quiet.>", "--defaults"]).exited;
    expect(quiet.code, quiet.output).toBe(0);
    expect(quiet.output).not.toMatch(/\]: /);
    expect(quiet.output).toContain("Stream quiet was created");
  });

  it("Ctrl-D at a question cancels and creates nothing", async () => {
    const p = pty(["stream", "add", "never", "--subjects", "never.>"]);
    await p.waitFor(/Storage \(--storage/);
    p.endInput();
    const done = await p.exited;
    expect(done.code).toBe(1);
    expect(done.output).toContain("cancelled at the --storage prompt; nothing was changed");
    expectExit(await cli(["stream", "info", "never"]), 1);
  });

  it("stream rm and purge ask before destroying; only y proceeds", async () => {
    expectExit(await cli(["stream", "add", "doomed", "--subjects", "doomed.>", "--defaults"]), 0);
    const no = pty(["stream", "rm", "doomed"]);
    await no.answer(/Really remove stream doomed and its 0 messages\? \[y\/N\] /, "n");
    const kept = await no.exited;
    expect(kept.code).toBe(1);
    expect(kept.output).toContain("not confirmed; nothing was changed");
    expectExit(await cli(["stream", "info", "doomed"]), 0);

    const purge = pty(["stream", "purge", "doomed"]);
    await purge.answer(/Really purge all 0 messages from stream doomed\? \[y\/N\] /, "y");
    expect((await purge.exited).output).toContain("Purged 0 messages from stream doomed");

    const yes = pty(["stream", "rm", "doomed"]);
    await yes.answer(/\[y\/N\] /, "y");
    const gone = await yes.exited;
    expect(gone.code, gone.output).toBe(0);
    expectExit(await cli(["stream", "info", "doomed"]), 1);
  });

  it("consumer add asks for the name and settings, each naming its flag", async () => {
    expectExit(await cli(["stream", "add", "cons", "--subjects", "cons.>", "--defaults"]), 0);
    const p = pty(["consumer", "add", "cons"]);
    await p.answer(/Consumer name \(NAME\) \[none\]: /, "asked");
    await p.answer(/\(--target\) \[none\]: /, "");
    await p.answer(/Start with \(--deliver [^)]*\) \[all\]: /, "new");
    await p.answer(/Acknowledgement \(--ack explicit\|none\|all\) \[explicit\]: /, "sometimes");
    await p.answer(/invalid --ack 'sometimes'[\s\S]*\(--ack explicit\|none\|all\) \[explicit\]: /, "all");
    await p.answer(/Only subjects \(--subject [^)]*\) \[none\]: /, "cons.dns");
    await p.answer(/\(--max-deliver [^)]*\) \[unlimited\]: /, "4");
    const done = await p.exited;
    expect(done.code, done.output).toBe(0);
    const ci = parseJson(await cli(["consumer", "info", "cons", "asked", "--json"]));
    expect(ci.config).toMatchObject({ durable_name: "asked", deliver_policy: "new", ack_policy: "all", filter_subject: "cons.dns", max_deliver: 4 });
    expect(ci.config.deliver_subject).toBeUndefined();
  });
});
