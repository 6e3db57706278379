// JSON.stringify recurses, and an attacker can send a valid event nested 10,000 levels deep (JSON.parse copes,
// stringify overflows the stack). This writer keeps its own stack, so any value JSON.parse produced can be
// written back. Used only as a fallback: for ordinary events JSON.stringify is faster.

type Frame =
  | { kind: "array"; items: unknown[]; next: number; depth: number }
  | { kind: "object"; entries: Array<[string, unknown]>; next: number; depth: number };

function scalar(value: unknown, inArray: boolean): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return String(value);
    case "undefined":
    case "function":
    case "symbol":
      // As JSON.stringify: left out of objects, null in arrays.
      return inArray ? "null" : undefined;
    default:
      return undefined;
  }
}

/** JSON text for `value`, like JSON.stringify(value, null, indent), without recursion. */
export function writeJsonIteratively(value: unknown, indent = 0): string {
  const out: string[] = [];
  const pad = (depth: number) => (indent > 0 ? "\n" + " ".repeat(indent * depth) : "");
  const colon = indent > 0 ? ": " : ":";
  const stack: Frame[] = [];

  // Opens a container (pushing a frame) or writes a scalar; returns false for values objects leave out.
  const emit = (v: unknown, depth: number, inArray: boolean): boolean => {
    if (v !== null && typeof v === "object") {
      const withToJson = v as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === "function") return emit(withToJson.toJSON(), depth, inArray);
      if (Array.isArray(v)) {
        out.push("[");
        stack.push({ kind: "array", items: v, next: 0, depth: depth + 1 });
      } else {
        out.push("{");
        const entries = Object.entries(v).filter(([, x]) => scalar(x, false) !== undefined || (x !== null && typeof x === "object"));
        stack.push({ kind: "object", entries, next: 0, depth: depth + 1 });
      }
      return true;
    }
    const text = scalar(v, inArray);
    if (text === undefined) return false;
    out.push(text);
    return true;
  };

  if (!emit(value, 0, true)) return "null";
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const length = frame.kind === "array" ? frame.items.length : frame.entries.length;
    if (frame.next >= length) {
      stack.pop();
      out.push(length > 0 ? pad(frame.depth - 1) : "", frame.kind === "array" ? "]" : "}");
      continue;
    }
    if (frame.next > 0) out.push(",");
    out.push(pad(frame.depth));
    const i = frame.next++;
    if (frame.kind === "array") {
      emit(frame.items[i], frame.depth, true);
    } else {
      const [key, v] = frame.entries[i]!;
      out.push(JSON.stringify(key), colon);
      emit(v, frame.depth, false);
    }
  }
  return out.join("");
}

/** JSON.stringify where it can, the iterative writer where the value is too deep for it. */
export function stringifyJson(value: unknown, indent = 0): string | undefined {
  try {
    return JSON.stringify(value, null, indent) as string | undefined;
  } catch (err) {
    if (err instanceof RangeError) return writeJsonIteratively(value, indent);
    throw err;
  }
}
