import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { LineWriter } from "../../src/render/line-writer.js";

function collect(): { sink: PassThrough; text: () => string } {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (c: Buffer) => chunks.push(c));
  return { sink, text: () => Buffer.concat(chunks).toString("utf8") };
}

describe("LineWriter", () => {
  it("keeps text lines and payload bytes in order, each ended by one newline, multi-byte text intact", async () => {
    const { sink, text } = collect();
    const writer = new LineWriter({ sink });
    writer.writeLine("first ✓ ü 日本");
    writer.writeBytesLine(new TextEncoder().encode('{"raw":"bytes"}'));
    writer.writeLine("");
    writer.writeLine("🙂 last");
    await writer.drain();
    expect(text()).toBe('first ✓ ü 日本\n{"raw":"bytes"}\n\n🙂 last\n');
  });

  it("passes lines longer than a block and many blocks' worth of lines through whole", async () => {
    const { sink, text } = collect();
    const writer = new LineWriter({ sink });
    const long = "é".repeat(300_000);
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const line = i === 2500 ? long : `line ${i} ${"x".repeat(i % 97)}`;
      expected.push(line);
      if (i % 3 === 0) writer.writeBytesLine(new TextEncoder().encode(line));
      else writer.writeLine(line);
    }
    expect(writer.backlog()).toBeGreaterThan(0);
    await writer.drain();
    expect(text()).toBe(expected.join("\n") + "\n");
  });
});
