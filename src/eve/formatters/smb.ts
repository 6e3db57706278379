// SMB transactions: the command, its status, and the share/file/user it touched.
import type { EveEvent } from "../event.js";
import { asObject, asText, section } from "../types.js";
import { endpoints, joinParts, labelled, type FormatContext } from "./common.js";

/** "DOMAIN\user@host" from the NTLMSSP block, as much of it as is there. */
function ntlmUser(smb: Record<string, unknown>): string | undefined {
  const ntlm = asObject(smb["ntlmssp"]);
  if (ntlm === undefined) return undefined;
  const user = asText(ntlm["user"], 64);
  const domain = asText(ntlm["domain"], 64);
  const host = asText(ntlm["host"], 64);
  if (user === undefined && domain === undefined) return undefined;
  return `${domain !== undefined ? `${domain}\\` : ""}${user ?? "?"}${host !== undefined ? `@${host}` : ""}`;
}

/** `SMB2_COMMAND_CREATE STATUS_SUCCESS share \\srv\c$ file x.exe user DOM\bob  client → server` */
export function formatSmbEvent(event: EveEvent, ctx: FormatContext): string {
  const smb = section(event, "smb");
  const status = asText(smb["status"], 48);
  return joinParts([
    ctx.p.subject(asText(smb["command"], 48) ?? "(no command)"),
    status !== undefined ? (status === "STATUS_SUCCESS" ? ctx.p.good(status) : ctx.p.warn(status)) : undefined,
    asText(smb["dialect"], 16),
    labelled(ctx, "share", asText(smb["share"], 255)),
    labelled(ctx, "file", asText(smb["filename"], 255)),
    labelled(ctx, "user", ntlmUser(smb)),
    endpoints(event, ctx),
  ]);
}
