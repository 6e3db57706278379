// The dashboard's pivots (f, h in the event view): the same scans as `nsm4home flow` and `nsm4home host`, on the
// dashboard's connection, rendered to plain lines for a TextView. Failures become a line saying what happened.
import type { NatsConnection } from "@nats-io/nats-core";
import type { EveEvent } from "../eve/event.js";
import type { TimestampMode } from "../eve/format.js";
import { errorMessage } from "../errors.js";
import { investigateFlow } from "../investigate/flow.js";
import { flowKeyOf } from "../investigate/flow-timeline.js";
import { investigateHost } from "../investigate/host.js";
import { windowAroundEvent } from "../investigate/window.js";
import type { ResolvedConnection } from "../nats/connection/index.js";
import { renderFlowTimeline } from "../render/flow-timeline.js";
import { renderHostSummary } from "../render/host-summary.js";
import { sanitizeText } from "../text/sanitize.js";
import { formatLocalTime } from "../text/time.js";
import { formatCount } from "../text/units.js";
import type { Investigator } from "./state/store.js";

const AROUND_MS = 10 * 60 * 1000;

function lines(text: string): string[] {
  return text.replace(/\n$/, "").split("\n");
}

function windowText(w: { sinceMs: number; untilMs: number }): string {
  return `${formatLocalTime(new Date(w.sinceMs))} .. ${formatLocalTime(new Date(w.untilMs))}`;
}

export function createInvestigator(
  nc: NatsConnection,
  resolved: ResolvedConnection,
  options: { prefix: string; streamName?: string; timestamps: () => TimestampMode; width: () => number },
): Investigator {
  const stream = options.streamName !== undefined ? { streamName: options.streamName } : {};
  const failed = (err: unknown) => [sanitizeText(`cannot read the stream: ${errorMessage(err).split("\n")[0]}`)];
  return {
    async flow(event: EveEvent): Promise<string[]> {
      const key = flowKeyOf(event);
      if (key === undefined) return ["this event has no flow_id or community_id: there is no flow to follow"];
      const window = windowAroundEvent(event, AROUND_MS);
      try {
        const result = await investigateFlow(nc, resolved, { key, window, prefix: options.prefix, ...stream });
        if (result.timeline.events.length === 0) {
          return [`no event of flow ${key.id} stored ${windowText(window)} (${formatCount(result.read)} messages read from stream ${sanitizeText(result.stream)})`];
        }
        const figures = { read: result.read, stream: result.stream, window };
        return lines(renderFlowTimeline(result.timeline, figures, { color: false, timestamps: options.timestamps(), width: Math.max(20, options.width() - 4) }));
      } catch (err) {
        return failed(err);
      }
    },
    async host(ip: string, event: EveEvent): Promise<string[]> {
      const window = windowAroundEvent(event, AROUND_MS);
      try {
        const summary = await investigateHost(nc, resolved, { ip, window, prefix: options.prefix, top: 10, ...stream });
        if (Object.keys(summary.eventsByType).length === 0) {
          return [`no event of host ${sanitizeText(ip)} stored ${windowText(window)} (${formatCount(summary.read)} messages read from stream ${sanitizeText(summary.stream)})`];
        }
        return lines(renderHostSummary(summary, Math.max(20, options.width() - 2)));
      } catch (err) {
        return failed(err);
      }
    },
  };
}
