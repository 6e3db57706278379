import { describe, expect, it } from "vitest";
import { maskUrlCredentials } from "../../src/text/credentials.js";

describe("maskUrlCredentials", () => {
  it("masks user and password whether or not the URL parses", () => {
    for (const [given, shown] of [
      ["redis://u:RSX1@127.0.0.1:notaport/k", "redis://***@127.0.0.1:notaport/k"],
      ["redis://u:RSX1@[::1/k", "redis://***@[::1/k"],
      ["rdis://u:RSX1@127.0.0.1/k", "rdis://***@127.0.0.1/k"],
      ["redis:/u:RSX1@h/k", "redis:/***@h/k"],
      ["nats://u:SEK/RIT@127.0.0.1:1", "nats://***@127.0.0.1:1"],
      ["nats://u:a@b@host:4222", "nats://***@host:4222"],
      ["u:RSX1@host:4222", "***@host:4222"],
      ["tok3n@host", "***@host"],
    ]) {
      expect(maskUrlCredentials(given!)).toBe(shown);
    }
  });

  it("leaves URLs without credentials alone", () => {
    expect(maskUrlCredentials("redis://127.0.0.1:6379/suricata")).toBe("redis://127.0.0.1:6379/suricata");
    expect(maskUrlCredentials("nats://host:4222")).toBe("nats://host:4222");
  });
});
