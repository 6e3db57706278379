import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { HelpView, helpColumns, helpRows } from "../../../src/tui/components/HelpView.js";
import { HELP_ROW_COUNT, KEY_BINDINGS } from "../../../src/tui/keymap.js";
import { plain } from "../helpers.js";

afterEach(cleanup);

describe("HelpView", () => {
  it("lists every binding of the keymap table", () => {
    const { lastFrame } = render(<HelpView width={100} height={60} />);
    const frame = plain(lastFrame());
    // Long descriptions are cut at the screen edge: their start must be there.
    for (const b of KEY_BINDINGS) expect(frame).toContain(`${b.keys.padEnd(13)}${b.description.slice(0, 40)}`);
    expect(frame).toMatch(/space\s+pause the display/);
  });

  it("uses two columns when one is too tall, and says so when even that does not fit", () => {
    const rows = helpRows();
    expect(helpColumns(rows, 100, 98)).toHaveLength(1);
    const two = helpColumns(rows, 25, 118);
    expect(two).toHaveLength(2);
    expect("title" in two[1]![0]!).toBe(true);
    expect(helpColumns(rows, 25, 78)).toHaveLength(1);
    const { lastFrame } = render(<HelpView width={80} height={12} />);
    expect(plain(lastFrame())).toContain("… j/PgDn for the rest");
  });

  it("scrolls on a short terminal down to the last section, and no further than its last line", () => {
    expect(helpRows()).toHaveLength(HELP_ROW_COUNT);
    const last = KEY_BINDINGS[KEY_BINDINGS.length - 1]!;
    const top = render(<HelpView width={80} height={12} />);
    expect(plain(top.lastFrame())).not.toContain(last.description);
    cleanup();
    const bottom = render(<HelpView width={80} height={12} scroll={1000} />);
    const frame = plain(bottom.lastFrame());
    expect(frame).toContain(last.description);
    expect(frame).toContain(`Keys (from line ${HELP_ROW_COUNT - 9 + 1} of ${HELP_ROW_COUNT}; k/PgUp back)`);
    expect(frame).not.toContain("j/PgDn for the rest");
  });
});
