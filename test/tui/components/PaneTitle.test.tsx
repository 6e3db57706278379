import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { PaneTitle, sparklineWidth } from "../../../src/tui/components/PaneTitle.js";
import { paneSnapshot, plain } from "../helpers.js";

afterEach(cleanup);

describe("PaneTitle", () => {
  it("shows the pane number, subject, msgs/s, exact total and a sparkline of the last minute", () => {
    const history = Array.from({ length: 60 }, (_, i) => (i >= 51 ? 100 : 0));
    const { lastFrame } = render(<PaneTitle pane={paneSnapshot({ total: 1_234_567, perSecond: 4321, history, contentWidth: 80 })} paused={false} />);
    expect(plain(lastFrame())).toBe("1 suricata.dns 4.3k/s total 1,234,567 ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁███");
  });

  it("says what holds the display: paused, +N new, what did not fit, the filter, invalid payloads", () => {
    const pane = paneSnapshot({ newWhileHeld: 1500, heldDropped: 20, filter: { text: "tls.sni", kind: "path-or-text" }, invalid: 2, contentWidth: 100 });
    const { lastFrame } = render(<PaneTitle pane={pane} paused={true} />);
    expect(plain(lastFrame())).toContain("⏸ +1,500 new (20 over buffer) filter: tls.sni 2 invalid");
  });

  it("leaves out the sparkline on narrow panes", () => {
    expect(sparklineWidth(40)).toBe(0);
    const { lastFrame } = render(<PaneTitle pane={paneSnapshot({ contentWidth: 40, total: 3 })} paused={false} />);
    expect(plain(lastFrame())).toBe("1 suricata.dns 0/s total 3");
  });
});
