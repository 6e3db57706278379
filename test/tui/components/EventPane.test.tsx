import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { EventPane } from "../../../src/tui/components/EventPane.js";
import { paneSnapshot, plain } from "../helpers.js";

afterEach(cleanup);

describe("EventPane", () => {
  it("draws a bordered pane of exactly its size, double-lined when focused", () => {
    const pane = paneSnapshot({
      focused: true,
      rect: { x: 0, y: 0, width: 40, height: 6 },
      contentRows: 3,
      contentWidth: 38,
      total: 2,
      lines: [
        { text: "DNS   Q a.example A", selected: false },
        { text: "DNS   Q b.example A", selected: false },
      ],
    });
    const { lastFrame } = render(<EventPane pane={pane} paused={false} nowMs={0} />);
    const lines = plain(lastFrame()).split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe("╔" + "═".repeat(38) + "╗");
    expect(lines[1]).toBe("║1 suricata.dns 0/s total 2".padEnd(39) + "║");
    expect(lines[2]).toBe("║DNS   Q a.example A".padEnd(39) + "║");
    expect(lines[5]).toBe("╚" + "═".repeat(38) + "╝");
  });

  it("shows a filter's problem inline and says when nothing matches", () => {
    const pane = paneSnapshot({
      total: 5,
      rect: { x: 0, y: 0, width: 70, height: 7 },
      contentRows: 3,
      contentWidth: 68,
      filter: { text: "dns.rrname ==", kind: "text", problem: "not JMESPath: unexpected end of expression at column 14 (matching as text)" },
    });
    const frame = plain(render(<EventPane pane={pane} paused={false} nowMs={0} />).lastFrame());
    expect(frame).toContain("│! not JMESPath: unexpected end of expression at column 14 (matching…│");
    expect(frame).toContain("no event matches the filter (Esc clears it)");
    expect(frame.split("\n")[0]).toMatch(/^╭─+╮$/);
  });
});
