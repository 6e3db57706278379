import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { StatusBar } from "../../../src/tui/components/StatusBar.js";
import { plain, tuiSnapshot } from "../helpers.js";

afterEach(cleanup);

describe("StatusBar", () => {
  it("shows server, connection, drops, live or paused, and the clock", () => {
    const { lastFrame, rerender } = render(<StatusBar snapshot={tuiSnapshot()} />);
    expect(plain(lastFrame())).toMatch(/^nats:\/\/127\.0\.0\.1:4222 ● connected │ drops 0 │ live │ 13:14:15 │ Tab focus/);
    rerender(<StatusBar snapshot={tuiSnapshot({ paused: true, status: { server: "nats://***@h:4222", connection: { kind: "reconnecting", attempts: 3 }, drops: 12_000 } })} />);
    expect(plain(lastFrame())).toMatch(/^nats:\/\/\*\*\*@h:4222 ● reconnecting 3 │ drops 12,000 │ PAUSED │ 13:14:15/);
  });

  it("becomes the filter box while a filter is typed, with the problem inline", () => {
    const snapshot = tuiSnapshot({ filterInput: { paneSubject: "suricata.dns", text: "dns.rrname ==", problem: "not JMESPath: unexpected end at column 14 (matching as text)" } });
    const { lastFrame } = render(<StatusBar snapshot={snapshot} />);
    expect(plain(lastFrame())).toBe("filter suricata.dns› dns.rrname ==   not JMESPath: unexpected end at column 14 (matching as text)");
  });
});
