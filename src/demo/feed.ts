// The demo's live feed: sample Suricata events, stamped with the current time, published to <prefix>.<type> at
// the DemoPacer's pace until stopped.
import type { NatsConnection } from "@nats-io/nats-core";
import { createEventGenerator, serializeEvent, type SampleEvent } from "./sample-generator.js";
import { DemoPacer } from "./pacing.js";

export interface DemoFeedOptions {
  prefix: string;
  eventsPerSecond: number;
  seed?: number;
  tickMs?: number;
}

export interface DemoFeed {
  published(): number;
  stop(): Promise<void>;
}

export function startDemoFeed(nc: NatsConnection, opts: DemoFeedOptions): DemoFeed {
  const generator = createEventGenerator({ seed: opts.seed ?? Date.now() % 1_000_000, host: "nsm4home-demo" });
  const pacer = new DemoPacer({ eventsPerSecond: opts.eventsPerSecond, seed: opts.seed });
  let published = 0;
  const publish = (event: SampleEvent) => {
    nc.publish(`${opts.prefix}.${event.event_type}`, serializeEvent(event));
    published++;
  };
  const tickMs = opts.tickMs ?? 100;
  let last = Date.now();
  const tick = () => {
    const now = Date.now();
    if (pacer.statsDue(now)) publish(generator.statsEvent(new Date(now)));
    const due = pacer.eventsDue(now);
    // Spread over the tick, so timestamps differ as they would on a sensor.
    for (let i = 0; i < due; i++) publish(generator.next(new Date(last + ((i + 1) * (now - last)) / due)));
    last = now;
  };
  tick();
  const timer = setInterval(tick, tickMs);
  return {
    published: () => published,
    async stop() {
      clearInterval(timer);
      await nc.flush().catch(() => undefined);
    },
  };
}
