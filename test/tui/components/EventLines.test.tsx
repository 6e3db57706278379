import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { EventLines } from "../../../src/tui/components/EventLines.js";
import { plain } from "../helpers.js";

afterEach(cleanup);

describe("EventLines", () => {
  it("prints one line per event and a waiting note when there is none", () => {
    const { lastFrame, rerender } = render(<EventLines lines={[]} waiting="waiting for suricata.dns…" />);
    expect(plain(lastFrame())).toBe("waiting for suricata.dns…");
    rerender(
      <EventLines
        lines={[
          { text: "DNS   Q a.example A", selected: false },
          { text: "DNS   Q b.example A", selected: true },
        ]}
        waiting=""
      />,
    );
    expect(plain(lastFrame())).toBe("DNS   Q a.example A\nDNS   Q b.example A");
  });
});
