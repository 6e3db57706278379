// Netflow records: one direction of a flow each (unlike `flow`, which has both).
import type { EveEvent } from "../event.js";
import { formatCount, formatDuration } from "../../text/units.js";
import { asNumber, section } from "../types.js";
import { bytesText, endpoints, joinParts, labelled, protocols, type FormatContext } from "./common.js";

/** `src → dst UDP/dns pkts 2 bytes 176 B age 1s ttl 64-64` */
export function formatNetflowEvent(event: EveEvent, ctx: FormatContext): string {
  const netflow = section(event, "netflow");
  const pkts = asNumber(netflow["pkts"]);
  const age = asNumber(netflow["age"]);
  const minTtl = asNumber(netflow["min_ttl"]);
  const maxTtl = asNumber(netflow["max_ttl"]);
  return joinParts([
    endpoints(event, ctx),
    protocols(event),
    labelled(ctx, "pkts", pkts === undefined ? undefined : formatCount(pkts)),
    labelled(ctx, "bytes", bytesText(asNumber(netflow["bytes"]))),
    labelled(ctx, "age", age === undefined || age < 0 ? undefined : formatDuration(age * 1000)),
    labelled(ctx, "ttl", minTtl === undefined && maxTtl === undefined ? undefined : `${minTtl ?? "?"}-${maxTtl ?? "?"}`),
  ]);
}
