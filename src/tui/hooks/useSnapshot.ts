// React reads the store a few times a second, never once per message: a timer takes a snapshot and sets it as
// state, more slowly while the process is busy (FramePacer). refresh() takes one at once (after a key press, so
// the answer shows without waiting for the timer).
import { performance } from "node:perf_hooks";
import { useCallback, useEffect, useState } from "react";
import { FramePacer } from "../state/frame-pacing.js";
import type { TuiSnapshot } from "../state/snapshot.js";
import type { TuiStore } from "../state/store.js";

/** 10 frames a second at most: the bound, and what the eye needs for counters that move (fewer when busy). */
export const DEFAULT_REFRESH_MS = 100;

export function useSnapshot(store: TuiStore, columns: number, rows: number, intervalMs = DEFAULT_REFRESH_MS): [TuiSnapshot, () => void] {
  const [snapshot, setSnapshot] = useState<TuiSnapshot>(() => {
    store.resize(columns, rows);
    return store.snapshot();
  });
  const refresh = useCallback(() => setSnapshot(store.snapshot()), [store]);
  useEffect(() => {
    store.resize(columns, rows);
    refresh();
  }, [store, columns, rows, refresh]);
  useEffect(() => {
    const pacer = new FramePacer(intervalMs, intervalMs * 5);
    let since = performance.eventLoopUtilization();
    let timer: NodeJS.Timeout;
    const tick = () => {
      refresh();
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, since).utilization;
      since = now;
      timer = setTimeout(tick, pacer.next(busy));
    };
    timer = setTimeout(tick, intervalMs);
    return () => clearTimeout(timer);
  }, [refresh, intervalMs]);
  return [snapshot, refresh];
}
