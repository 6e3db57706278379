import { describe, expect, it } from "vitest";
import { parseDeliveryMetadata } from "../../src/nats/event-source/index.js";
import { formatDeliveryHeader } from "../../src/render/delivery.js";

describe("parseDeliveryMetadata", () => {
  it("reads v1 and v2 ack subjects", () => {
    expect(parseDeliveryMetadata("$JS.ACK.suricata.pusher.2.41.7.1764630000123456789.3")).toEqual({
      stream: "suricata",
      consumer: "pusher",
      delivered: 2,
      streamSeq: 41,
      consumerSeq: 7,
      timeMs: 1764630000123.4568,
      pending: 3,
    });
    const v2 = parseDeliveryMetadata("$JS.ACK.hub.ACCHASH.suricata.pusher.1.5.5.1764630000000000000.0.Xy9z");
    expect(v2).toMatchObject({ domain: "hub", stream: "suricata", consumer: "pusher", delivered: 1, streamSeq: 5, consumerSeq: 5, pending: 0 });
    expect(parseDeliveryMetadata("$JS.ACK._.ACCHASH.s.c.1.5.5.1764630000000000000.0.tok")!.domain).toBeUndefined();
  });

  it("refuses what is not exactly an ack subject (replies are chosen by whoever publishes)", () => {
    for (const bad of [
      "_INBOX.abc.1",
      "$JS.ACK.s.c.1.2.3.4",
      "$JS.ACK.s.c.1.2.3.4.5.6",
      "$JS.ACK.s.c.x.2.3.4.5",
      "$JS.ACK.s.c.1.2.3.4.-5",
      "$JS.ACK.s.c.1.2.3.4.5e3",
      "$JS.NAK.s.c.1.2.3.4.5",
      "$JS.ACK.s.c.1.2.3.4.5.6.7.8.9.10.11.12.13",
    ]) {
      expect(parseDeliveryMetadata(bad), bad).toBeUndefined();
    }
  });

  it("escapes hostile names in the header line", () => {
    const meta = parseDeliveryMetadata("$JS.ACK.s\u001b[31m.c\u202e.1.2.3.4.5")!;
    const line = formatDeliveryHeader(meta, false);
    expect(line).toBe("[JetStream] consumer s\\x1B[31m > c\\u202E · stream seq 2 · consumer seq 3 · delivered 1 · pending 5");
  });
});
