// `context validate`: what works with a context alone (its files, the connection, JetStream, the domain), each
// check a value the command renders; nothing here prints. Environment variables are left out on purpose: the
// question is whether the context works, not whatever NATS_URL happens to say in this shell.
import { existsSync } from "node:fs";
import type { NatsContext } from "./context.js";
import { errorMessage } from "../errors.js";

export interface ContextCheck {
  check: string;
  ok: boolean;
  detail: string;
}

/** The environment minus NATS_* variables, so only the context and its defaults decide. */
function contextOnlyEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith("NATS_")) out[k] = v;
  return out;
}

export async function checkContext(name: string, env: NodeJS.ProcessEnv = process.env): Promise<ContextCheck[]> {
  const { loadContext } = await import("./context.js");
  const checks: ContextCheck[] = [];
  let ctx: NatsContext;
  try {
    ctx = loadContext(name, env);
    checks.push({ check: "file", ok: true, detail: ctx.path });
  } catch (err) {
    return [{ check: "file", ok: false, detail: errorMessage(err) }];
  }
  for (const [field, path] of [["creds", ctx.creds], ["nkey", ctx.nkey], ["cert", ctx.cert], ["key", ctx.key], ["ca", ctx.ca]] as const) {
    if (path === undefined) continue;
    const there = existsSync(path);
    checks.push({ check: field, ok: there, detail: there ? path : `${path} does not exist` });
  }
  if (checks.some((c) => !c.ok)) return checks;

  const { resolveConnectionOptions, connectNats, redactUrl } = await import("./connection/index.js");
  const resolved = resolveConnectionOptions({ context: name }, contextOnlyEnv(env));
  let nc;
  try {
    nc = await connectNats(resolved, { onStatus: null });
  } catch (err) {
    checks.push({ check: "connect", ok: false, detail: errorMessage(err).split("\n")[0]! });
    return checks;
  }
  try {
    const info = nc.info;
    const where = redactUrl(nc.getServer());
    checks.push({ check: "connect", ok: true, detail: `${where}: server ${info?.server_name ?? "?"}, version ${info?.version ?? "?"}` });
    const { openJetStreamManager } = await import("./jetstream.js");
    const label = ctx.jetstream_domain !== undefined ? `JetStream (domain ${ctx.jetstream_domain})` : ctx.jetstream_api_prefix !== undefined ? `JetStream (API prefix ${ctx.jetstream_api_prefix})` : "JetStream";
    try {
      const jsm = await openJetStreamManager(nc, resolved);
      const account = await jsm.getAccountInfo();
      const domain = account.domain ? `, domain ${account.domain}` : "";
      checks.push({ check: label, ok: true, detail: `${account.streams} streams, ${account.consumers} consumers${domain}` });
    } catch (err) {
      checks.push({ check: label, ok: false, detail: errorMessage(err).split("\n")[0]! });
    }
  } finally {
    await nc.close().catch(() => undefined);
  }
  return checks;
}
