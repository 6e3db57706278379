// Ink test helpers in the manner of Shopify cli-kit: send input, then wait for the frame to change (or to show
// something), instead of sleeping a fixed time.
import type { render } from "ink-testing-library";
import type { TimestampMode } from "../../src/eve/format.js";
import type { PaneSnapshot, TuiSnapshot } from "../../src/tui/state/snapshot.js";
import { TuiStore } from "../../src/tui/state/store.js";

type Rendered = ReturnType<typeof render>;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function plain(frame: string | undefined): string {
  return (frame ?? "").replace(ANSI, "");
}

export async function waitForFrame(instance: Rendered, test: (frame: string) => boolean, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = plain(instance.lastFrame());
    if (test(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`frame never matched within ${timeoutMs} ms; last frame:\n${frame}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function waitForContent(instance: Rendered, text: string, timeoutMs?: number): Promise<string> {
  return waitForFrame(instance, (frame) => frame.includes(text), timeoutMs);
}

/**
 * Writes keys to stdin and resolves with the first frame that shows what they should do. Waiting for "any change"
 * is not enough: the status-bar clock and the per-second rates repaint on their own and can win the race.
 */
export async function sendInputAndWaitFor(
  instance: Rendered,
  input: string,
  until: string | ((frame: string) => boolean),
  timeoutMs?: number,
): Promise<string> {
  instance.stdin.write(input);
  const test = typeof until === "string" ? (frame: string) => frame.includes(until) : until;
  return waitForFrame(instance, test, timeoutMs);
}

export const KEYS = {
  tab: "\t",
  shiftTab: "\x1b[Z",
  enter: "\r",
  escape: "\x1b",
  pageUp: "\x1b[5~",
  pageDown: "\x1b[6~",
  ctrlC: "\x03",
};

export function paneSnapshot(overrides: Partial<PaneSnapshot> = {}): PaneSnapshot {
  return {
    index: 0,
    subject: "suricata.dns",
    eventType: "dns",
    focused: false,
    rect: { x: 0, y: 0, width: 60, height: 8 },
    contentRows: 5,
    contentWidth: 58,
    total: 0,
    invalid: 0,
    perSecond: 0,
    history: [],
    newWhileHeld: 0,
    heldDropped: 0,
    scrolled: false,
    view: "lines",
    lines: [],
    ...overrides,
  };
}

export function tuiSnapshot(overrides: Partial<TuiSnapshot> = {}): TuiSnapshot {
  return {
    columns: 100,
    rows: 29,
    nowMs: new Date(2024, 0, 1, 13, 14, 15).getTime(),
    panes: [],
    zoomed: false,
    paused: false,
    timestamps: true,
    overlay: "none",
    helpScroll: 0,
    status: { server: "nats://127.0.0.1:4222", connection: { kind: "connected" }, drops: 0 },
    ...overrides,
  };
}

const utf8 = new TextEncoder();

/** An event as the bytes a NATS message carries. */
export function payload(event: unknown): Uint8Array {
  return utf8.encode(JSON.stringify(event));
}

/** The default dashboard's store (dns, flow, tls, stats), without colour. */
export function fourPaneStore(options: { timestamps?: TimestampMode; now?: () => number; alertsBackfill?: string } = {}): TuiStore {
  return new TuiStore({
    panes: ["dns", "flow", "tls", "stats"].map((type) => ({ subject: `suricata.${type}`, eventType: type })),
    server: "nats://127.0.0.1:4222",
    color: false,
    timestamps: options.timestamps ?? "none",
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.alertsBackfill !== undefined ? { alertsBackfill: options.alertsBackfill } : {}),
  });
}
