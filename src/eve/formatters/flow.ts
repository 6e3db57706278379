// Flow records: one per finished (or timed-out) flow with packet and byte counts in each direction.
import type { EveEvent } from "../event.js";
import { formatCount, formatDuration } from "../../text/units.js";
import { asBoolean, asNumber, asText, section } from "../types.js";
import { bytesText, endpoints, joinParts, labelled, protocols, type FormatContext } from "./common.js";

/** "12/34" (to server / to client), with either side "?" when missing; undefined when both are. */
export function bothWays(toServer: number | undefined, toClient: number | undefined, unit: (n: number) => string): string | undefined {
  if (toServer === undefined && toClient === undefined) return undefined;
  return `${toServer === undefined ? "?" : unit(toServer)}/${toClient === undefined ? "?" : unit(toClient)}`;
}

/** `src → dst PROTO/app  pkts 6/6 bytes 624 B/618 B age 1s new shutdown ALERTED` */
export function formatFlowEvent(event: EveEvent, ctx: FormatContext): string {
  const flow = section(event, "flow");
  const age = asNumber(flow["age"]);
  const icmpType = asNumber(event["icmp_type"]);
  const icmpCode = asNumber(event["icmp_code"]);
  return joinParts([
    endpoints(event, ctx),
    protocols(event),
    icmpType !== undefined ? ctx.p.muted(`icmp ${icmpType}/${icmpCode ?? "?"}`) : undefined,
    labelled(ctx, "pkts", bothWays(asNumber(flow["pkts_toserver"]), asNumber(flow["pkts_toclient"]), formatCount)),
    labelled(ctx, "bytes", bothWays(asNumber(flow["bytes_toserver"]), asNumber(flow["bytes_toclient"]), (n) => bytesText(n) ?? "?")),
    labelled(ctx, "age", age === undefined ? undefined : formatDuration(age * 1000)),
    asText(flow["state"], 32),
    asText(flow["reason"], 32),
    asBoolean(flow["alerted"]) === true ? ctx.p.bad("ALERTED") : undefined,
  ]);
}
