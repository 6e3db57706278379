// Server URLs: credentials split off or masked (they must never be printed), host and port.
import { maskUrlCredentials } from "../../text/credentials.js";
import type { ResolvedConnection } from "./types.js";

/** Splits `nats://user:pass@host` / `nats://token@host` into the URL without credentials and the credentials. */
export function splitUrlCredentials(url: string): { url: string; user?: string; password?: string; token?: string } {
  const m = /^([a-z]+:\/\/)?([^@/]+)@(.*)$/i.exec(url);
  if (!m) return { url };
  const [, scheme = "", userinfo = "", rest = ""] = m;
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  const colon = userinfo.indexOf(":");
  return colon === -1
    ? { url: scheme + rest, token: decode(userinfo) }
    : { url: scheme + rest, user: decode(userinfo.slice(0, colon)), password: decode(userinfo.slice(colon + 1)) };
}

/** A URL with any user:password@ part masked: server URLs may carry credentials and must never be printed. */
export function redactUrl(url: string): string {
  return maskUrlCredentials(url);
}

export function describeServers(resolved: ResolvedConnection): string {
  return resolved.servers.map(redactUrl).join(",");
}

export function hostPortOf(url: string): { host: string; port: number } {
  const u = new URL(url.includes("://") ? url : `nats://${url}`);
  return { host: u.hostname.replace(/^\[|\]$/g, ""), port: u.port === "" ? 4222 : Number(u.port) };
}
