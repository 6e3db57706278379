// How often the dashboard repaints. A frame of a 120x40 screen costs ink tens of milliseconds (layout, then every
// character measured and styled); at 20,000 events a second that was a third of a core at 10 frames a second,
// on top of the events themselves. So the pause between frames grows with how busy the process is: 10 frames a
// second while there is time to spare, down to two when the event loop is half full. Key presses repaint at
// once regardless (useSnapshot's refresh), so only the counters and scrolling slow down.

/** Event-loop utilisation (0..1) at or below which frames come at the fastest pace. */
const RELAXED = 0.2;
/** Utilisation at or above which frames come at the slowest pace. */
const SATURATED = 0.5;
/** Weight of the newest measurement in the smoothed utilisation: a burst of a few frames does not swing it. */
const SMOOTHING = 0.3;

export class FramePacer {
  private smoothed = 0;

  constructor(
    readonly fastestMs = 100,
    readonly slowestMs = 400,
  ) {}

  /** The pause before the next frame, given the event loop's utilisation since the previous one. */
  next(utilization: number): number {
    const u = Number.isFinite(utilization) ? Math.min(1, Math.max(0, utilization)) : 0;
    this.smoothed += SMOOTHING * (u - this.smoothed);
    const load = Math.min(1, Math.max(0, (this.smoothed - RELAXED) / (SATURATED - RELAXED)));
    return Math.round(this.fastestMs + load * (Math.max(this.fastestMs, this.slowestMs) - this.fastestMs));
  }
}
