import { runCli } from "../helpers/cli.js";
import type { Key } from "ink";
import { describe, expect, it } from "vitest";
import { KEY_BINDINGS, resolveKey } from "../../src/tui/keymap.js";

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (k: Partial<Key> = {}): Key => ({ ...NO_KEY, ...k });

describe("resolveKey", () => {
  it("maps every key of the issue to its command in the pane grid", () => {
    const cases: Array<[string, Partial<Key>, string, number?]> = [
      ["", { tab: true }, "focusNext"],
      ["", { tab: true, shift: true }, "focusPrev"],
      ["3", {}, "focusPane", 3],
      ["z", {}, "zoom"],
      [" ", {}, "pause"],
      ["j", {}, "scrollDown"],
      ["k", {}, "scrollUp"],
      ["", { pageUp: true }, "pageUp"],
      ["", { pageDown: true }, "pageDown"],
      ["g", {}, "scrollOldest"],
      ["G", { shift: true }, "scrollNewest"],
      ["/", {}, "filter"],
      ["", { escape: true }, "clearFilter"],
      ["", { return: true }, "detail"],
      ["t", {}, "timestamps"],
      ["T", { shift: true }, "topN"],
      ["c", {}, "clear"],
      ["?", {}, "help"],
      ["q", {}, "quit"],
      ["c", { ctrl: true }, "quit"],
    ];
    for (const [input, k, command, digit] of cases) {
      const resolved = resolveKey(input, key(k), "panes");
      expect(resolved?.command, `${JSON.stringify(input)} ${JSON.stringify(k)}`).toBe(command);
      if (digit !== undefined) expect(resolved?.digit).toBe(digit);
    }
    expect(resolveKey("0", key(), "panes")).toBeUndefined();
    expect(resolveKey("x", key(), "panes")).toBeUndefined();
  });

  it("gives Esc and Enter their own meaning in the event view, and letters are text in the filter box", () => {
    expect(resolveKey("", key({ escape: true }), "detail")?.command).toBe("close");
    expect(resolveKey("j", key(), "detail")?.command).toBe("scrollDown");
    expect(resolveKey("q", key(), "filter")).toBeUndefined();
    expect(resolveKey("", key({ return: true }), "filter")?.command).toBe("filterApply");
    expect(resolveKey("", key({ escape: true }), "filter")?.command).toBe("filterCancel");
    expect(resolveKey("c", key({ ctrl: true }), "filter")?.command).toBe("quit");
    expect(resolveKey("?", key(), "help")?.command).toBe("close");
  });

  it("describes every binding for the help screen", () => {
    for (const b of KEY_BINDINGS) {
      expect(b.keys.length).toBeGreaterThan(0);
      expect(b.description.length).toBeGreaterThan(3);
    }
  });
});

describe("the keymap as the one source of key text", () => {
  it("gives the status bar its hints and `tui --help` every binding, in the table's order", async () => {
    const { KEY_BINDINGS, STATUS_HINTS } = await import("../../src/tui/keymap.js");
    expect(STATUS_HINTS).toBe("? help  q quit  Tab focus  z zoom  space pause  / filter  Enter event  T top  a alerts");
    const help = await runCli(["tui", "--help"]);
    expect(help.code).toBe(0);
    const lines = help.stdout.split("\n");
    for (const b of KEY_BINDINGS) expect(lines.some((l) => l.trimStart().startsWith(b.keys) && l.endsWith(b.description)), b.description).toBe(true);
    expect(help.stdout).toContain("Event view:\n  Esc / Enter");
  });
});
