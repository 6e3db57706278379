// SSH handshakes: client and server software banners, protocol version, HASSH fingerprints.
import type { EveEvent } from "../event.js";
import { asObject, asText, section } from "../types.js";
import { endpoints, joinParts, labelled, type FormatContext } from "./common.js";

function side(value: unknown): { software?: string; proto?: string; hassh?: string } {
  const obj = asObject(value) ?? {};
  const hassh = asObject(obj["hassh"]);
  const out: { software?: string; proto?: string; hassh?: string } = {};
  const software = asText(obj["software_version"], 80);
  const proto = asText(obj["proto_version"], 16);
  const hash = asText(hassh?.["hash"], 64);
  if (software !== undefined) out.software = software;
  if (proto !== undefined) out.proto = proto;
  if (hash !== undefined) out.hassh = hash;
  return out;
}

/** `OpenSSH_8.9 → OpenSSH_9.2 proto 2.0 hassh ... hasshs ...  client → server` */
export function formatSshEvent(event: EveEvent, ctx: FormatContext): string {
  const ssh = section(event, "ssh");
  const client = side(ssh["client"]);
  const server = side(ssh["server"]);
  return joinParts([
    ctx.p.subject(client.software ?? "?"),
    ctx.p.muted("→"),
    ctx.p.subject(server.software ?? "?"),
    labelled(ctx, "proto", client.proto ?? server.proto),
    labelled(ctx, "hassh", client.hassh),
    labelled(ctx, "hasshs", server.hassh),
    endpoints(event, ctx),
  ]);
}
