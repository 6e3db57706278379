import { expect, it } from "vitest";
import { ReplayGuard } from "../../src/nats/consumers/index.js";

it("skips a first delivery of a sequence already shown, keeps real redeliveries and new sequences", () => {
  const guard = new ReplayGuard(3);
  expect([1, 2, 3].map((seq) => guard.isReplay(seq, 1))).toEqual([false, false, false]);
  // The server lost its ack state in a crash and sends 2 and 3 again as if new.
  expect(guard.isReplay(2, 1)).toBe(true);
  expect(guard.isReplay(3, 1)).toBe(true);
  // A redelivery after an ack timeout says so with its count: shown again.
  expect(guard.isReplay(3, 2)).toBe(false);
  expect(guard.isReplay(4, 1)).toBe(false);
  // Bounded memory: the oldest sequence is forgotten past the limit.
  expect(guard.isReplay(1, 1)).toBe(false);
});
