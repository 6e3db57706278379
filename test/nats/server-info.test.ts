// The cluster section from INFO, /varz and /routez as a server (or something pretending to be one) sends them.
import { describe, expect, it } from "vitest";
import type { ServerInfo } from "@nats-io/nats-core";
import { clusterReportOf } from "../../src/nats/server-info.js";

const info = { cluster: "c1", connect_urls: ["127.0.0.1:4223", "127.0.0.1:4222", "127.0.0.1:4222"] } as unknown as ServerInfo;

describe("clusterReportOf", () => {
  it("counts the servers behind pooled routes, not the connections", () => {
    const routes = ["A", "A", "A", "B", "B", "B", "B"].map((remote_id) => ({ remote_id, remote_name: `n-${remote_id}` }));
    const report = clusterReportOf(info, { routes: 7 }, { routes });
    expect(report).toMatchObject({ name: "c1", routes: 7, routedServers: 2, clientUrls: ["127.0.0.1:4222", "127.0.0.1:4223"] });
  });

  it("falls back to remote_name and ignores what is not a route", () => {
    const routez = { routes: [{ remote_name: "x" }, { remote_name: "x" }, "junk", null, { remote_id: 5 }] };
    expect(clusterReportOf(info, { routes: 2 }, routez)?.routedServers).toBe(1);
    expect(clusterReportOf(info, { routes: 2 }, { routes: "many" })?.routedServers).toBeUndefined();
    expect(clusterReportOf(info, { routes: 2 })?.routedServers).toBeUndefined();
  });

  it("is undefined for a standalone server", () => {
    expect(clusterReportOf({} as ServerInfo, { routes: 0 }, { routes: [] })).toBeUndefined();
  });
});
