// The JetStream metadata of a push consumer's delivery, as `nats sub` shows it: a header line above the event
// in human output, a field of its own in --json. Names come from the reply subject, which any publisher to the
// delivery subject can choose: escaped like event text.
import type { DeliveryMetadata } from "../nats/event-source/index.js";
import { paletteFor } from "../eve/palette.js";
import { sanitizeText } from "../text/sanitize.js";

/** `[JetStream] consumer suricata > stats-push · stream seq 42 · consumer seq 7 · delivered 1 · pending 3` */
export function formatDeliveryHeader(meta: DeliveryMetadata, color: boolean): string {
  const p = paletteFor(color);
  const parts = [
    `consumer ${sanitizeText(meta.stream)} > ${sanitizeText(meta.consumer)}${meta.domain !== undefined ? ` (domain ${sanitizeText(meta.domain)})` : ""}`,
    `stream seq ${meta.streamSeq}`,
    `consumer seq ${meta.consumerSeq}`,
    `delivered ${meta.delivered}`,
    `pending ${meta.pending}`,
  ];
  return p.muted(`[JetStream] ${parts.join(" · ")}`);
}

/** The `jetstream` field --json adds to a delivered event. */
export function deliveryJson(meta: DeliveryMetadata): Record<string, unknown> {
  return {
    stream: meta.stream,
    consumer: meta.consumer,
    ...(meta.domain !== undefined ? { domain: meta.domain } : {}),
    stream_seq: meta.streamSeq,
    consumer_seq: meta.consumerSeq,
    delivered: meta.delivered,
    pending: meta.pending,
    timestamp: new Date(meta.timeMs).toISOString(),
  };
}
