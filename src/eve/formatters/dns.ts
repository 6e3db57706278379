// DNS in all three EVE formats:
//   v1 (before Suricata 7): dns.type query|answer, flat rrname/rrtype/rdata, one event per answer record;
//   v2 (Suricata 7): queries flat; answers {version:2, type:"answer", rcode, answers:[...], grouped:{A:[...]}};
//   v3 (Suricata 8): dns.type request|response, names in dns.queries[], responses carry answers/grouped/rcode and
//       are logged with the responding server as src_ip.
import type { EveEvent } from "../event.js";
import { asArray, asNumber, asObject, asText, type Fields } from "../types.js";
import { endpoints, joinParts, listWithMore, type FormatContext } from "./common.js";

const MAX_NAME_CHARS = 255;
const MAX_ANSWER_CHARS = 80;
const ANSWERS_SHOWN = 3;

export interface DnsSummary {
  kind: "query" | "response" | undefined;
  version: number | undefined;
  rrname: string | undefined;
  rrtype: string | undefined;
  /** Queries beyond the first (a v3 request may carry several). */
  extraQueries: number;
  rcode: string | undefined;
  /** Answer data as display text (sanitised), in order. */
  answers: string[];
}

function kindOf(dns: Fields): DnsSummary["kind"] {
  const type = dns["type"];
  if (type === "query" || type === "request") return "query";
  if (type === "answer" || type === "response") return "response";
  if (dns["qr"] === true) return "response";
  return undefined;
}

/** What one answer record says: its rdata, else the SOA's primary name server, else its type. */
function answerText(record: unknown): string | undefined {
  const rr = asObject(record);
  if (rr === undefined) return asText(record, MAX_ANSWER_CHARS);
  return (
    asText(rr["rdata"], MAX_ANSWER_CHARS) ??
    asText(asObject(rr["soa"])?.["mname"], MAX_ANSWER_CHARS) ??
    asText(rr["rrtype"], MAX_ANSWER_CHARS)
  );
}

function collectAnswers(dns: Fields): string[] {
  const out: string[] = [];
  const answers = asArray(dns["answers"]);
  if (answers !== undefined) {
    for (const record of answers) {
      const text = answerText(record);
      if (text !== undefined) out.push(text);
    }
    return out;
  }
  const grouped = asObject(dns["grouped"]);
  if (grouped !== undefined) {
    for (const key of Object.keys(grouped)) {
      const values = asArray(grouped[key]);
      if (values === undefined) continue;
      for (const value of values) {
        const text = answerText(value);
        if (text !== undefined) out.push(text);
      }
    }
    return out;
  }
  // v1: one answer record per event, flat.
  const rdata = asText(dns["rdata"], MAX_ANSWER_CHARS);
  if (rdata !== undefined) out.push(rdata);
  return out;
}

/** Reads any of the three formats (and the dns object embedded in alerts) into one shape. */
export function describeDns(value: unknown): DnsSummary {
  let dns = asObject(value) ?? {};
  // Suricata 7 alerts on a response wrap the v2 answer: {"dns": {"answer": {...}}}.
  const wrappedAnswer = dns["type"] === undefined ? asObject(dns["answer"]) : undefined;
  if (wrappedAnswer !== undefined) dns = wrappedAnswer;
  // v3 and v2-alerts keep the question in an array ("queries", or "query" in Suricata 7 alerts).
  const queries = asArray(dns["queries"]) ?? asArray(dns["query"]);
  const firstQuery = asObject(queries?.[0]);
  const kind = kindOf(dns) ?? kindOf(firstQuery ?? {});
  const version = asNumber(dns["version"]) ?? (dns["type"] === "request" || dns["type"] === "response" ? 3 : undefined);
  return {
    kind,
    version,
    rrname: asText(firstQuery?.["rrname"], MAX_NAME_CHARS) ?? asText(dns["rrname"], MAX_NAME_CHARS),
    rrtype: asText(firstQuery?.["rrtype"]) ?? asText(dns["rrtype"]),
    extraQueries: queries !== undefined && queries.length > 1 ? queries.length - 1 : 0,
    rcode: asText(dns["rcode"]),
    answers: collectAnswers(dns),
  };
}

const DNS_PORTS = new Set([53, 5353, 5355, 853]);

/**
 * Show the client first. A v3 response is logged from the server (src_ip = responder), and so were v1 answers;
 * v2 answers kept the client as src. Ports decide where they can; the format decides otherwise.
 */
function serverIsSource(event: EveEvent, summary: DnsSummary): boolean {
  const srcPort = asNumber(event.src_port);
  const destPort = asNumber(event.dest_port);
  const srcIsDns = srcPort !== undefined && DNS_PORTS.has(srcPort);
  const destIsDns = destPort !== undefined && DNS_PORTS.has(destPort);
  if (srcIsDns !== destIsDns) return srcIsDns;
  return summary.kind === "response" && summary.version === 3;
}

function rcodeText(rcode: string, ctx: FormatContext): string {
  if (rcode === "NOERROR") return ctx.p.good(rcode);
  if (rcode === "NXDOMAIN") return ctx.p.warn(rcode);
  return ctx.p.bad(rcode);
}

/** `Q name TYPE  client → server` or `R name TYPE RCODE = a, b, c +N more  client → server`. */
export function formatDnsEvent(event: EveEvent, ctx: FormatContext): string {
  const dns = describeDns(event["dns"]);
  const isResponse = dns.kind === "response";
  const marker = dns.kind === "query" ? ctx.p.info("Q") : isResponse ? ctx.p.accent("R") : ctx.p.muted("?");
  const answers = listWithMore(dns.answers, ANSWERS_SHOWN);
  return joinParts([
    marker,
    ctx.p.subject(dns.rrname ?? "(no name)"),
    dns.rrtype,
    dns.extraQueries > 0 ? ctx.p.muted(`+${dns.extraQueries} queries`) : undefined,
    isResponse && dns.rcode !== undefined ? rcodeText(dns.rcode, ctx) : undefined,
    answers !== undefined ? `${ctx.p.muted("=")} ${answers}` : undefined,
    endpoints(event, ctx, serverIsSource(event, dns)),
  ]);
}
