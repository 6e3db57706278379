// Handing messages to the caller and signalling the end: shared by the live and the replay sources.
import type { SourceMessage } from "./types.js";

export function deferredDone(): { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A caller that only stop()s never awaits done: do not let a rejection surface as unhandled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Calls the consumer's onMessage so that one event it cannot handle (a bug, an input nobody foresaw) costs that
 * event, said through onStatus at most once a second, and not the subscription: an exception thrown into nats.js
 * closes the subscription silently and every later event is lost.
 */
export function guardOnMessage(
  onMessage: (msg: SourceMessage) => void,
  onStatus: ((line: string) => void) | undefined,
): (msg: SourceMessage) => void {
  let failures = 0;
  let lastReport = 0;
  return (msg) => {
    try {
      onMessage(msg);
    } catch (err) {
      failures++;
      const now = Date.now();
      if (now - lastReport >= 1000) {
        lastReport = now;
        const where = msg.seq !== undefined ? `${msg.subject} #${msg.seq}` : msg.subject;
        onStatus?.(`could not show an event (${where}): ${(err as Error)?.message ?? String(err)}; ${failures} so far, going on`);
      }
    }
  };
}
