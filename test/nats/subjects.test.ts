import { describe, expect, it } from "vitest";
import { eventTypeOfSubject, subjectsFor } from "../../src/nats/subjects.js";
import { usageMessage } from "./usage.js";

describe("subjectsFor", () => {
  it("puts event types under the prefix, keeps full subjects, and is everything without words", () => {
    expect(subjectsFor([], "suricata")).toEqual(["suricata.>"]);
    expect(subjectsFor(["dns", "tls"], "suricata")).toEqual(["suricata.dns", "suricata.tls"]);
    expect(subjectsFor(["other.alert", "*", ">"], "eve.home")).toEqual(["other.alert", "eve.home.*", "eve.home.>"]);
  });

  it("names the bad prefix or subject", () => {
    for (const prefix of ["", "a b", ".x", "x."]) expect(usageMessage(() => subjectsFor(["dns"], prefix))).toMatch(/invalid --prefix/);
    expect(usageMessage(() => subjectsFor(["dns tls"], "suricata"))).toMatch(/invalid subject 'dns tls'/);
    expect(usageMessage(() => subjectsFor(["suricata.>.x"], "suricata"))).toMatch(/invalid subject 'suricata.>.x'/);
    expect(usageMessage(() => subjectsFor(["suricata..dns"], "suricata"))).toMatch(/invalid subject/);
    expect(usageMessage(() => subjectsFor(["a*"], "suricata"))).toMatch(/invalid subject/);
  });
});

describe("eventTypeOfSubject", () => {
  it("is the last token, or 'events' for a wildcard", () => {
    expect(eventTypeOfSubject("suricata.dns")).toBe("dns");
    expect(eventTypeOfSubject("dns")).toBe("dns");
    expect(eventTypeOfSubject("suricata.>")).toBe("events");
    expect(eventTypeOfSubject("suricata.*")).toBe("events");
  });
});
