import { describe, expect, it } from "vitest";
import { columnWidths, renderTable, type TableColumn } from "../../src/render/table.js";
import { visibleWidth } from "../../src/text/width.js";

const columns: TableColumn[] = [
  { header: "Name", shrink: true, minWidth: 6 },
  { header: "Subjects", shrink: true, minWidth: 8 },
  { header: "Messages", align: "right" },
];
const rows = [
  ["suricata", "suricata.>", "1,234,567"],
  ["lab", "lab.dns, lab.flow, lab.tls, lab.http, lab.alert", "12"],
];

describe("renderTable", () => {
  it("right-aligns numbers, left-aligns text, and draws a rule under the header", () => {
    const lines = renderTable(columns, rows).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Name\s+Subjects\s+Messages$/);
    expect(lines[1]).toMatch(/^─+  ─+  ─+$/);
    // The last digits of every number sit in the same column.
    const ends = lines.slice(2).map((l) => l.length);
    expect(new Set(ends).size).toBe(1);
    expect(lines[3]).toMatch(/ {2,}12$/);
    expect(lines[2]!.startsWith("suricata  suricata.>")).toBe(true);
  });

  it("leaves the rule out when asked (a pipe), and tableLayout asks for it only on a terminal", async () => {
    const lines = renderTable(columns, rows, { rule: false }).trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]!.startsWith("suricata  suricata.>")).toBe(true);
    const { tableLayout } = await import("../../src/render/table.js");
    expect(tableLayout({ isTTY: true, columns: 90 })).toEqual({ width: 90, rule: true });
    expect(tableLayout({})).toEqual({ width: undefined, rule: false });
  });

  it("fits the width by cutting the widest shrinkable column first, with an ellipsis", () => {
    const text = renderTable(columns, rows, { width: 40 });
    for (const line of text.trimEnd().split("\n")) expect(visibleWidth(line)).toBeLessThanOrEqual(40);
    expect(text).toContain("…");
    // Numbers are never cut.
    expect(text).toContain("1,234,567");
    expect(text).toContain("suricata ");
  });

  it("stops shrinking at a column's minimum and overflows rather than mangling", () => {
    const widths = columnWidths(columns, rows, { width: 5 });
    expect(widths[0]).toBe(6);
    expect(widths[1]).toBe(8);
    expect(widths[2]).toBe("1,234,567".length);
  });

  it("leaves tables alone without a width (a pipe)", () => {
    expect(renderTable(columns, rows)).toContain("lab.dns, lab.flow, lab.tls, lab.http, lab.alert");
  });
});
