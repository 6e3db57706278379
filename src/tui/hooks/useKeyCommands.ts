// Key presses -> keymap commands -> store actions. The filter box takes text instead of commands while open.
import { useInput, type Key } from "ink";
import { resolveKey } from "../keymap.js";
import type { TuiStore } from "../state/store.js";

// Pasted or typed text goes into the filter box; control characters never do.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

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
      handleKey(store, ch, { ...key, shift: ch !== ch.toLowerCase() });
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
