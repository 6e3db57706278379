// What `sensor init` and `hub init` write: a nats-server config (JetStream with its own domain, leaf node remote
// or leaf node listener), systemd units for nats-server and `nsm4home ingest`, and Suricata's eve-log output.
// Pure: plans in, file texts out; writing them is write-files.ts's job.
import { join } from "node:path";
import { UsageError } from "../errors.js";

export interface GeneratedFile {
  /** Where it goes (absolute, or as given under --dir). */
  path: string;
  /** What it is, for the list printed after writing. */
  what: string;
  text: string;
  /** 0600 for files that hold a secret: they are never printed, not even by --dry-run. */
  secret?: boolean;
}

/** Where ingest reads Suricata's events. */
export type EventSourcePlan =
  | { kind: "redis"; mode: "list" | "stream"; host: string; port: number; key: string; from: string }
  | { kind: "file"; path: string };

export interface CommonPlan {
  /** Server name and JetStream domain: the sensor's name, or the hub's domain. */
  name: string;
  /** Client listen address, host:port. */
  listen: string;
  /** JetStream store. */
  storeDir: string;
  /** Folder the files are written to; the units refer to the config in it. */
  dir: string;
  natsServerBin: string;
  /** How systemd starts nsm4home: node and the launcher, absolute. */
  nsm4homeCommand: string[];
  /** HTTP monitoring port on 127.0.0.1 (server info --monitor, /leafz), 0 for none. */
  monitorPort: number;
  /** JetStream file store limit, e.g. "8G", or undefined for the server's default. */
  maxStore?: string;
}

export interface SensorPlan extends CommonPlan {
  hubUrls: string[];
  /** A .creds file the leaf connection authenticates with. */
  leafCreds?: string;
  /** User and password for the hub's leaf listener (password kept in a 0600 include file). */
  leafUser?: string;
  leafPassword?: string;
  source: EventSourcePlan;
}

export interface HubPlan extends CommonPlan {
  /** Where sensors' leaf connections arrive, host:port. */
  leafListen: string;
  leafUser?: string;
  leafPassword?: string;
}

/** Names that become a server name, a JetStream domain, a stream name and a file name: one safe alphabet. */
export function checkNodeName(name: string, what: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new UsageError(`invalid ${what} '${name}': use letters, digits, - and _ (at most 64, starting with a letter or digit), such as garage or pi-router`);
  }
  return name;
}

/** host:port (or :port, or a bare port) as nats-server's listen takes it. */
export function parseListen(text: string, flag: string, defaultHost: string): { host: string; port: number; text: string } {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new UsageError(`invalid ${flag} '${text}': use HOST:PORT such as 0.0.0.0:4222, or a port`);
  const host = m[1] === undefined || m[1] === "" ? defaultHost : m[1];
  return { host, port, text: `${host}:${port}` };
}

/** A leaf remote URL: nats-leaf:// is what nats-server dials; nats:// and bare host[:port] are turned into it. */
export function leafUrlOf(text: string): string {
  const t = text.trim();
  if (/@/.test(t)) throw new UsageError("--hub takes no credentials in the URL: use --leaf-creds FILE, or --leaf-user with NSM4HOME_LEAF_PASSWORD");
  const m = /^(?:(nats-leaf|nats|tls|ws|wss):\/\/)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?\/?$/.exec(t);
  if (!m) throw new UsageError(`invalid --hub '${text}': use the hub's leaf node address, such as nats-leaf://hub.lan:7422 or hub.lan`);
  const scheme = m[1] === undefined || m[1] === "nats" ? "nats-leaf" : m[1] === "tls" ? "tls" : m[1];
  return `${scheme}://${m[2]}:${m[3] ?? "7422"}`;
}

/** A value in nats-server's config syntax: always a double-quoted string, so nothing in it is read as syntax. */
function confString(value: string): string {
  return JSON.stringify(value);
}

/** One argument of a systemd Exec line: quoted when needed; % and $ doubled so systemd takes them literally. */
export function systemdArg(arg: string): string {
  const escaped = arg.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

const HEADER = (command: string) => `# Written by \`nsm4home ${command}\`. Edit freely; run the command with --force to write it afresh.\n`;

function jetstreamBlock(plan: CommonPlan): string[] {
  return [
    "jetstream {",
    `  store_dir: ${confString(plan.storeDir)}`,
    `  domain: ${confString(plan.name)}`,
    ...(plan.maxStore ? [`  max_file_store: ${confString(plan.maxStore)}`] : []),
    "}",
  ];
}

function serverHead(plan: CommonPlan): string[] {
  const listen = parseListen(plan.listen, "--listen", "127.0.0.1");
  return [
    `server_name: ${confString(plan.name)}`,
    `listen: ${confString(listen.text)}`,
    ...(plan.monitorPort > 0 ? [`http: ${confString(`127.0.0.1:${plan.monitorPort}`)}`] : []),
    "",
  ];
}

export const SERVER_CONF = "nats-server.conf";
export const LEAF_AUTH_CONF = "leaf-auth.conf";
export const NATS_UNIT = "nsm4home-nats.service";
export const INGEST_UNIT = "nsm4home-ingest.service";
export const SURICATA_SNIPPET = "suricata-eve-output.yaml";

function natsUnit(plan: CommonPlan, role: string): string {
  const conf = join(plan.dir, SERVER_CONF);
  return [
    HEADER(`${role} init`).trimEnd(),
    "[Unit]",
    `Description=NATS server for nsm4home (${role === "hub" ? `hub, JetStream domain ${plan.name}` : `sensor ${plan.name}`})`,
    "After=network-online.target",
    "Wants=network-online.target",
    // Debian's nats-server.service listens on the same port without JetStream.
    "Conflicts=nats-server.service",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${[plan.natsServerBin, "-c", conf].map(systemdArg).join(" ")}`,
    "ExecReload=/bin/kill -s HUP $MAINPID",
    // SIGINT: nats-server flushes JetStream and leaves cleanly (lame duck is for clusters of clients).
    "KillSignal=SIGINT",
    "User=nats",
    "Group=nats",
    "StateDirectory=nsm4home",
    "Restart=on-failure",
    "RestartSec=2",
    "LimitNOFILE=65536",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

function ingestArgs(plan: SensorPlan): string[] {
  const listen = parseListen(plan.listen, "--listen", "127.0.0.1");
  const host = listen.host === "0.0.0.0" || listen.host === "[::]" ? "127.0.0.1" : listen.host;
  const from = plan.source.kind === "redis" ? plan.source.from : plan.source.path;
  const args = [...plan.nsm4homeCommand, "--no-context", "-s", `nats://${host}:${listen.port}`, "ingest", "--from", from, "--create-stream", "--progress", "1m"];
  if (plan.source.kind === "file") args.push("--checkpoint", "/var/lib/nsm4home-ingest/eve.checkpoint");
  return args;
}

function ingestUnit(plan: SensorPlan): string {
  return [
    HEADER("sensor init").trimEnd(),
    "[Unit]",
    `Description=nsm4home ingest: Suricata events into JetStream (sensor ${plan.name})`,
    `After=${NATS_UNIT}${plan.source.kind === "redis" ? " redis-server.service" : " suricata.service"}`,
    `Requires=${NATS_UNIT}`,
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${ingestArgs(plan).map(systemdArg).join(" ")}`,
    "DynamicUser=yes",
    "StateDirectory=nsm4home-ingest",
    // Suricata's eve.json is readable by group adm on Debian.
    ...(plan.source.kind === "file" ? ["SupplementaryGroups=adm"] : []),
    "Restart=always",
    "RestartSec=2",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

function suricataSnippet(plan: SensorPlan): string {
  const lines = [
    `# Merge into /etc/suricata/suricata.yaml (written by \`nsm4home sensor init ${plan.name}\`).`,
    "# sensor-name becomes each event's \"host\": the hub tells sensors apart by it.",
    `sensor-name: ${plan.name}`,
    "",
    "outputs:",
    "  - eve-log:",
    "      enabled: yes",
  ];
  if (plan.source.kind === "redis") {
    lines.push(
      "      filetype: redis",
      "      redis:",
      `        server: ${plan.source.host}`,
      `        port: ${plan.source.port}`,
      plan.source.mode === "list" ? "        mode: list        # LPUSH; nsm4home ingest takes the oldest first" : "        mode: stream      # Suricata 8: XADD, field eve",
      `        key: ${JSON.stringify(plan.source.key)}`,
    );
  } else {
    lines.push("      filetype: regular", `      filename: ${JSON.stringify(plan.source.path.replace(/^\/var\/log\/suricata\//, ""))}`);
  }
  lines.push(
    "      types:",
    "        - alert",
    "        - dns",
    "        - tls",
    "        - http",
    "        - flow",
    "        - stats:",
    "            totals: yes",
    "            threads: no",
    "",
  );
  return lines.join("\n");
}

function leafAuthFile(plan: { dir: string; leafUser?: string; leafPassword?: string }, block: (user: string, password: string) => string[]): GeneratedFile | undefined {
  if (plan.leafUser === undefined) return undefined;
  if (plan.leafPassword === undefined || plan.leafPassword === "") {
    throw new UsageError("--leaf-user needs its password in the environment variable NSM4HOME_LEAF_PASSWORD (never on the command line)");
  }
  return {
    path: join(plan.dir, LEAF_AUTH_CONF),
    what: "leaf node credentials (secret, mode 0600, included by nats-server.conf)",
    text: block(plan.leafUser, plan.leafPassword).join("\n") + "\n",
    secret: true,
  };
}

/** The files of a sensor: its nats-server (a leaf of the hub, its own domain), the two units, the Suricata snippet. */
export function sensorFiles(plan: SensorPlan): GeneratedFile[] {
  checkNodeName(plan.name, "sensor name");
  if (plan.leafCreds !== undefined && plan.leafUser !== undefined) throw new UsageError("give --leaf-creds or --leaf-user, not both");
  // A leaf remote takes its user and password in the URL only: the URLs live in the 0600 include file then.
  const urlsLine = (userInfo: string) =>
    `urls: [${plan.hubUrls.map((u) => confString(u.replace(/^([a-z-]+:\/\/)/, `$1${userInfo}`))).join(", ")}]`;
  const auth = leafAuthFile(plan, (user, password) => [urlsLine(`${encodeURIComponent(user)}:${encodeURIComponent(password)}@`)]);
  const remote = [
    "    {",
    auth ? `      include ${confString(LEAF_AUTH_CONF)}` : `      ${urlsLine("")}`,
    ...(plan.leafCreds ? [`      credentials: ${confString(plan.leafCreds)}`] : []),
    // Raw events stay on the sensor; the hub's stream sources them through JetStream, which resends what a cut
    // link missed. Letting suricata.> cross would also copy every sensor's events into every other sensor.
    '      deny_exports: ["suricata.>"]',
    '      deny_imports: ["suricata.>"]',
    "    }",
  ];
  const conf = [
    HEADER(`sensor init ${plan.name}`).trimEnd(),
    `# Sensor '${plan.name}': JetStream domain ${plan.name}, a leaf node of the hub. Events are kept here while the link is down.`,
    ...serverHead(plan),
    ...jetstreamBlock(plan),
    "",
    "leafnodes {",
    "  reconnect: 2",
    "  remotes: [",
    ...remote,
    "  ]",
    "}",
    "",
  ].join("\n");
  const files: GeneratedFile[] = [
    { path: join(plan.dir, SERVER_CONF), what: "nats-server config (JetStream, domain, leaf node remote to the hub)", text: conf },
  ];
  if (auth) files.push(auth);
  files.push(
    { path: join(plan.dir, NATS_UNIT), what: "systemd unit for nats-server", text: natsUnit(plan, "sensor") },
    { path: join(plan.dir, INGEST_UNIT), what: `systemd unit for nsm4home ingest (${plan.source.kind === "redis" ? "Redis list" : "eve.json"})`, text: ingestUnit(plan) },
    { path: join(plan.dir, SURICATA_SNIPPET), what: "Suricata eve-log output to merge into suricata.yaml", text: suricataSnippet(plan) },
  );
  return files;
}

/** The files of the hub: its nats-server (its own domain, a leaf node listener) and its unit. */
export function hubFiles(plan: HubPlan): GeneratedFile[] {
  checkNodeName(plan.name, "hub domain");
  const leaf = parseListen(plan.leafListen, "--leaf-listen", "0.0.0.0");
  const auth = leafAuthFile(plan, (user, password) => [
    "authorization {",
    `  user: ${confString(user)}`,
    `  password: ${confString(password)}`,
    "}",
  ]);
  const conf = [
    HEADER("hub init").trimEnd(),
    `# Hub: JetStream domain ${plan.name}; sensors connect as leaf nodes on ${leaf.text}. Its stream sources every sensor's.`,
    ...serverHead(plan),
    ...jetstreamBlock(plan),
    "",
    "leafnodes {",
    `  listen: ${confString(leaf.text)}`,
    ...(auth ? [`  include ${confString(LEAF_AUTH_CONF)}`] : []),
    "}",
    "",
  ].join("\n");
  const files: GeneratedFile[] = [{ path: join(plan.dir, SERVER_CONF), what: "nats-server config (JetStream, domain, leaf node listener)", text: conf }];
  if (auth) files.push(auth);
  files.push({ path: join(plan.dir, NATS_UNIT), what: "systemd unit for nats-server", text: natsUnit(plan, "hub") });
  return files;
}
