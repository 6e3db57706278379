// `--trace`, as natscli has it: every JetStream API request and its reply (subject and compacted JSON body) as a
// line with a timestamp and `>>>` / `<<<`. Installed once on a connection, so every command that connects is
// traced the same way; a connection without it is left untouched and pays nothing. `--trace-data` adds the data
// messages (events published and delivered). Lines are escaped like event text and secrets are masked.
import type { NatsConnection, RequestOptions, PublishOptions, Payload, Msg } from "@nats-io/nats-core";
import { closeSync, openSync, writeSync } from "node:fs";
import { RuntimeError } from "../errors.js";
import { maskUrlCredentials } from "../text/credentials.js";
import { sanitizeText, toSafeJson } from "../text/sanitize.js";

export interface TraceOptions {
  /** Where each finished line goes (without its newline). */
  write(line: string): void;
  /** Also trace data messages (not only JetStream API traffic). */
  data: boolean;
  /** API prefixes in use besides `$JS.API` (a domain's `$JS.<domain>.API`, a custom --js-api-prefix). */
  apiPrefixes?: string[];
  /** For tests: the clock. */
  now?: () => Date;
}

/** Bodies longer than this are cut in the trace (a stream info of a hub can list thousands of subjects). */
const MAX_BODY_CHARS = 16 * 1024;

const SECRET_KEYS = /^(pass|password|token|auth_token|jwt|sig|seed|nkey|creds|secret|private_key)$/i;
/** nkey seeds (SU…, SA…, SO…) wherever they appear in text. */
const NKEY_SEED = /\bS[UAONC][A-Z2-7]{50,}\b/g;
const URL_WITH_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s"'@/]*@[^\s"']*/gi;

function maskText(text: string): string {
  return text.replace(NKEY_SEED, "S***").replace(URL_WITH_CREDENTIALS, (url) => maskUrlCredentials(url));
}

function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskText(value);
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    out[key] = SECRET_KEYS.test(key) && v !== "" && v !== null ? "***" : maskValue(v, depth + 1);
  }
  return out;
}

const utf8 = new TextDecoder();

/** A message body as one safe line: JSON re-written compactly with secrets masked; other text escaped. */
export function traceBody(data: Uint8Array | string | undefined): string {
  if (data === undefined) return "";
  const text = typeof data === "string" ? data : utf8.decode(data);
  if (text === "") return "";
  let body: string;
  try {
    body = toSafeJson(maskValue(JSON.parse(text)));
  } catch {
    body = sanitizeText(maskText(text));
  }
  return body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS)}… (${body.length} chars)` : body;
}

/** Local wall-clock time with milliseconds, as the rest of nsm4home shows times by default. */
function timestamp(d: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

function payloadText(payload: Payload | undefined): Uint8Array | string | undefined {
  return payload === undefined || payload === null ? undefined : (payload as Uint8Array | string);
}

/** Status headers of a reply (503 no responders, 408 timeout): worth a trace line of their own. */
function statusOf(msg: Msg): string {
  const h = msg.headers;
  if (!h || !h.code) return "";
  return ` [${h.code}${h.description ? ` ${sanitizeText(h.description)}` : ""}]`;
}

interface RawProtocol {
  processMsg?: (msg: { subject?: Uint8Array; reply?: Uint8Array; hdr?: number }, data: Uint8Array) => void;
  muxSubscriptions?: { baseInbox?: string };
}

/** Wraps the connection's request and publish (and, with data, its delivery of messages) to trace them. */
export function installTrace(nc: NatsConnection, opts: TraceOptions): void {
  const prefixes = ["$JS.API.", ...(opts.apiPrefixes ?? []).map((p) => (p.endsWith(".") ? p : `${p}.`))];
  // A domain's API: $JS.<domain>.API.
  const isApi = (subject: string) => prefixes.some((p) => subject.startsWith(p)) || /^\$JS\.[^.]+\.API\./.test(subject);
  const now = opts.now ?? (() => new Date());
  const line = (dir: ">>>" | "<<<", subject: string, body: string, extra = "") =>
    opts.write(`${timestamp(now())} ${dir} ${sanitizeText(subject)}${extra}${body === "" ? "" : ` ${body}`}`);

  let inRequest = false;
  const request = nc.request.bind(nc);
  nc.request = async (subject: string, payload?: Payload, options?: RequestOptions): Promise<Msg> => {
    const traced = isApi(subject) || opts.data;
    if (traced) line(">>>", subject, traceBody(payloadText(payload)));
    // nats.js sends the request through publish() synchronously: one line for it, not two.
    let sent: Promise<Msg>;
    inRequest = true;
    try {
      sent = request(subject, payload, options);
    } finally {
      inRequest = false;
    }
    try {
      const reply = await sent;
      if (traced) line("<<<", subject, traceBody(reply.data), statusOf(reply));
      return reply;
    } catch (err) {
      if (traced) line("<<<", subject, "", ` [${sanitizeText(((err as Error)?.message ?? String(err)).split("\n")[0]!)}]`);
      throw err;
    }
  };

  const publish = nc.publish.bind(nc);
  nc.publish = (subject: string, payload?: Payload, options?: PublishOptions): void => {
    if (!inRequest && (opts.data || isApi(subject))) {
      const reply = options?.reply ? ` (reply ${sanitizeText(options.reply)})` : "";
      line(">>>", subject, traceBody(payloadText(payload)), reply);
    }
    publish(subject, payload, options);
  };

  if (!opts.data) return;
  // Deliveries: everything the server sends us except the replies to requests, which are traced above.
  const protocol = (nc as unknown as { protocol?: RawProtocol }).protocol;
  const processMsg = protocol?.processMsg?.bind(protocol);
  if (!protocol || !processMsg) return;
  protocol.processMsg = (msg, data) => {
    const subject = msg.subject ? utf8.decode(msg.subject) : "?";
    const mux = protocol.muxSubscriptions?.baseInbox;
    if (!(mux && subject.startsWith(mux))) {
      const reply = msg.reply && msg.reply.length > 0 ? ` (reply ${sanitizeText(utf8.decode(msg.reply))})` : "";
      // The data holds the header block first (hdr bytes) when there is one.
      line("<<<", subject, traceBody(msg.hdr !== undefined && msg.hdr > 0 ? data.subarray(msg.hdr) : data), reply);
    }
    processMsg(msg, data);
  };
}

const openFiles = new Map<string, number>();

/**
 * A writer appending lines to `file` (opened once per process, written synchronously so nothing is lost at exit),
 * or undefined without a file. An unwritable file is a RuntimeError naming it.
 */
export function traceWriter(file: string | undefined): ((line: string) => void) | undefined {
  if (file === undefined) return undefined;
  let fd = openFiles.get(file);
  if (fd === undefined) {
    try {
      fd = openSync(file, "a", 0o600);
    } catch (err) {
      throw new RuntimeError(`cannot write the trace to ${sanitizeText(file)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    openFiles.set(file, fd);
    process.once("exit", () => closeSync(fd!));
  }
  const out = fd;
  return (line) => {
    writeSync(out, `${line}\n`);
  };
}

/** The trace a connection gets from --trace/--trace-data/--trace-file: its writer made now, installed later. */
export function traceFor(settings: { data: boolean; file?: string }, apiPrefix: string | undefined): { install(nc: NatsConnection): void } {
  const write = traceWriter(settings.file) ?? ((line: string) => void process.stderr.write(`${line}\n`));
  return { install: (nc) => installTrace(nc, { data: settings.data, write, apiPrefixes: apiPrefix ? [apiPrefix] : [] }) };
}
