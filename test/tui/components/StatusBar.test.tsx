import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { StatusBar } from "../../../src/tui/components/StatusBar.js";
import { plain, tuiSnapshot } from "../helpers.js";

afterEach(cleanup);

describe("StatusBar", () => {
  it("shows server, connection, drops, live or paused, and the clock", () => {
    const { lastFrame, rerender } = render(<StatusBar snapshot={tuiSnapshot()} />);
    expect(plain(lastFrame())).toMatch(/^nats:\/\/127\.0\.0\.1:4222 ● connected │ drops 0 │ live │ 13:14:15 │ \? help  q quit  Tab focus/);
    rerender(<StatusBar snapshot={tuiSnapshot({ paused: true, status: { server: "nats://***@h:4222", connection: { kind: "reconnecting", attempts: 3 }, drops: 12_000 } })} />);
    expect(plain(lastFrame())).toMatch(/^nats:\/\/\*\*\*@h:4222 ● reconnecting 3 │ drops 12,000 │ PAUSED │ 13:14:15/);
  });

  it("keeps live or PAUSED, the clock and '? help  q quit' however long the newest alert's signature is", () => {
    const signature = "ET TOR Known Tor Relay/Router (Not Exit) Node Traffic group 42 ".repeat(3);
    const snapshot = tuiSnapshot({
      paused: true,
      // ink-testing-library draws 100 columns.
      columns: 100,
      status: { server: "nats://127.0.0.1:4222", connection: { kind: "connected" }, drops: 0, alerts: { count: 207, newest: { severity: 2, signature } } },
    });
    const { lastFrame } = render(<StatusBar snapshot={snapshot} />);
    const bar = plain(lastFrame());
    expect(bar).toMatch(/^nats:\/\/127\.0\.0\.1:4222 ● connected │ drops 0 │ PAUSED │ 13:14:15 │ alerts 207( \(sev 2: [^│]*…)? │ \? help  q quit/);
    expect(bar.length).toBeLessThanOrEqual(100);
  });

  it("keeps the end of a filter longer than the bar in sight, where the cursor is", () => {
    const text = "contains(dns.rrname, 'a') && " + "contains(dns.rrname, 'b') && ".repeat(4) + "dns.rrtype == 'AAAA'";
    const snapshot = tuiSnapshot({ columns: 100, filterInput: { paneSubject: "suricata.dns", text } });
    const { lastFrame } = render(<StatusBar snapshot={snapshot} />);
    const bar = plain(lastFrame());
    expect(bar).toMatch(/^filter suricata\.dns› ….*dns\.rrtype == 'AAAA' /);
    expect(bar.length).toBeLessThanOrEqual(100);
  });

  it("becomes the filter box while a filter is typed, with the problem inline", () => {
    const snapshot = tuiSnapshot({ filterInput: { paneSubject: "suricata.dns", text: "dns.rrname ==", problem: "not JMESPath: unexpected end at column 14 (matching as text)" } });
    const { lastFrame } = render(<StatusBar snapshot={snapshot} />);
    expect(plain(lastFrame())).toBe("filter suricata.dns› dns.rrname ==   not JMESPath: unexpected end at column 14 (matching as text)");
  });
});
