// TLS handshakes: who the client asked for (SNI), what the certificate says, and whether it was valid then.
import type { EveEvent } from "../event.js";
import { asObject, asText, commonName, parseEveTimestamp, section } from "../types.js";
import { endpoints, joinParts, labelled, type FormatContext } from "./common.js";

/** ja3/ja3s are objects `{hash, string}` (`{}` when not computed); ja4 is a string. */
function fingerprint(value: unknown): string | undefined {
  const obj = asObject(value);
  if (obj !== undefined) return asText(obj["hash"], 64);
  return asText(value, 64);
}

/** EXPIRED / NOT YET VALID relative to when the event happened (not to now: old logs replay). */
function validity(tls: Record<string, unknown>, event: EveEvent, ctx: FormatContext): string | undefined {
  const at = parseEveTimestamp(event.timestamp) ?? Date.now();
  const notAfter = parseEveTimestamp(tls["notafter"]);
  const notBefore = parseEveTimestamp(tls["notbefore"]);
  if (notAfter !== undefined && at > notAfter) return ctx.p.bad("EXPIRED");
  if (notBefore !== undefined && at < notBefore) return ctx.p.bad("NOT YET VALID");
  return undefined;
}

/** The date part of "2024-03-02T05:20:33". */
function dateOnly(value: unknown): string | undefined {
  const text = asText(value, 40);
  return text === undefined ? undefined : text.slice(0, 10);
}

/** `sni TLS 1.2 cn=... issuer=... until 2024-03-02 EXPIRED ja3 ... ja4 ...  client → server` */
export function formatTlsEvent(event: EveEvent, ctx: FormatContext): string {
  return joinParts([formatTlsSummary(section(event, "tls"), event, ctx), endpoints(event, ctx)]);
}

/** The TLS part alone, also used for the tls object embedded in alerts. */
export function formatTlsSummary(tls: Record<string, unknown>, event: EveEvent, ctx: FormatContext): string {
  const sni = asText(tls["sni"], 255);
  const subjectCn = commonName(tls["subject"]);
  const issuerCn = commonName(tls["issuerdn"]) ?? asText(tls["issuerdn"], 80);
  return joinParts([
    sni !== undefined ? ctx.p.subject(sni) : ctx.p.muted("(no sni)"),
    asText(tls["version"], 16),
    labelled(ctx, "cn", subjectCn !== undefined && subjectCn !== sni ? subjectCn : undefined),
    labelled(ctx, "issuer", issuerCn),
    labelled(ctx, "until", dateOnly(tls["notafter"])),
    validity(tls, event, ctx),
    labelled(ctx, "ja3", fingerprint(tls["ja3"])),
    labelled(ctx, "ja3s", fingerprint(tls["ja3s"])),
    labelled(ctx, "ja4", fingerprint(tls["ja4"])),
  ]);
}
