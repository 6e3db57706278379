// Where a replay starts: the flags tail and tui share (--since, --last, --seq, --all, tail's --new), and the start times of
// `stream view --since` and `consumer add --deliver`; checked and parsed before connecting.
import { UsageError } from "../errors.js";
import { parseCount, parseDuration } from "../text/units.js";
import type { ReplayStart } from "./event-source/index.js";

export interface ReplayFlags {
  since?: string;
  last?: string;
  seq?: string;
  all?: boolean;
  /** Only what is stored from now on, read through the stream (natscli's `sub --new`). */
  new?: boolean;
}

/** How far ahead of this machine's clock a --since time may be (the server's clock may run ahead). */
const FUTURE_SLACK_MS = 5 * 60_000;

/** "1h", "90m", "7d" (that long ago) or an RFC 3339 time ("2024-05-01T12:00:00Z", "2024-05-01"). */
export function parseStartTime(text: string, flag: string, now = Date.now()): Date {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const ms = Date.parse(trimmed);
    if (Number.isNaN(ms)) throw new UsageError(`invalid ${flag} '${text}': use a duration (1h, 7d) or an RFC 3339 time (2024-05-01T12:00:00Z)`);
    return new Date(ms);
  }
  let ms: number;
  try {
    ms = parseDuration(trimmed, flag);
  } catch {
    throw new UsageError(`invalid ${flag} '${text}': use a duration (1h, 7d) or an RFC 3339 time (2024-05-01T12:00:00Z)`);
  }
  return new Date(now - ms);
}

/** The replay start the flags ask for, or undefined for live; at most one of them. */
export function replayStartOf(flags: ReplayFlags): ReplayStart | undefined {
  const given = (["since", "last", "seq", "all", "new"] as const).filter((k) => flags[k] !== undefined && flags[k] !== false);
  // Only the two given are named: tui and stream view offer fewer of these flags than tail does.
  if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} both say where to start: give only one of them`);
  if (flags.since !== undefined) {
    const time = parseStartTime(flags.since, "--since");
    // A typo (2062 for 2026) would show nothing at all until then, with no word why. A little ahead is clock skew.
    if (time.getTime() > Date.now() + FUTURE_SLACK_MS) {
      throw new UsageError(`invalid --since '${flags.since}': ${time.toISOString()} is in the future, so nothing would be shown until then`);
    }
    return { kind: "time", time };
  }
  if (flags.last !== undefined) return { kind: "last", count: parseCount(flags.last, "--last") };
  if (flags.seq !== undefined) {
    const seq = parseCount(flags.seq, "--seq");
    if (seq < 1) throw new UsageError(`invalid --seq '${flags.seq}': stream sequences start at 1`);
    return { kind: "seq", seq };
  }
  if (flags.all) return { kind: "all" };
  if (flags.new) return { kind: "new" };
  return undefined;
}
