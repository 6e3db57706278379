// The whole dashboard in ink-testing-library: a real store fed with events, the terminal size passed as props,
// keys written to stdin, and each assertion waiting for the frame to change.
import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../../src/tui/App.js";
import type { TuiStore } from "../../src/tui/state/store.js";
import { fourPaneStore, KEYS, payload, plain, sendInputAndWaitFor, waitForContent, waitForFrame } from "./helpers.js";

afterEach(cleanup);

function makeStore(): TuiStore {
  const store = fourPaneStore();
  const dnsNames = ["alpha.example", "bravo.example", "charlie.example"];
  for (const name of dnsNames) store.receive(0, payload({ event_type: "dns", dns: { type: "query", rrname: name, rrtype: "A" } }));
  store.receive(1, payload({ event_type: "flow", src_ip: "10.0.0.2", dest_ip: "1.1.1.1", proto: "TCP", flow: { bytes_toserver: 500, bytes_toclient: 1500 } }));
  store.receive(2, payload({ event_type: "tls", tls: { sni: "secure\u001b[31m.example", version: "TLS 1.3" } }));
  return store;
}

function renderApp(store: TuiStore, onQuit: () => void = () => undefined) {
  return render(<App store={store} columns={100} rows={30} color={false} refreshMs={50} onQuit={onQuit} />);
}

describe("App", () => {
  it("renders rows-1 lines: the 2x2 grid and the status bar, with event text escaped", async () => {
    const app = renderApp(makeStore());
    const frame = await waitForContent(app, "charlie.example");
    const lines = frame.split("\n");
    expect(lines).toHaveLength(29);
    expect(lines[0]).toMatch(/^╔═+╗╭─+╮$/);
    // The rate is the last complete second's count, so it depends on when the frame lands; the total does not.
    expect(frame).toMatch(/1 suricata\.dns \d+\/s total 3 /);
    expect(frame).toContain("secure\\x1B[31m.example");
    expect(lines[28]).toMatch(/^nats:\/\/127\.0\.0\.1:4222 ● connecting │ drops 0 │ live │ \d\d:\d\d:\d\d │ alerts 0 │ \? help  q quit/);
  });

  it("moves focus with Tab and digits, zooms with z", async () => {
    const app = renderApp(makeStore());
    await waitForContent(app, "charlie.example");
    const line = (frame: string, index: number) => frame.split("\n")[index] ?? "";
    await sendInputAndWaitFor(app, KEYS.tab, (frame) => /^╭─+╮╔═+╗$/.test(line(frame, 0)));
    await sendInputAndWaitFor(app, "3", (frame) => /^╔═+╗╭─+╮$/.test(line(frame, 14)));
    let frame = await sendInputAndWaitFor(app, "z", (frame) => /^║3 suricata\.tls/.test(line(frame, 1)));
    expect(frame).not.toContain("suricata.dns");
    frame = await sendInputAndWaitFor(app, "z", "suricata.dns");
    expect(frame).toContain("suricata.flow");
  });

  it("pauses with space: counts keep going, the title says +N new, space resumes", async () => {
    const store = makeStore();
    const app = renderApp(store);
    await waitForContent(app, "charlie.example");
    await sendInputAndWaitFor(app, " ", "PAUSED");
    store.receive(0, payload({ event_type: "dns", dns: { type: "query", rrname: "delta.example" } }));
    let frame = await waitForContent(app, "+1 new");
    expect(frame).toContain("total 4");
    expect(frame).not.toContain("delta.example");
    frame = await sendInputAndWaitFor(app, " ", (frame) => !frame.includes("PAUSED"));
    expect(frame).toContain("delta.example");
  });

  it("filters the focused pane from the / box, shows a parse problem inline, and Esc clears", async () => {
    const app = renderApp(makeStore());
    await waitForContent(app, "charlie.example");
    await sendInputAndWaitFor(app, "/", "filter suricata.dns›");
    const frame = await sendInputAndWaitFor(app, "dns.rrname ==", "not JMESPath");
    expect(frame.split("\n")[28]).toMatch(/^filter suricata\.dns› dns\.rrname == {2,}not JMESPath: .*column 14/);
    await sendInputAndWaitFor(app, " 'bravo.example'", "'bravo.example'");
    const filtered = await sendInputAndWaitFor(app, KEYS.enter, "total 3 filter: dns.rrname =");
    expect(filtered).toContain("bravo.example");
    expect(filtered).not.toContain("alpha.example");
    await sendInputAndWaitFor(app, KEYS.escape, (frame) => frame.includes("alpha.example") && !frame.includes("filter:"));
  });

  it("opens the selected event as JSON with Enter, shows help with ?, top-N with T", async () => {
    const app = renderApp(makeStore());
    await waitForContent(app, "charlie.example");
    // The selection has no mark of its own in a plain frame, so each move is checked by what Enter opens.
    app.stdin.write("k");
    app.stdin.write("k");
    let frame = await sendInputAndWaitFor(app, KEYS.enter, "· event #");
    expect(frame).toContain("suricata.dns · event #2");
    expect(frame).toContain('"rrname": "bravo.example"');
    await sendInputAndWaitFor(app, KEYS.escape, "1 suricata.dns");
    await sendInputAndWaitFor(app, "?", "zoom the focused pane full screen");
    await sendInputAndWaitFor(app, "?", (frame) => !frame.includes("zoom the focused pane full screen"));
    await sendInputAndWaitFor(app, KEYS.tab, (frame) => /^╭─+╮╔═+╗$/.test(frame.split("\n")[0] ?? ""));
    frame = await sendInputAndWaitFor(app, "T", "top talkers by bytes");
    expect(frame).toMatch(/2 KiB {2}1\.1\.1\.1|2 KiB {2}10\.0\.0\.2/);
  });

  it("calls onQuit on q and on Ctrl-C", async () => {
    let quits = 0;
    const store = makeStore();
    const app = renderApp(store, () => quits++);
    await waitForContent(app, "charlie.example");
    app.stdin.write("q");
    await waitForFrame(app, () => quits === 1);
    store.quitRequested = false;
    app.stdin.write(KEYS.ctrlC);
    await waitForFrame(app, () => quits === 2);
    expect(plain(app.lastFrame())).toContain("suricata.dns");
  });
});

describe("App with keys that arrive together", () => {
  it("handles each of them, Tab and Enter included", async () => {
    const app = renderApp(makeStore());
    await waitForContent(app, "charlie.example");
    app.stdin.write("\t\r");
    await waitForContent(app, "suricata.flow · event #1");
    await sendInputAndWaitFor(app, KEYS.escape, (frame) => !frame.includes("· event #"));
    app.stdin.write("/bravo\r");
    const filtered = await waitForContent(app, "filter: bravo");
    expect(filtered).toMatch(/suricata\.flow \d+\/s total 1 filter: bravo/);
  });
});
