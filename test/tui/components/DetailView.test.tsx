import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { DetailView } from "../../../src/tui/components/DetailView.js";
import { plain } from "../helpers.js";

afterEach(cleanup);

describe("DetailView", () => {
  it("shows the title, the position in the text and the visible lines", () => {
    const detail = { title: "suricata.tls · event #3", lines: ['  "sni": "a\\u202Eb",', '  "version": "TLS 1.3"'], offset: 4, totalLines: 12 };
    const { lastFrame } = render(<DetailView detail={detail} width={80} height={6} />);
    const frame = plain(lastFrame());
    expect(frame).toContain("suricata.tls · event #3  lines 5-6 of 12");
    expect(frame).toContain('"sni": "a\\u202Eb",');
  });
});
