import { Text } from "ink";
import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { findInkCaches, trimInkCaches } from "../../src/tui/ink-caches.js";

afterEach(cleanup);

describe("ink's text caches", () => {
  it("are found, grow with every distinct text rendered, and are emptied past the limit", async () => {
    const caches = await findInkCaches();
    expect(caches.measure).toBeInstanceOf(Map);
    expect(typeof caches.wrap).toBe("object");
    const { rerender } = render(<Text wrap="truncate-end">start</Text>);
    const before = caches.measure!.size;
    // Texts wider than the 100-column test terminal also go through wrapText.
    for (let i = 0; i < 300; i++) rerender(<Text wrap="truncate-end">{`frame ${i} `.repeat(20)}</Text>);
    expect(caches.measure!.size).toBeGreaterThanOrEqual(before + 300);
    expect(Object.keys(caches.wrap!).length).toBeGreaterThanOrEqual(300);
    expect(trimInkCaches(caches, 100)).toEqual({ measure: 0, wrap: 0 });
    // Rendering still works after a trim: the caches only ever saved work.
    rerender(<Text>after trim</Text>);
    expect(caches.measure!.size).toBeGreaterThan(0);
  });

  it("leave Map and Object prototypes as they were", async () => {
    await findInkCaches();
    expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => k.includes("nsm4home"))).toEqual([]);
    expect(Map.prototype.get.toString()).toContain("[native code]");
  });
});
