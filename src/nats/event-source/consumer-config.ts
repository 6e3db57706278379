// What every consumer the replay creates has in common: where it starts, what it filters, how it is named.
import { randomBytes } from "node:crypto";
import type { NatsConnection } from "@nats-io/nats-core";
import type { ConsumerConfig, JetStreamManager } from "@nats-io/jetstream";
import type { ReplayStart } from "./types.js";

const CONSUMER_INACTIVE_MS = 30_000;

export type StartConfig = Pick<ConsumerConfig, "deliver_policy"> & Partial<Pick<ConsumerConfig, "opt_start_seq" | "opt_start_time">>;

export function startConfig(start: ReplayStart): StartConfig {
  switch (start.kind) {
    case "all":
    case "last":
      return { deliver_policy: "all" as ConsumerConfig["deliver_policy"] };
    case "new":
      return { deliver_policy: "new" as ConsumerConfig["deliver_policy"] };
    case "seq":
      return { deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"], opt_start_seq: Math.max(1, start.seq) };
    case "time":
      return { deliver_policy: "by_start_time" as ConsumerConfig["deliver_policy"], opt_start_time: start.time.toISOString() };
  }
}

function filterConfig(filter: string[]): Partial<ConsumerConfig> {
  if (filter.length === 0) return {};
  return filter.length === 1 ? { filter_subject: filter[0] } : { filter_subjects: filter };
}

export interface ReplayContext {
  nc: NatsConnection;
  jsm: JetStreamManager;
  stream: string;
  prefix: string;
  inboxPrefix: string;
  batch: number;
  nanos: (ms: number) => number;
  createInbox: (prefix?: string) => string;
  onStatus?: (line: string) => void;
  /** Hand each message's NATS headers over (EventSourceOptions.headers). */
  headers: boolean;
  /** The stream's `created` time when the replay began, then of each replacement announced: tells a stream
   *  deleted and created again (its sequences start over) from the one we were reading. */
  streamCreated: string;
}

/**
 * A consumer name unique enough to never meet another (48 random bits), and short: it is in the ack subject of
 * every message, which both the server and the client's parser handle byte by byte.
 */
export function consumerName(): string {
  return `nsm4home_${randomBytes(6).toString("base64url")}`;
}

export function consumerBaseConfig(ctx: ReplayContext, filter: string[], start: StartConfig): Partial<ConsumerConfig> {
  return {
    name: consumerName(),
    ack_policy: "none" as ConsumerConfig["ack_policy"],
    replay_policy: "instant" as ConsumerConfig["replay_policy"],
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: ctx.nanos(CONSUMER_INACTIVE_MS),
    ...filterConfig(filter),
    ...start,
  };
}
