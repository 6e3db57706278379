// Replay planning: which stream holds the subjects, how many consumers read them (one, or one per subject on a
// server without filter_subjects) and where each one starts.
import type { ConsumerConfig, JetStreamManager, StreamInfo } from "@nats-io/jetstream";
import { RuntimeError } from "../../errors.js";
import { findStreamStoring } from "../streams/admin.js";
import { startConfig, type ReplayContext, type StartConfig } from "./consumer-config.js";
import { startOfLast } from "./last-n.js";
import type { ReplayStart } from "./types.js";

/** The stream whose subjects capture every one of `subjects`, or a RuntimeError saying what to do. */
export async function findStreamFor(jsm: JetStreamManager, subjects: string[]): Promise<string> {
  const names = new Set<string>();
  for (const subject of subjects) {
    const name = await findStreamStoring(jsm, subject);
    if (name === undefined) {
      throw new RuntimeError(`no stream captures ${subject}: create one with 'nsm4home stream add --defaults', or name it with --stream`);
    }
    names.add(name);
  }
  if (names.size > 1) {
    throw new RuntimeError(`the subjects are stored in different streams (${[...names].join(", ")}): replay one stream at a time`);
  }
  return [...names][0]!;
}

export interface ReplayPlan {
  /** One ordered reader each: what it filters and where it starts. */
  readers: Array<{ filter: string[]; start: StartConfig; available?: number }>;
  /** Messages at the front of the merged order to leave out (--last N over several consumers). */
  skip: number;
}

/** `multiFilter`: the server takes several filter subjects on one consumer (2.10 and later). */
export async function planReplay(
  ctx: ReplayContext,
  subjects: string[],
  start: ReplayStart,
  info: StreamInfo,
  multiFilter: boolean,
): Promise<ReplayPlan> {
  const lastSeq = info.state.last_seq;
  // The stream's own subjects need no filter when they are exactly what was asked for.
  const covering = subjects.length === 1 && info.config.subjects?.length === 1 && info.config.subjects[0] === subjects[0];
  const filters: string[][] = covering ? [[]] : subjects.length === 1 || multiFilter ? [subjects] : subjects.map((s) => [s]);

  const plans: ReplayPlan["readers"] = [];
  for (const filter of filters) {
    if (start.kind === "last") {
      const at = await startOfLast(ctx, filter, start.count, info.state.first_seq, lastSeq, info.state.num_deleted > 0);
      plans.push({
        filter,
        start: { deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"], opt_start_seq: at.seq },
        available: at.available,
      });
    } else if (start.kind === "time" && start.time.getTime() > Date.parse(info.state.last_ts)) {
      // A 2.9 server starts a consumer whose start time lies past the last message at the first message instead.
      plans.push({
        filter,
        start: { deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"], opt_start_seq: lastSeq + 1 },
      });
    } else {
      plans.push({ filter, start: startConfig(start) });
    }
  }
  let skip = 0;
  if (start.kind === "last" && plans.length > 1) {
    // Each consumer starts at its own last N; the merged order holds the last N of all of them at its end.
    const total = plans.reduce((n, p) => n + (p.available ?? 0), 0);
    skip = Math.max(0, total - start.count);
  }
  return { readers: plans, skip };
}
