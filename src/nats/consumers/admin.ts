// Talking to JetStream about consumers: info, idempotent add, update, list, rm, pause, resume, unpin.
import type { NatsConnection } from "@nats-io/nats-core";
import type { ConsumerConfig, ConsumerInfo, JetStreamManager } from "@nats-io/jetstream";
import { RuntimeError } from "../../errors.js";
import { sanitizeText } from "../../text/sanitize.js";
import { diffConfig, type ConfigChange } from "../config-diff.js";
import { apiErrorCode, describeJetStreamError, requireServerVersion } from "../jetstream.js";
import { checkConsumerName, checkStreamName } from "../names.js";
import { requirePriorityGroup } from "./config.js";
import { streamInfo } from "../streams/index.js";

export const ERR_CONSUMER_NOT_FOUND = 10014;

export function isConsumerNotFound(err: unknown): boolean {
  return (err as Error)?.name === "ConsumerNotFoundError" || apiErrorCode(err) === ERR_CONSUMER_NOT_FOUND;
}

async function findConsumer(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (err) {
    if (isConsumerNotFound(err)) return undefined;
    throw describeJetStreamError(err, `consumer info ${stream} ${name}`);
  }
}

/** Consumer info; a missing stream or consumer is one line with its err_code and how to list what exists. */
export async function consumerInfo(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo> {
  checkStreamName(stream);
  checkConsumerName(name);
  await streamInfo(jsm, stream);
  const ci = await findConsumer(jsm, stream, name);
  if (!ci) {
    throw new RuntimeError(`consumer '${name}' not found on stream '${stream}' (err_code ${ERR_CONSUMER_NOT_FOUND}); 'nsm4home consumer ls ${stream}' lists them`);
  }
  return ci;
}

export type AddConsumerOutcome =
  | { kind: "created"; info: ConsumerInfo }
  | { kind: "same"; info: ConsumerInfo }
  | { kind: "different"; info: ConsumerInfo; changes: ConfigChange[] };

/** Creates the consumer (durable unless `ephemeral`), or compares with the one of the same name. */
export async function addConsumer(
  jsm: JetStreamManager,
  stream: string,
  wanted: Partial<ConsumerConfig>,
  opts: { name?: string; ephemeral?: boolean; ignore?: string[] },
): Promise<AddConsumerOutcome> {
  checkStreamName(stream);
  await streamInfo(jsm, stream);
  const cfg: Partial<ConsumerConfig> = { ...wanted };
  if (opts.name !== undefined) {
    checkConsumerName(opts.name);
    if (opts.ephemeral) cfg.name = opts.name;
    else cfg.durable_name = opts.name;
    const existing = await findConsumer(jsm, stream, opts.name);
    if (existing) {
      const changes = diffConfig(existing.config, cfg, ["name", "durable_name", ...(opts.ignore ?? [])]);
      return changes.length === 0 ? { kind: "same", info: existing } : { kind: "different", info: existing, changes };
    }
  }
  try {
    return { kind: "created", info: await jsm.consumers.add(stream, cfg) };
  } catch (err) {
    throw describeJetStreamError(err, `consumer add ${stream}${opts.name ? " " + opts.name : ""}`);
  }
}

/** nats-server's JSConsumerStartTimeErr (a consumer's opt_start_time can not change). */
const ERR_START_TIME_NOT_UPDATABLE = 10012;

/** Sends `cfg` (the changed fields) as an update; `current`, the consumer's config, explains a refusal. */
export async function updateConsumer(jsm: JetStreamManager, stream: string, name: string, cfg: Partial<ConsumerConfig>, current: Partial<ConsumerConfig> = {}): Promise<ConsumerInfo> {
  try {
    return await jsm.consumers.update(stream, name, cfg);
  } catch (err) {
    const start = { ...current, ...cfg };
    if (apiErrorCode(err) === ERR_START_TIME_NOT_UPDATABLE && start.deliver_policy === "by_start_time" && cfg.opt_start_time === undefined) {
      // nats-server 2.9 compares the start time it holds with the one sent back unchanged, and never finds them equal.
      throw new RuntimeError(
        `consumer edit ${stream} ${name}: the server says "start time can not be updated" (err_code 10012) although the ` +
          `start time was left as it is: nats-server before 2.10 refuses every edit of a consumer that starts at a time ` +
          `(--deliver 1h or a time). Upgrade nats-server, or remove the consumer and add it again with the new settings ` +
          `and --deliver ${start.opt_start_time ?? "<time>"}`,
      );
    }
    throw describeJetStreamError(err, `consumer edit ${stream} ${name}`);
  }
}

export async function listConsumers(jsm: JetStreamManager, stream: string): Promise<ConsumerInfo[]> {
  checkStreamName(stream);
  await streamInfo(jsm, stream);
  const out: ConsumerInfo[] = [];
  try {
    for await (const ci of jsm.consumers.list(stream)) out.push(ci);
  } catch (err) {
    throw describeJetStreamError(err, `consumer ls ${stream}`);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function deleteConsumer(jsm: JetStreamManager, stream: string, name: string): Promise<void> {
  await consumerInfo(jsm, stream, name);
  try {
    await jsm.consumers.delete(stream, name);
  } catch (err) {
    throw describeJetStreamError(err, `consumer rm ${stream} ${name}`);
  }
}

/** Pauses a consumer until `until` (nats-server 2.11+): it delivers nothing until then, or until resumed. */
export async function pauseConsumer(jsm: JetStreamManager, nc: NatsConnection, stream: string, name: string, until: Date): Promise<{ paused: boolean; pause_until?: string }> {
  requireServerVersion(nc, "2.11.0", "consumer pause");
  await consumerInfo(jsm, stream, name);
  try {
    return await jsm.consumers.pause(stream, name, until);
  } catch (err) {
    throw describeJetStreamError(err, `consumer pause ${stream} ${name}`);
  }
}

/** Resumes a paused consumer now (nats-server 2.11+). */
export async function resumeConsumer(jsm: JetStreamManager, nc: NatsConnection, stream: string, name: string): Promise<{ paused: boolean }> {
  requireServerVersion(nc, "2.11.0", "consumer resume");
  await consumerInfo(jsm, stream, name);
  try {
    return await jsm.consumers.resume(stream, name);
  } catch (err) {
    throw describeJetStreamError(err, `consumer resume ${stream} ${name}`);
  }
}

/**
 * Releases the client pinned to a priority group of a pinned-client consumer (nats-server 2.11+), so the next pull
 * in that group pins another: for a pinned client that is gone, instead of waiting out the pinned TTL.
 */
export async function unpinConsumer(jsm: JetStreamManager, nc: NatsConnection, stream: string, name: string, group: string): Promise<string> {
  requireServerVersion(nc, "2.11.0", "consumer unpin");
  const ci = await consumerInfo(jsm, stream, name);
  const config = ci.config as { priority_policy?: string; priority_groups?: string[] };
  if (config.priority_policy !== "pinned_client") {
    throw new RuntimeError(`consumer '${sanitizeText(name)}' is not a pinned client consumer (made with --pinned-groups); there is nothing to unpin`);
  }
  requirePriorityGroup(name, config.priority_groups ?? [], group);
  const state = (ci as unknown as { priority_groups?: Array<{ group: string; pinned_client_id?: string }> }).priority_groups;
  const pinned = state?.find((g) => g.group === group)?.pinned_client_id ?? "";
  try {
    await jsm.consumers.unpin(stream, name, group);
  } catch (err) {
    throw describeJetStreamError(err, `consumer unpin ${stream} ${name} ${group}`);
  }
  return pinned;
}
