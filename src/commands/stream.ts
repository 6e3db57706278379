// `stream`: provision and inspect the JetStream stream that holds the events (natscli's `nats stream`, made
// scriptable: every prompt has a flag, nothing needs a terminal, and `add` is idempotent).
// `register` lists the subcommands in the order `--help` shows them; below it, each subcommand's flags
// (`registerAdd`, ...) and then its action (`addAction`, ...).
import type { Command } from "commander";
import { RuntimeError, UsageError } from "../errors.js";
import {
  abortOnSignals,
  addMessageStyleOptions,
  askOrApplyDefaults,
  collectList,
  collectRepeat,
  confirmDestructive,
  connectionFlagsOf,
  flushStdout,
  messageOutputOf,
  previewAndApply,
  printApiJson,
  printJson,
} from "./shared.js";
import { replayStartOf } from "../nats/replay-start.js";
import { addEventExpressionOptions, compileEventExpressions, type EventExpressionFlags } from "./event-expressions.js";
import type { StreamFlags } from "../nats/streams/index.js";
import type { MessageOutputFlags } from "../render/message.js";

export function register(program: Command): void {
  const stream = program
    .command("stream")
    .alias("str")
    .description("JetStream streams: add (idempotent), info, ls, edit, rm, purge, subjects, get, view, backup, restore");
  registerAdd(stream);
  registerInfo(stream);
  registerLs(stream);
  registerEdit(stream);
  registerRm(stream);
  registerPurge(stream);
  registerBackup(stream);
  registerRestore(stream);
  registerSubjects(stream);
  registerGet(stream);
  registerView(stream);
}

// ---------------------------------------------------------------------------------------------------------
// Add and edit: the stream's configuration from flags, a --config file, or prompts.

interface StreamConfigOpts extends StreamFlags {
  source?: string[];
  mirror?: string;
  config?: string;
  defaults?: boolean;
  json?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

function addStreamConfigOptions(cmd: Command, edit: boolean): Command {
  cmd
    .option("--subjects <subjects>", "subjects the stream stores, repeatable or comma separated (default suricata.>)", collectList)
    .option("--retention <policy>", "limits, interest or work (default limits)")
    .option("--discard <policy>", "old or new: what goes when a limit is reached (default old)")
    .option("--max-age <duration>", "keep messages this long: 1h, 7d, 90d, or unlimited (default)")
    .option("--max-bytes <size>", "keep at most this much: 500MB, 10GiB, or unlimited (default)")
    .option("--max-msgs <count>", "keep at most this many messages, or unlimited (default)")
    .option("--max-msgs-per-subject <count>", "keep at most this many messages per subject, or unlimited (default)")
    .option("--max-msg-size <size>", "largest message accepted: 1MiB, or unlimited (default)")
    .option("--dupe-window <duration>", "window for duplicate detection by Nats-Msg-Id (default 2m)")
    .option("--replicas <n>", "copies kept in a cluster, 1 to 5 (default 1)")
    .option("--description <text>", "a description shown by stream info")
    .option("--allow-direct", "allow direct get from any replica")
    .option("--no-allow-direct", "turn direct get off")
    .option("--deny-delete", "refuse deleting single messages through the API")
    .option("--no-deny-delete", "allow deleting single messages")
    .option("--deny-purge", "refuse purges through the API")
    .option("--no-deny-purge", "allow purges")
    .option("--metadata <key=value>", "metadata shown by stream info, repeatable; key= removes a key (nats-server 2.10+)", collectRepeat)
    .option("--compression <algorithm>", "none or s2: compress file storage (nats-server 2.10+)")
    .option("--transform-source <subject>", "with --transform-destination: rewrite the subjects of stored messages (nats-server 2.10+)")
    .option("--transform-destination <subject>", "the subject stored messages get, e.g. 'suricata.{{wildcard(1)}}'")
    .option("--allow-msg-ttl", "allow a per-message TTL (Nats-TTL header; nats-server 2.11+; cannot be turned off)")
    .option("--subject-del-markers-ttl <duration>", "leave a marker for this long when a subject's last message ages out (nats-server 2.11+)")
    .option("--allow-rollup", "allow roll-ups: a message with a Nats-Rollup header replaces the subject's or stream's earlier ones")
    .option("--no-allow-rollup", "refuse roll-ups")
    .option("--discard-per-subject", "discard new, per subject: refuse a message when its subject is at --max-msgs-per-subject")
    .option("--no-discard-per-subject", "discard new counts the whole stream again")
    .option("--allow-counter", "a distributed counter stream (Nats-Incr header; nats-server 2.12+; cannot be turned off)")
    .option("--allow-schedules", "allow message schedules (nats-server 2.12+)")
    .option("--no-allow-schedules", "refuse message schedules")
    .option("--allow-batch", "allow atomic batch publishing (nats-server 2.12+)")
    .option("--no-allow-batch", "refuse atomic batch publishing")
    .option("--config <file>", "JSON configuration as the API takes it (or `stream info --json` output); flags override it")
    .option("--json", "print the stream info API object");
  if (!edit) {
    cmd
      .option("--storage <type>", "file or memory (default file)")
      .option("--first-sequence <seq>", "the sequence of the first message stored (nats-server 2.10+)")
      .option("--source <stream>", "copy in another stream's messages: NAME[@DOMAIN][:FILTER[:DEST]] (repeatable; DEST needs 2.10+)", (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
      .option("--mirror <stream>", "be an exact copy of NAME[@DOMAIN] (stores no subjects of its own)");
  }
  return cmd;
}

function streamFlagsOf(opts: StreamConfigOpts): StreamFlags {
  const {
    subjects, storage, retention, discard, maxAge, maxBytes, maxMsgs, maxMsgsPerSubject, maxMsgSize, dupeWindow, replicas,
    description, allowDirect, denyDelete, denyPurge, metadata, compression, transformSource, transformDestination,
    allowMsgTtl, subjectDelMarkersTtl, allowRollup, discardPerSubject, firstSequence, allowCounter, allowSchedules, allowBatch,
  } = opts;
  return {
    subjects, storage, retention, discard, maxAge, maxBytes, maxMsgs, maxMsgsPerSubject, maxMsgSize, dupeWindow, replicas,
    description, allowDirect, denyDelete, denyPurge, metadata, compression, transformSource, transformDestination,
    allowMsgTtl, subjectDelMarkersTtl, allowRollup, discardPerSubject, firstSequence, allowCounter, allowSchedules, allowBatch,
  };
}

function registerAdd(stream: Command): void {
  addStreamConfigOptions(
    stream
      .command("add")
      .alias("create")
      .argument("[name]", "stream name (default suricata)")
      .description("create a stream with the NSM defaults; exits 0 if it already exists with the same configuration"),
    false,
  )
    .option("--defaults", "accept the defaults for everything not given; never prompt")
    .addHelpText(
      "after",
      "\nDefaults: name suricata, subjects suricata.>, file storage, limits retention, discard old, duplicate window 2m,\n" +
        "unlimited messages, bytes and age. On a terminal, missing settings are asked for (each question names its flag);\n" +
        "without one they take the defaults and a line on stderr says which.\n\n" +
        "Examples:\n  nsm4home stream add --defaults\n  nsm4home stream add --max-age 30d --max-bytes 20GiB --defaults\n  nsm4home stream add lab --subjects 'lab.>' --storage memory --defaults\n",
    )
    .action(addAction);
}

async function addAction(nameArg: string | undefined, opts: StreamConfigOpts, cmd: Command): Promise<void> {
  const streams = await import("../nats/streams/index.js");
  const { nsmStreamConfig, DEFAULT_STREAM_NAME } = await import("../nats/stream-defaults.js");
  const { streamPromptFields } = await import("../prompt/stream-fields.js");

  const flags = streamFlagsOf(opts) as StreamFlags & Record<string, unknown>;
  let name = nameArg;
  let base: Record<string, unknown>;
  if (opts.config !== undefined) {
    // A file says everything it wants; the server fills in the rest, as natscli does. No questions.
    base = streams.readConfigFile(opts.config);
    name ??= typeof base.name === "string" ? base.name : undefined;
    if (name === undefined) throw new UsageError(`the --config file ${opts.config} has no "name": give the stream NAME as an argument`);
  } else {
    const fields = streamPromptFields();
    const nameField = { key: "name", flag: "NAME", label: "Stream name", defaultText: DEFAULT_STREAM_NAME, check: (t: string) => void streams.checkStreamName(t) };
    const values: Record<string, unknown> = { ...flags, name };
    // --discard-per-subject answers the discard question: it is discard new, per subject.
    if (opts.discardPerSubject && values.discard === undefined) values.discard = "new";
    await askOrApplyDefaults([nameField, ...fields], values, opts.defaults);
    name = values.name as string;
    Object.assign(flags, values);
    base = nsmStreamConfig(name);
  }
  streams.checkStreamName(name);
  const { applySourceFlags, requireSourceFeatures } = await import("../nats/sources.js");
  const wanted = applySourceFlags({ ...streams.applyStreamFlags(base, flags), name } as import("../nats/streams/index.js").WantedStreamConfig, {
    source: opts.source,
    mirror: opts.mirror,
    subjectsGiven: opts.subjects !== undefined,
  });

  const { withJetStreamManager } = await import("../nats/admin.js");
  const { renderStreamInfo } = await import("../render/stream.js");
  const { renderChanges } = await import("../nats/config-diff.js");
  await withJetStreamManager(connectionFlagsOf(cmd), async ({ nc, jsm }) => {
    streams.requireStreamFeatures(nc, wanted);
    requireSourceFeatures(nc, wanted);
    const outcome = await streams.addStream(jsm, wanted);
    if (outcome.kind === "different") {
      const storage = outcome.changes.find((c) => c.field === "storage");
      const rest = outcome.changes.filter((c) => c.field !== "storage");
      const lines = [
        `stream '${name}' already exists with a different configuration; nothing was changed:`,
        renderChanges(outcome.changes, streams.showStreamValue).trimEnd(),
      ];
      if (rest.length > 0) lines.push("to apply it:", `  ${streams.streamEditCommand(name, rest, opts.config, streams.streamFlagsAsTyped(flags))}`);
      if (storage) lines.push(`the storage type cannot be changed in place: remove the stream (nsm4home stream rm ${name}) and add it again`);
      throw new RuntimeError(lines.join("\n"));
    }
    if (opts.json) {
      await printApiJson(outcome.info);
      return;
    }
    if (outcome.kind === "same") {
      process.stdout.write(`Stream ${name} already exists with the same configuration\n`);
      return;
    }
    process.stdout.write(`Stream ${name} was created\n\n` + renderStreamInfo(outcome.info));
  });
}

function registerEdit(stream: Command): void {
  addStreamConfigOptions(
    stream
      .command("edit")
      .alias("update")
      .argument("<name>", "stream name")
      .description("change a stream's settings: shows the change first; --dry-run only shows it"),
    true,
  )
    .option("--dry-run", "show the change and stop")
    .option("-f, --force", "do not ask for confirmation on a terminal")
    .action(editAction);
}

async function editAction(name: string, opts: StreamConfigOpts, cmd: Command): Promise<void> {
  const streams = await import("../nats/streams/index.js");
  const { diffConfig } = await import("../nats/config-diff.js");
  const flags = streamFlagsOf(opts);
  streams.checkStreamName(name);
  const given = Object.values(flags).some((v) => v !== undefined);
  if (!given && opts.config === undefined) {
    throw new UsageError("stream edit: nothing to change; give flags such as --max-age 7d or --max-bytes 10GiB, or --config FILE");
  }
  const fileConfig = opts.config !== undefined ? streams.readConfigFile(opts.config) : undefined;

  const { withJetStreamManager } = await import("../nats/admin.js");
  const { renderStreamInfo } = await import("../render/stream.js");
  await withJetStreamManager(connectionFlagsOf(cmd), async ({ nc, jsm }) => {
    const info = await streams.streamInfo(jsm, name);
    const base = { ...info.config, ...(fileConfig ?? {}), name };
    const wanted = streams.applyStreamFlags(base, flags);
    const changes = diffConfig(info.config, wanted, ["name"]);
    if (changes.length === 0) {
      if (opts.json) await printApiJson(info);
      else process.stdout.write(`Stream ${name} already has this configuration; nothing to change\n`);
      return;
    }
    const storage = changes.find((c) => c.field === "storage");
    if (storage) {
      throw new RuntimeError(
        `stream '${name}': the storage type cannot be changed in place (${String(storage.from)} → ${String(storage.to)}); remove the stream and add it again`,
      );
    }
    streams.requireStreamFeatures(nc, Object.fromEntries(changes.map((c) => [c.field, c.to])));
    await previewAndApply(
      {
        what: `stream ${name}`,
        command: "stream edit",
        current: info.config,
        changes,
        show: streams.showStreamValue,
        update: (changed) => streams.updateStream(jsm, name, changed),
        render: renderStreamInfo,
      },
      opts,
    );
  });
}

// ---------------------------------------------------------------------------------------------------------
// Info, ls, rm, purge: reading and removing.

function registerInfo(stream: Command): void {
  stream
    .command("info")
    .argument("<name>", "stream name")
    .description("configuration, limits, cluster (leader and replicas) and state of a stream")
    .option("--json", "print the stream info API object")
    .action(infoAction);
}

async function infoAction(name: string, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { streamInfo } = await import("../nats/streams/index.js");
  const { renderStreamInfo } = await import("../render/stream.js");
  const info = await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm }) => streamInfo(jsm, name));
  if (opts.json) await printApiJson(info);
  else process.stdout.write(renderStreamInfo(info));
}

function registerLs(stream: Command): void {
  stream
    .command("ls")
    .alias("list")
    .description("streams with their subjects, messages, bytes, last message and consumers")
    .option("--subject <subject>", "only streams that store this subject (wildcards allowed)")
    .option("-n, --names", "names only, one a line")
    .option("--json", "print the stream info API objects as a JSON array")
    .action(lsAction);
}

async function lsAction(opts: { subject?: string; names?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { listStreams, checkSubject } = await import("../nats/streams/index.js");
  const { sanitizeText } = await import("../text/sanitize.js");
  const { renderStreamTable } = await import("../render/stream.js");
  const { tableLayout } = await import("../render/table.js");
  if (opts.subject !== undefined) checkSubject(opts.subject, "--subject");
  const list = await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm }) => listStreams(jsm, opts.subject));
  if (opts.json) await printApiJson(list);
  else if (opts.names) process.stdout.write(list.map((s) => sanitizeText(s.config.name) + "\n").join(""));
  else process.stdout.write(renderStreamTable(list, tableLayout()));
}

function registerRm(stream: Command): void {
  stream
    .command("rm")
    .alias("delete")
    .argument("<name>", "stream name")
    .description("remove a stream and all its messages (asks on a terminal; -f to skip)")
    .option("-f, --force", "remove without asking (needed without a terminal)")
    .action(rmAction);
}

async function rmAction(name: string, opts: { force?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { deleteStream, streamInfo, checkStreamName } = await import("../nats/streams/index.js");
  const { formatCount } = await import("../text/units.js");
  checkStreamName(name);
  await withJetStreamManager(connectionFlagsOf(cmd), async ({ jsm }) => {
    const info = await streamInfo(jsm, name);
    await confirmDestructive(`remove stream ${name} and its ${formatCount(info.state.messages)} messages`, opts.force, "stream rm");
    await deleteStream(jsm, name);
    process.stdout.write(`Stream ${name} removed\n`);
  });
}

function registerPurge(stream: Command): void {
  stream
    .command("purge")
    .argument("<name>", "stream name")
    .description("delete messages and keep the stream: all, one subject, below a sequence, or all but the last N")
    .option("--subject <subject>", "only messages on this subject (wildcards allowed)")
    .option("--seq <n>", "only messages below this sequence")
    .option("--keep <n>", "keep the last N messages")
    .option("-f, --force", "purge without asking (needed without a terminal)")
    .option("--json", "print the API response")
    .action(purgeAction);
}

async function purgeAction(name: string, opts: { subject?: string; seq?: string; keep?: string; force?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { purgeOptions, purgeStream, streamInfo, checkStreamName } = await import("../nats/streams/index.js");
  const { formatCount } = await import("../text/units.js");
  checkStreamName(name);
  const request = purgeOptions(opts);
  await withJetStreamManager(connectionFlagsOf(cmd), async ({ jsm }) => {
    const info = await streamInfo(jsm, name);
    const scope = [
      opts.subject !== undefined ? `on ${opts.subject}` : "",
      opts.seq !== undefined ? `below sequence ${opts.seq}` : "",
      opts.keep !== undefined ? `except the last ${opts.keep}` : "",
    ].filter(Boolean);
    const what = `purge ${scope.length ? "messages " + scope.join(" ") : `all ${formatCount(info.state.messages)} messages`} from stream ${name}`;
    await confirmDestructive(what, opts.force, "stream purge");
    const res = await purgeStream(jsm, name, request);
    if (opts.json) await printApiJson(res);
    else process.stdout.write(`Purged ${formatCount(res.purged)} messages from stream ${name}\n`);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Backup and restore: natscli's backup directories.

interface BackupOpts {
  consumers?: boolean;
  check?: boolean;
  chunkSize?: string;
  force?: boolean;
  progress?: boolean;
  json?: boolean;
}

function registerBackup(stream: Command): void {
  stream
    .command("backup")
    .alias("snapshot")
    .argument("<name>", "stream name")
    .argument("<dir>", "directory for backup.json and the archive (made when missing; must be empty)")
    .description("back up a stream into a directory, as natscli does: 'nats stream restore' reads it, and so does 'stream restore'")
    .option("--no-consumers", "leave the consumers out (their configuration and positions are in by default, as in natscli)")
    .option("--check", "have the server check every message's checksum first (slow on a large stream)")
    .option("--chunk-size <size>", "size of the chunks the server sends: 1KiB to 1MiB (default 128KiB)")
    .option("-f, --force", "replace a backup already in DIR, once the new one is complete (other files stay)")
    .option("--no-progress", "no progress line on the terminal")
    .option("--json", "print the result as JSON: stream, messages, bytes, first_seq, last_seq, files, dir, ...")
    .addHelpText(
      "after",
      "\nThe directory holds backup.json (the stream's configuration and state) and the compressed archive the server\n" +
        "sends: stream.tar.s2 from nats-server before 2.15, stream.arc.s2 from 2.15 on (natscli v0.5.0 names them so).\n" +
        "A backup that fails or is interrupted leaves nothing behind. File storage only.\n\n" +
        "Examples:\n  nsm4home stream backup suricata /mnt/usb/suricata-$(date +%F)\n  nsm4home stream backup suricata ./bk --json\n",
    )
    .action(backupAction);
}

async function backupAction(name: string, dir: string, opts: BackupOpts, cmd: Command): Promise<void> {
  const { checkStreamName } = await import("../nats/streams/index.js");
  const { backupStream } = await import("../nats/backup/index.js");
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { progressLine } = await import("../render/progress-line.js");
  const { backupProgressText, renderBackupResult } = await import("../render/backup.js");
  const { parseSize, formatBytes, formatCount } = await import("../text/units.js");
  const { sanitizeText } = await import("../text/sanitize.js");
  checkStreamName(name);
  let chunkSize: number | undefined;
  if (opts.chunkSize !== undefined) {
    chunkSize = parseSize(opts.chunkSize, "--chunk-size");
    if (chunkSize < 1024 || chunkSize > 1024 * 1024) throw new UsageError(`invalid --chunk-size '${opts.chunkSize}': use 1KiB to 1MiB`);
  }
  const line = progressLine(process.stderr, { enabled: opts.progress !== false });
  const interrupt = abortOnSignals();
  try {
    const result = await withJetStreamManager(connectionFlagsOf(cmd), ({ nc, jsm, resolved }) =>
      backupStream(nc, jsm, name, {
        dir,
        force: opts.force,
        consumers: opts.consumers,
        check: opts.check,
        chunkSize,
        timeoutMs: resolved.timeoutMs,
        inboxPrefix: resolved.inboxPrefix,
        signal: interrupt.signal,
        onStart: (s) => {
          process.stderr.write(`nsm4home: backing up stream ${name} (${formatCount(s.messages)} messages, ${formatBytes(s.bytes)}) to ${sanitizeText(dir)}\n`);
        },
        onProgress: (p) => line.update(backupProgressText(name, p.chunks, p.bytes)),
      }),
    );
    line.clear();
    if (opts.json) printJson(result);
    else process.stdout.write(renderBackupResult(result));
  } finally {
    line.clear();
    interrupt.release();
  }
}

interface RestoreOpts {
  name?: string;
  subjects?: string[];
  replicas?: string;
  progress?: boolean;
  json?: boolean;
}

function registerRestore(stream: Command): void {
  stream
    .command("restore")
    .argument("<dir>", "directory of a backup, made by 'stream backup' or 'nats stream backup'")
    .description("restore a stream from a backup directory, then check it holds what backup.json recorded")
    .option("--name <name>", "restore under another name (backups from nats-server 2.15+); with the original there, give --subjects too")
    .option("--subjects <subjects>", "subjects the restored stream takes instead of the backup's, repeatable or comma separated", collectList)
    .option("--replicas <n>", "copies kept in a cluster instead of the backup's (1 to restore a clustered stream on one server)")
    .option("--no-progress", "no progress line on the terminal")
    .option("--json", "print the result as JSON: stream, messages, bytes, first_seq, last_seq, files, dir, check, ...")
    .addHelpText(
      "after",
      "\nThe stream must not exist yet. Afterwards its messages, bytes and first and last sequence are compared with\n" +
        "backup.json: exit 1 if they differ (more messages at the end are fine: they came in while the backup ran).\n" +
        "A restore that fails removes the part of the stream it made.\n\n" +
        "Examples:\n  nsm4home stream restore /mnt/usb/suricata-2024-05-01\n" +
        "  nsm4home stream restore ./bk --name suricata_copy --subjects 'copy.>'    # beside the original (2.15+)\n",
    )
    .action(restoreAction);
}

async function restoreAction(dir: string, opts: RestoreOpts, cmd: Command): Promise<void> {
  const { checkStreamName, checkSubject, parseReplicas } = await import("../nats/streams/index.js");
  const { readBackupDir, restoreBackup } = await import("../nats/backup/index.js");
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { progressLine } = await import("../render/progress-line.js");
  const { restoreProgressText, renderRestoreResult } = await import("../render/backup.js");
  const { formatBytes, formatCount } = await import("../text/units.js");
  const { sanitizeText } = await import("../text/sanitize.js");
  if (opts.name !== undefined) checkStreamName(opts.name);
  const subjects = opts.subjects?.map((s) => checkSubject(s, "--subjects"));
  if (subjects !== undefined && subjects.length === 0) throw new UsageError("invalid --subjects: give at least one subject, e.g. --subjects 'copy.>'");
  const replicas = opts.replicas !== undefined ? parseReplicas(opts.replicas) : undefined;
  const backup = readBackupDir(dir);
  const line = progressLine(process.stderr, { enabled: opts.progress !== false });
  const interrupt = abortOnSignals();
  let total = 1;
  try {
    const result = await withJetStreamManager(connectionFlagsOf(cmd), ({ nc, jsm, resolved }) =>
      restoreBackup(nc, jsm, backup, {
        name: opts.name,
        subjects,
        replicas,
        timeoutMs: resolved.timeoutMs,
        signal: interrupt.signal,
        onStart: (s) => {
          total = s.chunks;
          const { recorded } = backup.meta;
          const from = s.stream !== backup.meta.config.name ? ` (a backup of ${backup.meta.config.name})` : "";
          process.stderr.write(
            `nsm4home: restoring stream ${s.stream}${from} from ${sanitizeText(dir)} (${formatCount(recorded.messages)} messages, ${formatBytes(recorded.bytes)}; ${backup.dataFile} ${formatBytes(s.bytes)})\n`,
          );
        },
        onProgress: (p) => line.update(restoreProgressText(p.chunks, total, p.bytes, backup.dataBytes)),
        onSent: () => line.update(`Restoring: all ${formatBytes(backup.dataBytes)} sent; the server is rebuilding the stream`, true),
      }),
    );
    line.clear();
    if (opts.json) printJson(result);
    else process.stdout.write(renderRestoreResult(result));
    if (!result.check.same && !result.check.grew) {
      throw new RuntimeError(`stream restore ${result.stream}: the restored stream is not what backup.json recorded: ${result.check.differences.join("; ")}`);
    }
  } finally {
    line.clear();
    interrupt.release();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Subjects, get, view: what the stream holds.

function registerSubjects(stream: Command): void {
  stream
    .command("subjects")
    .argument("<name>", "stream name")
    .argument("[filter]", "only subjects matching this (e.g. 'suricata.*'); default all")
    .description("messages per subject, most first, and how old each one's oldest message is: a census of event types")
    .option("--json", "print [{subject, messages, oldest}] as JSON (oldest: when it was stored)")
    .action(subjectsAction);
}

async function subjectsAction(name: string, filter: string | undefined, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { subjectCounts } = await import("../nats/streams/index.js");
  const { renderSubjectCounts } = await import("../render/stream.js");
  const { tableLayout } = await import("../render/table.js");
  const counts = await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm }) => subjectCounts(jsm, name, filter));
  if (opts.json) {
    const { toSafeJson } = await import("../text/sanitize.js");
    process.stdout.write(toSafeJson(counts) + "\n");
  } else process.stdout.write(renderSubjectCounts(counts, tableLayout()));
}

function registerGet(stream: Command): void {
  addMessageStyleOptions(
    stream
      .command("get")
      .argument("<name>", "stream name")
      .argument("[seq]", "sequence of the message")
      .description("one stored message: a header line (time, subject, sequence) and the formatted event")
      .option("--last-for <subject>", "the last message stored on this subject instead of a sequence")
      .option("--raw", "the payload exactly as stored, nothing added after it (on a terminal: escaped, one line)")
      .option("--json", "one JSON line: seq, subject, time, headers and the event"),
  ).action(getAction);
}

async function getAction(name: string, seqText: string | undefined, opts: MessageOutputFlags & { lastFor?: string }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { getStreamMessage, checkSubject } = await import("../nats/streams/index.js");
  const { parseCount } = await import("../text/units.js");
  const { renderMessage } = await import("../render/message.js");
  if ((seqText === undefined) === (opts.lastFor === undefined)) {
    throw new UsageError("stream get: give a sequence (stream get NAME 42) or --last-for SUBJECT, one of the two");
  }
  const seq = seqText !== undefined ? parseCount(seqText, "SEQ") : undefined;
  if (seq !== undefined && seq < 1) throw new UsageError(`invalid SEQ '${seqText}': sequences start at 1`);
  const query = seq !== undefined ? { seq } : { lastFor: checkSubject(opts.lastFor!, "--last-for") };
  const out = await messageOutputOf(opts);
  const msg = await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm }) => getStreamMessage(jsm, name, query));
  // A stored message calls its headers `header`.
  const view = { seq: msg.seq, subject: msg.subject, time: msg.time, data: msg.data, headers: msg.header };
  for (const chunk of renderMessage(view, out.mode, { ...out, header: true, exact: true, extra: { stream: name } })) process.stdout.write(chunk);
}

interface ViewOpts extends MessageOutputFlags, EventExpressionFlags {
  since?: string;
  seq?: string;
  last?: string;
  subject?: string[];
  count?: string;
  envelope?: boolean;
  headers?: boolean;
}

function registerView(stream: Command): void {
  const view = stream
    .command("view")
    .argument("<name>", "stream name")
    .description("print stored messages from a point to the end of the stream (works on a pipe)")
    .option("--since <when>", "from this long ago (1h, 7d) or this time (RFC 3339)")
    .option("--seq <n>", "from this sequence")
    .option("--last <n>", "the last N (matching) messages")
    .option("--subject <subject>", "only this subject, repeatable", collectList)
    .option("--count <n>", "stop after N messages (shown, with --filter)");
  addEventExpressionOptions(view)
    .option("--raw", "payloads exactly as stored, one a line")
    .option("--json", "each event as one line of compact JSON, as tail --json prints it")
    .option("--envelope", "JSON lines of seq, subject, time, headers and the event (what --json printed before)")
    .option("--headers", "show each message's NATS headers (Nats-Msg-Id, ...) on lines of their own before the event");
  addMessageStyleOptions(view)
    .addHelpText(
      "after",
      "\nWithout --since/--seq/--last it starts at the first message. It stops at the end of the stream; use `tail` to follow.\n" +
        "--json prints the event itself, so a jq line written for `tail --json` works here too; --envelope keeps where\n" +
        "each message is (seq, subject, time) and its headers around it. --filter and --select are tail's.\n\n" +
        "Examples:\n  nsm4home stream view suricata --subject suricata.alert --since 1h\n" +
        "  nsm4home stream view suricata --subject suricata.dns --filter \"dns.type == 'query'\" --select dns.rrname --bare\n",
    )
    .action(viewAction);
}

/** `stream view`'s output mode from its flags, refusing the combinations that mean two things at once. */
function viewModeOf(opts: ViewOpts): "envelope" | "select" | "json" | "raw" | "pretty" {
  if (opts.raw && (opts.json || opts.envelope || opts.select !== undefined)) throw new UsageError("--raw prints payloads as stored: it cannot be combined with --json or --select");
  if (opts.select !== undefined && opts.envelope) throw new UsageError("--select prints its projection alone: leave out --envelope (or select the fields you need)");
  if (opts.headers && (opts.raw || opts.json || opts.envelope || opts.select !== undefined)) {
    throw new UsageError("--headers shows headers in the text view: leave out --raw, --json and --select (--envelope carries them in JSON)");
  }
  return opts.envelope ? "envelope" : opts.select !== undefined ? "select" : opts.json ? "json" : opts.raw ? "raw" : "pretty";
}

/** `stream view`: a bounded replay through the shared event source (ordered consumers, 2.9 multi-subject merge). */
async function viewAction(name: string, opts: ViewOpts, cmd: Command): Promise<void> {
  const streams = await import("../nats/streams/index.js");
  const { parseCount } = await import("../text/units.js");
  streams.checkStreamName(name);
  // The same start flags, parsed the same way, as tail's (--seq 0 is refused: sequences start at 1).
  const start = replayStartOf(opts) ?? { kind: "all" };
  const filter = (opts.subject ?? []).map((s) => streams.checkSubject(s, "--subject"));
  const count = opts.count !== undefined ? parseCount(opts.count, "--count") : undefined;
  const mode = viewModeOf(opts);
  const expressions = await compileEventExpressions(opts);
  const out = await messageOutputOf(opts);
  if (opts.json && !opts.envelope && process.stderr.isTTY) {
    process.stderr.write("nsm4home: --json prints each event as tail --json does; --envelope gives the earlier {seq, subject, time, headers, event} lines\n");
  }

  const { resolveConnectionOptions, connectNats } = await import("../nats/connection/index.js");
  const { openJetStreamManager } = await import("../nats/jetstream.js");
  const { openEventSource } = await import("../nats/event-source/index.js");
  const { LineWriter } = await import("../render/line-writer.js");
  const { EventOutput } = await import("../render/event-output.js");
  const { sanitizeText } = await import("../text/sanitize.js");
  const resolved = resolveConnectionOptions(connectionFlagsOf(cmd));
  const nc = await connectNats(resolved, { name: "nsm4home stream view", onStatus: null });
  try {
    const info = await streams.streamInfo(await openJetStreamManager(nc, resolved), name);
    if (count === 0 || (start.kind === "last" && start.count === 0)) return;
    // Without --subject: everything the stream stores (a mirror or sourced stream has no subjects of its own).
    const subjects = filter.length > 0 ? filter : info.config.subjects?.length ? info.config.subjects : [">"];
    // `stream view | head` is a reader saying "enough": leave quietly.
    const writer = new LineWriter({ onClose: () => process.exit(process.exitCode ?? 0) });
    const output = new EventOutput(writer, {
      mode,
      color: out.color,
      timestamps: out.timestamps,
      ...(out.width !== undefined ? { width: out.width } : {}),
      toTerminal: out.toTerminal,
      headers: opts.headers === true,
      seqColumn: String(info.state.last_seq).length,
      envelopeExtra: { stream: name },
      ...expressions,
      bare: opts.bare === true,
      onFirstInvalid: (subject, reason) =>
        process.stderr.write(`nsm4home: skipping messages that are not JSON events (first on ${sanitizeText(subject)}: ${reason})\n`),
    });
    let reachedCount: () => void = () => undefined;
    const countReached = new Promise<void>((resolve) => (reachedCount = resolve));
    const onMessage = (m: import("../nats/event-source/index.js").SourceMessage): void => {
      if (count !== undefined && output.counts.shown >= count) return;
      if (output.write(m) && count !== undefined && output.counts.shown >= count) reachedCount();
    };
    const source = await openEventSource(nc, resolved, {
      subjects,
      start,
      follow: false,
      streamName: name,
      onMessage,
      headers: mode === "envelope" || opts.headers === true,
      onStatus: (line) => process.stderr.write(`nsm4home: ${sanitizeText(line)}\n`),
      backlog: () => writer.backlog(),
    });
    try {
      await Promise.race([source.done, countReached]);
    } finally {
      await source.stop();
      await writer.drain();
    }
    for (const problem of expressions.problems()) process.stderr.write(`nsm4home: ${sanitizeText(problem)}\n`);
  } finally {
    await nc.close().catch(() => undefined);
  }
  await flushStdout();
}
