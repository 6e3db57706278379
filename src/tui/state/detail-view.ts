// The event view (Enter): one event as pretty, sanitised JSON, wrapped to the screen width, and its scroll keys.
import { decodeEvent } from "../../eve/event.js";
import { prettyJsonTextLines } from "../../text/json-text.js";
import { sanitizeText } from "../../text/sanitize.js";
import type { ResolvedKey } from "../keymap.js";
import { TextView, type TextViewOutcome } from "./text-view.js";

/** Pretty JSON of a payload, each line sanitised; a payload that is not an event is shown escaped as it came. */
export function eventDetailLines(raw: string): string[] {
  const decoded = decodeEvent(raw);
  if (!decoded.ok) return [`(not an event: ${decoded.reason})`, ...raw.split("\n").map(sanitizeText)];
  // From the text, so numbers read as the sensor wrote them (a 64-bit flow_id, to search for elsewhere).
  return prettyJsonTextLines(decoded.raw);
}

/** What a key did to the view: the store closes it or quits. */
export type DetailOutcome = TextViewOutcome;

/** A text view of one event whose Enter (the key that opened it) closes it again. */
export class DetailView extends TextView {
  constructor(title: string, raw: string) {
    super(title, eventDetailLines(raw));
  }

  override command(resolved: ResolvedKey, rows: number): DetailOutcome {
    return resolved.command === "detail" ? "close" : super.command(resolved, rows);
  }
}
