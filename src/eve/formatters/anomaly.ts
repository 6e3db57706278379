// Anomalies: decoder, stream and app-layer events Suricata found odd about the traffic itself.
import type { EveEvent } from "../event.js";
import { asNumber, asText, section } from "../types.js";
import { endpoints, joinParts, protocols, type FormatContext } from "./common.js";

/** `applayer APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION layer proto_detect code 5  src → dst TCP/http` */
export function formatAnomalyEvent(event: EveEvent, ctx: FormatContext): string {
  const anomaly = section(event, "anomaly");
  const code = asNumber(anomaly["code"]);
  return joinParts([
    asText(anomaly["type"], 32),
    ctx.p.warn(asText(anomaly["event"], 120) ?? "(no event)"),
    asText(anomaly["layer"], 32),
    code !== undefined ? ctx.p.muted(`code ${code}`) : undefined,
    endpoints(event, ctx),
    protocols(event),
  ]);
}
