// Key presses -> keymap commands -> store actions. The filter box takes text instead of commands while open.
import { useInput, type Key } from "ink";
import { resolveKey } from "../keymap.js";
import type { TuiStore } from "../state/store.js";

// Pasted or typed text goes into the filter box; control characters never do.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/** What ink would have reported for one character of a string of several (Tab, Enter, Backspace, Ctrl-X). */
function keyOfChar(ch: string, key: Key): [string, Key] {
  const code = ch.charCodeAt(0);
  const named = { tab: ch === "\t", return: ch === "\r" || ch === "\n", backspace: ch === "\x7f" || ch === "\b" };
  if (code > 0 && code < 27 && !named.tab && !named.return && !named.backspace) {
    return [String.fromCharCode(code + 96), { ...key, ...named, ctrl: true, shift: false }];
  }
  return [named.tab || named.return || named.backspace ? "" : ch, { ...key, ...named, ctrl: false, shift: ch !== ch.toLowerCase() }];
}

export function handleKey(store: TuiStore, input: string, key: Key): void {
  const mode = store.inputMode;
  if (mode === "filter" && input.length <= 1) {
    const resolved = resolveKey(input, key, "filter");
    if (resolved !== undefined) store.dispatch(resolved);
    else if (!key.ctrl && !key.meta && input !== "") store.typeInFilter(input.replace(CONTROL, ""));
    return;
  }
  // Keys typed faster than a read (or sent together by tmux) arrive as one string: each is a command.
  if (input.length > 1 && !key.ctrl && !key.meta) {
    for (const ch of input) {
      handleKey(store, ...keyOfChar(ch, key));
      if (store.quitRequested) return;
    }
    return;
  }
  const resolved = resolveKey(input, key, mode);
  if (resolved !== undefined) store.dispatch(resolved);
}

export function useKeyCommands(store: TuiStore, afterKey: () => void, onQuit: () => void): void {
  useInput((input, key) => {
    handleKey(store, input, key);
    if (store.quitRequested) onQuit();
    else afterKey();
  });
}
