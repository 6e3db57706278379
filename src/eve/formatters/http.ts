// HTTP transactions: method, host and URL, status, size and a short user agent.
import type { EveEvent } from "../event.js";
import { asNumber, asText, section, type Fields } from "../types.js";
import { bytesText, endpoints, joinParts, type FormatContext } from "./common.js";

const USER_AGENT_CHARS = 40;

export function statusText(status: number | undefined, ctx: FormatContext): string | undefined {
  if (status === undefined) return undefined;
  const text = String(status);
  if (status >= 500) return ctx.p.bad(text);
  if (status >= 400) return ctx.p.warn(text);
  if (status >= 300) return ctx.p.info(text);
  return ctx.p.good(text);
}

/** "host/url" as one string, the way a browser shows it. */
export function hostAndUrl(http: Fields): string | undefined {
  const host = asText(http["hostname"], 255);
  const url = asText(http["url"]);
  if (host === undefined) return url;
  if (url === undefined) return host;
  return url.startsWith("/") ? `${host}${url}` : `${host} ${url}`;
}

/** `GET host/url 200 1.3 MiB "UA"  client → server` */
export function formatHttpEvent(event: EveEvent, ctx: FormatContext): string {
  const http = section(event, "http");
  const length = asNumber(http["length"]);
  const ua = asText(http["http_user_agent"], USER_AGENT_CHARS);
  const target = hostAndUrl(http);
  return joinParts([
    asText(http["http_method"], 16),
    target !== undefined ? ctx.p.subject(target) : undefined,
    statusText(asNumber(http["status"]), ctx),
    bytesText(length),
    ua !== undefined ? ctx.p.muted(`"${ua}"`) : undefined,
    endpoints(event, ctx),
  ]);
}
