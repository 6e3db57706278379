// Alerts: severity first (1 is the most severe), the signature, its ids, and the app-layer context Suricata
// embeds (http host and URL, TLS SNI, DNS name) so the line says what the alert was about.
import type { EveEvent } from "../event.js";
import { asNumber, asObject, asText, commonName, section } from "../types.js";
import { endpoints, joinParts, protocols, type FormatContext } from "./common.js";
import { describeDns } from "./dns.js";
import { hostAndUrl } from "./http.js";

function actionText(action: string | undefined, ctx: FormatContext): string | undefined {
  if (action === undefined) return undefined;
  return action === "allowed" ? ctx.p.muted(action) : ctx.p.bad(action);
}

/** "[gid:sid:rev]" as Snort and Suricata print it; missing parts are left out. */
function signatureIds(alert: Record<string, unknown>): string | undefined {
  const gid = asNumber(alert["gid"]);
  const sid = asNumber(alert["signature_id"]);
  const rev = asNumber(alert["rev"]);
  if (sid === undefined) return undefined;
  return `[${gid ?? 1}:${sid}${rev === undefined ? "" : `:${rev}`}]`;
}

/** What the alert was about, from the app-layer object embedded in it. */
function appContext(event: EveEvent, ctx: FormatContext): string | undefined {
  const http = asObject(event["http"]);
  if (http !== undefined) {
    const target = hostAndUrl(http);
    if (target !== undefined) return `${ctx.p.muted("http")} ${target}`;
  }
  const tls = asObject(event["tls"]);
  if (tls !== undefined) {
    const sni = asText(tls["sni"], 255);
    if (sni !== undefined) return `${ctx.p.muted("sni")} ${sni}`;
    const cn = commonName(tls["subject"]);
    if (cn !== undefined) return `${ctx.p.muted("cert")} ${cn}`;
  }
  if (event["dns"] !== undefined) {
    const dns = describeDns(event["dns"]);
    if (dns.rrname !== undefined) return `${ctx.p.muted("dns")} ${dns.rrname}`;
  }
  const smb = asObject(event["smb"]);
  if (smb !== undefined) {
    const what = asText(smb["filename"], 255) ?? asText(smb["share"], 255) ?? asText(smb["command"], 64);
    if (what !== undefined) return `${ctx.p.muted("smb")} ${what}`;
  }
  const smtp = asObject(event["smtp"]);
  if (smtp !== undefined) {
    const from = asText(smtp["mail_from"], 255);
    const helo = asText(smtp["helo"], 255);
    if (from !== undefined || helo !== undefined) {
      return joinParts([ctx.p.muted("smtp"), helo !== undefined ? `helo ${helo}` : undefined, from !== undefined ? `from ${from}` : undefined]);
    }
  }
  return undefined;
}

/** `sev1 signature [1:sid:rev] category action  src → dst PROTO  http host/url` */
export function formatAlertEvent(event: EveEvent, ctx: FormatContext): string {
  const alert = section(event, "alert");
  const severity = asNumber(alert["severity"]);
  const signature = asText(alert["signature"], 255);
  const category = asText(alert["category"], 120);
  const ids = signatureIds(alert);
  return joinParts([
    ctx.p.severity(severity, severity === undefined ? "sev?" : `sev${severity}`),
    ctx.p.severity(severity, signature ?? "(no signature)"),
    ids !== undefined ? ctx.p.muted(ids) : undefined,
    category !== undefined ? ctx.p.muted(`(${category})`) : undefined,
    actionText(asText(alert["action"], 16), ctx),
    endpoints(event, ctx),
    protocols(event),
    appContext(event, ctx),
  ]);
}
