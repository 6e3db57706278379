// Sources and mirrors: `--source NAME[@DOMAIN][:FILTER[:DEST]]` and `--mirror NAME[@DOMAIN]` as StreamSource
// objects (a domain becomes the external API prefix $JS.DOMAIN.API), and telling one source from another.
import type { NatsConnection } from "@nats-io/nats-core";
import type { StreamConfig, StreamSource } from "@nats-io/jetstream";
import { UsageError } from "../errors.js";
import { sanitizeText } from "../text/sanitize.js";
import { requireServerVersion } from "./jetstream.js";
import { checkApiName } from "./names.js";
import { checkSubject, isPlainToken } from "./subjects.js";

export interface SourceSpec {
  name: string;
  domain?: string;
  filter?: string;
  /** Subject the filtered messages are stored under (a subject transform, 2.10+). */
  transformTo?: string;
}

/** "suricata@garage", "suricata@garage:suricata.alert", "suricata@garage:suricata.>:garage.>". */
export function parseSourceSpec(text: string, flag: string): SourceSpec {
  const [head = "", filter, transformTo, ...rest] = text.split(":");
  const at = head.indexOf("@");
  const name = at === -1 ? head : head.slice(0, at);
  const domain = at === -1 ? undefined : head.slice(at + 1);
  const usage = `use NAME[@DOMAIN][:FILTER[:DEST]], e.g. suricata@garage or suricata@garage:suricata.alert`;
  if (rest.length > 0 || name === "") throw new UsageError(`invalid ${flag} '${sanitizeText(text)}': ${usage}`);
  try {
    checkApiName(name, `${flag} stream name`);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}; ${usage}`);
  }
  if (domain !== undefined && !isPlainToken(domain)) {
    throw new UsageError(`invalid ${flag} domain '${sanitizeText(domain)}' in '${sanitizeText(text)}': use letters, digits, - and _ (${usage})`);
  }
  const spec: SourceSpec = { name, ...(domain !== undefined ? { domain } : {}) };
  if (filter !== undefined && filter !== "") spec.filter = checkSubject(filter, `${flag} filter`);
  if (transformTo !== undefined && transformTo !== "") {
    if (spec.filter === undefined) throw new UsageError(`invalid ${flag} '${sanitizeText(text)}': a destination needs a filter before it (NAME@DOMAIN:FILTER:DEST)`);
    spec.transformTo = checkSubject(transformTo, `${flag} destination`);
  }
  return spec;
}

/** The API prefix a domain's JetStream answers on from anywhere in the leaf node tree. */
export function domainApiPrefix(domain: string): string {
  return `$JS.${domain}.API`;
}

/** "$JS.garage.API" → "garage"; undefined for a local source or another kind of prefix. */
export function domainOfSource(source: Pick<StreamSource, "external">): string | undefined {
  const api = source.external?.api;
  const m = api === undefined ? null : /^\$JS\.([^.]+)\.API$/.exec(api);
  return m ? m[1] : undefined;
}

export function streamSourceOf(spec: SourceSpec): StreamSource {
  const source: StreamSource = { name: spec.name };
  if (spec.domain !== undefined) source.external = { api: domainApiPrefix(spec.domain), deliver: "" };
  if (spec.transformTo !== undefined) source.subject_transforms = [{ src: spec.filter!, dest: spec.transformTo }];
  else if (spec.filter !== undefined) source.filter_subject = spec.filter;
  return source;
}

/** Same stream in the same place (name and API prefix): what a second `add-sensor` of it would duplicate. */
export function sameOrigin(a: Pick<StreamSource, "name" | "external">, b: Pick<StreamSource, "name" | "external">): boolean {
  return a.name === b.name && (a.external?.api ?? "") === (b.external?.api ?? "");
}

/** Sources with subject transforms need 2.10; refused with the version line, never sent to an older server. */
export function requireSourceFeatures(nc: NatsConnection, cfg: Partial<StreamConfig>): void {
  for (const s of [...(cfg.sources ?? []), ...(cfg.mirror ? [cfg.mirror] : [])]) {
    if (s.subject_transforms && s.subject_transforms.length > 0) requireServerVersion(nc, "2.10.0", "a subject transform on a source (NAME@DOMAIN:FILTER:DEST)");
  }
}

/** Puts --source/--mirror into a configuration: a mirror stores no subjects of its own and takes no sources. */
export function applySourceFlags<T extends Partial<StreamConfig>>(cfg: T, flags: { source?: string[]; mirror?: string; subjectsGiven: boolean }): T {
  const out: Partial<StreamConfig> = { ...cfg };
  if (flags.mirror !== undefined) {
    if (flags.source !== undefined && flags.source.length > 0) throw new UsageError("--mirror and --source cannot be combined: a mirror copies one stream exactly");
    if (flags.subjectsGiven) throw new UsageError("--mirror and --subjects cannot be combined: a mirror stores the subjects of the stream it copies");
    const spec = parseSourceSpec(flags.mirror, "--mirror");
    out.mirror = streamSourceOf(spec);
    delete out.subjects;
  }
  if (flags.source !== undefined && flags.source.length > 0) {
    const sources = flags.source.map((t) => streamSourceOf(parseSourceSpec(t, "--source")));
    for (let i = 0; i < sources.length; i++) {
      if (sources.slice(0, i).some((s) => sameOrigin(s, sources[i]!) && s.filter_subject === sources[i]!.filter_subject)) {
        throw new UsageError(`--source '${sanitizeText(flags.source[i]!)}' is given twice`);
      }
    }
    out.sources = sources;
  }
  return out as T;
}
