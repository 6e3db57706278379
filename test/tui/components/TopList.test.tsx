import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { TopList } from "../../../src/tui/components/TopList.js";
import { plain } from "../helpers.js";

afterEach(cleanup);

describe("TopList", () => {
  it("ranks talkers with their bytes, cut to the rows available", () => {
    const top = {
      kind: { title: "top talkers by bytes", unit: "bytes" as const },
      rows: [
        { key: "192.168.1.23", weight: 1_363_148, count: 40 },
        { key: "192.168.1.11", weight: 2048, count: 3 },
        { key: "10.0.0.1", weight: 10, count: 1 },
      ],
      approximate: false,
    };
    const { lastFrame } = render(<TopList top={top} rows={3} width={50} eventType="flow" />);
    expect(plain(lastFrame()).split("\n")).toEqual(["top talkers by bytes · T to go back", "1 1.3 MiB  192.168.1.23", "2   2 KiB  192.168.1.11"]);
  });

  it("says so for event types without a top-N", () => {
    const { lastFrame } = render(<TopList top={{ kind: undefined, rows: [], approximate: false }} rows={5} width={50} eventType="stats" />);
    expect(plain(lastFrame())).toContain("no top-N for stats events");
  });
});
