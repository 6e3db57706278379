import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { HelpView } from "../../../src/tui/components/HelpView.js";
import { KEY_BINDINGS } from "../../../src/tui/keymap.js";
import { plain } from "../helpers.js";

afterEach(cleanup);

describe("HelpView", () => {
  it("lists every binding of the keymap table", () => {
    const { lastFrame } = render(<HelpView width={100} height={45} />);
    const frame = plain(lastFrame());
    // Long descriptions are cut at the screen edge: their start must be there.
    for (const b of KEY_BINDINGS) expect(frame).toContain(`${b.keys.padEnd(13)}${b.description.slice(0, 40)}`);
    expect(frame).toMatch(/space\s+pause the display/);
  });
});
