// `consumer`: durable readers of a stream (natscli's `nats consumer`, made scriptable): add (idempotent), info,
// ls, edit, rm, and reading through one with `next` (a fixed count) or `sub` (until interrupted), acking as it prints.
// `register` lists the subcommands in the order `--help` shows them; below it, each subcommand's flags
// (`registerAdd`, ...) and then its action (`addAction`, ...).
import type { Command } from "commander";
import { RuntimeError, UsageError } from "../errors.js";
import { oldSpelling } from "./old-spellings.js";
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
} from "./shared.js";
import type { ConsumerFlags } from "../nats/consumers/index.js";
import type { MessageOutputFlags } from "../render/message.js";

export function register(program: Command): void {
  const consumer = program
    .command("consumer")
    .alias("con")
    .description("JetStream consumers: add (idempotent), info, ls, edit, pause, resume, unpin, rm, next, sub");
  registerAdd(consumer);
  registerInfo(consumer);
  registerLs(consumer);
  registerEdit(consumer);
  registerPause(consumer);
  registerResume(consumer);
  registerUnpin(consumer);
  registerRm(consumer);
  registerNext(consumer);
  registerSub(consumer);
}

// ---------------------------------------------------------------------------------------------------------
// Add and edit: the consumer's configuration from flags, a --config file, or prompts.

interface ConsumerConfigOpts extends ConsumerFlags {
  pull?: boolean;
  ephemeral?: boolean;
  config?: string;
  defaults?: boolean;
  json?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

function addConsumerConfigOptions(cmd: Command): Command {
  return cmd
    .option("--target <subject>", "deliver to this subject: a push consumer (default: pull)")
    .option("--deliver-group <group>", "push: only subscribers in this queue group receive")
    .option("--heartbeat <duration>", "push: idle heartbeat interval, e.g. 5s")
    .option("--flow-control", "push: flow control (needs --heartbeat)")
    .option("--no-flow-control", "push: no flow control")
    .option("--deliver <start>", "all (default), new, last, last-per-subject, a duration like 1h, a sequence, or an RFC 3339 time")
    .option("--ack <policy>", "explicit (default), none or all")
    .option("--replay <policy>", "instant (default) or original (at the pace they were stored)")
    .option("--subject <subject>", "only these subjects, repeatable (several need nats-server 2.10)", collectList)
    .addOption(oldSpelling("--filter <subject>", "--subject", "--filter is a JMESPath condition in tail, stream view and tui", collectList))
    .option("--max-deliver <n>", "deliveries of a message before giving up, or unlimited (default)")
    .option("--max-pending <n>", "unacknowledged messages outstanding at most (server default 1,000)")
    .option("--wait <duration>", "ack wait: redeliver when no ack within this (server default 30s)")
    .option("--max-waiting <n>", "pull: outstanding pull requests at most (server default 512)")
    .option("--inactive-threshold <duration>", "remove the consumer after this long without activity")
    .option("--description <text>", "a description shown by consumer info")
    .option("--metadata <key=value>", "metadata shown by consumer info, repeatable; key= removes a key (nats-server 2.10+)", collectRepeat)
    .option("--pause-until <when>", "deliver nothing until then: a duration from now (2h) or an RFC 3339 time (nats-server 2.11+)")
    .option("--pinned-groups <groups>", "pull: priority groups whose messages go to one pinned client, repeatable or comma separated (nats-server 2.11+)", collectList)
    .option("--pinned-ttl <duration>", "with --pinned-groups: how long a pinned client may go without pulling before another is pinned")
    .option("--overflow-groups <groups>", "pull: priority groups served only past a pending threshold the client sets (nats-server 2.11+)", collectList)
    .option("--prioritized-groups <groups>", "pull: priority groups served by the client asking with the highest priority (nats-server 2.12+)", collectList)
    .option("--backoff <mode>", "linear: redeliver unacknowledged messages after growing waits (natscli's); none: remove them")
    .option("--backoff-steps <n>", "with --backoff linear: how many waits (default 10; --max-deliver defaults to one more)")
    .option("--backoff-min <duration>", "with --backoff linear: the first wait (default 1m)")
    .option("--backoff-max <duration>", "with --backoff linear: the waits grow towards this (default 20m)")
    .option("--config <file>", "JSON consumer configuration as the API takes it (or `consumer info --json` output)")
    .option("--json", "print the consumer info API object");
}

function consumerFlagsOf(opts: ConsumerConfigOpts): ConsumerFlags {
  const {
    target, deliverGroup, heartbeat, flowControl, deliver, ack, replay, subject, maxDeliver, maxPending, wait, maxWaiting,
    inactiveThreshold, description, metadata, pauseUntil, pinnedGroups, pinnedTtl, overflowGroups, prioritizedGroups,
    backoff, backoffSteps, backoffMin, backoffMax,
  } = opts;
  return {
    target, deliverGroup, heartbeat, flowControl, deliver, ack, replay, subject, maxDeliver, maxPending, wait, maxWaiting,
    inactiveThreshold, description, metadata, pauseUntil, pinnedGroups, pinnedTtl, overflowGroups, prioritizedGroups,
    backoff, backoffSteps, backoffMin, backoffMax,
  };
}

function registerAdd(consumer: Command): void {
  addConsumerConfigOptions(
    consumer
      .command("add")
      .alias("create")
      .argument("<stream>", "stream name")
      .argument("[name]", "consumer name (durable)")
      .description("create a consumer: pull unless --target; exits 0 if it already exists with the same configuration"),
  )
    .option("--pull", "a pull consumer (the default; answers the --target question)")
    .option("--ephemeral", "a consumer that the server removes after --inactive-threshold without use")
    .option("--defaults", "accept the defaults for everything not given; never prompt")
    .addHelpText(
      "after",
      "\nDefaults: pull, deliver all, ack explicit, replay instant, no filter, unlimited deliveries. On a terminal,\n" +
        "missing settings are asked for (each question names its flag); without one the defaults apply.\n\n" +
        "Examples:\n  nsm4home consumer add suricata alerts --subject suricata.alert --defaults\n  nsm4home consumer add suricata live --target sensors.live --deliver new --ack none --defaults\n",
    )
    .action(addAction);
}

async function addAction(stream: string, nameArg: string | undefined, opts: ConsumerConfigOpts, cmd: Command): Promise<void> {
  const consumers = await import("../nats/consumers/index.js");
  const { checkStreamName } = await import("../nats/streams/index.js");
  const { consumerPromptFields } = await import("../prompt/consumer-fields.js");
  checkStreamName(stream);
  if (opts.pull && opts.target !== undefined) throw new UsageError("--pull and --target do not go together: a consumer is pull or push");

  const flags = consumerFlagsOf(opts) as ConsumerFlags & Record<string, unknown>;
  let name = nameArg;
  let base: Record<string, unknown>;
  if (opts.config !== undefined) {
    base = consumers.readConsumerConfigFile(opts.config);
    const fromFile = (base.durable_name ?? base.name) as string | undefined;
    name ??= typeof fromFile === "string" && fromFile !== "" ? fromFile : undefined;
    delete base.name;
    delete base.durable_name;
  } else {
    if (opts.pull) flags.target = "";
    const fields = consumerPromptFields();
    const nameField = { key: "name", flag: "NAME", label: "Consumer name", defaultText: "", check: (t: string) => void consumers.checkConsumerName(t) };
    const values: Record<string, unknown> = { ...flags, name };
    await askOrApplyDefaults(opts.ephemeral ? fields : [nameField, ...fields], values, opts.defaults);
    name = values.name as string | undefined;
    if (values.target === "") values.target = undefined;
    Object.assign(flags, values);
    base = consumers.defaultConsumerConfig();
  }
  if (name === undefined && !opts.ephemeral) throw new UsageError("consumer add: give the consumer NAME (or --ephemeral for one that goes away when idle)");
  if (name !== undefined) consumers.checkConsumerName(name);
  const built = consumers.applyConsumerFlags(base, flags);

  const { withJetStreamManager } = await import("../nats/admin.js");
  const { renderConsumerInfo } = await import("../render/consumer.js");
  const { renderChanges } = await import("../nats/config-diff.js");
  await withJetStreamManager(connectionFlagsOf(cmd), async ({ nc, jsm }) => {
    consumers.requireConsumerFeatures(nc, built.config);
    const outcome = await consumers.addConsumer(jsm, stream, built.config, { name, ephemeral: opts.ephemeral, ignore: built.ignore });
    if (outcome.kind === "different") {
      throw new RuntimeError(
        [
          `consumer '${name}' on stream '${stream}' already exists with a different configuration; nothing was changed:`,
          renderChanges(outcome.changes, consumers.showConsumerValue).trimEnd(),
          "to apply it (the server refuses changes to the delivery start, ack policy and kind):",
          `  ${consumers.consumerEditCommand(stream, name!, outcome.changes, opts.config)}`,
        ].join("\n"),
      );
    }
    if (opts.json) return printApiJson(outcome.info);
    if (outcome.kind === "same") {
      process.stdout.write(`Consumer ${stream} > ${outcome.info.name} already exists with the same configuration\n`);
      return;
    }
    process.stdout.write(`Consumer ${stream} > ${outcome.info.name} was created\n\n` + renderConsumerInfo(outcome.info));
  });
}

function registerEdit(consumer: Command): void {
  addConsumerConfigOptions(
    consumer
      .command("edit")
      .alias("update")
      .argument("<stream>", "stream name")
      .argument("<name>", "consumer name")
      .description("change a consumer's settings: shows the change first; --dry-run only shows it"),
  )
    .option("--dry-run", "show the change and stop")
    .option("-f, --force", "do not ask for confirmation on a terminal")
    .action(editAction);
}

async function editAction(stream: string, name: string, opts: ConsumerConfigOpts, cmd: Command): Promise<void> {
  const consumers = await import("../nats/consumers/index.js");
  const { diffConfig } = await import("../nats/config-diff.js");
  const flags = consumerFlagsOf(opts);
  const given = Object.values(flags).some((v) => v !== undefined);
  if (!given && opts.config === undefined) {
    throw new UsageError("consumer edit: nothing to change; give flags such as --wait 1m or --max-deliver 5, or --config FILE");
  }
  const fileConfig = opts.config !== undefined ? consumers.readConsumerConfigFile(opts.config) : undefined;
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { renderConsumerInfo } = await import("../render/consumer.js");
  await withJetStreamManager(connectionFlagsOf(cmd), async ({ nc, jsm }) => {
    const ci = await consumers.consumerInfo(jsm, stream, name);
    const built = consumers.applyConsumerFlags({ ...ci.config, ...(fileConfig ?? {}) }, flags);
    const changes = diffConfig(ci.config, built.config, ["name", "durable_name"]);
    if (changes.length === 0) {
      if (opts.json) await printApiJson(ci);
      else process.stdout.write(`Consumer ${stream} > ${name} already has this configuration; nothing to change\n`);
      return;
    }
    consumers.requireConsumerFeatures(nc, built.config);
    await previewAndApply(
      {
        what: `consumer ${stream} > ${name}`,
        command: "consumer edit",
        current: ci.config,
        changes,
        show: consumers.showConsumerValue,
        update: (changed) => consumers.updateConsumer(jsm, stream, name, changed, ci.config),
        render: renderConsumerInfo,
      },
      opts,
    );
  });
}

// ---------------------------------------------------------------------------------------------------------
// Info, ls, pause, resume, rm: reading, pausing and removing.

function registerInfo(consumer: Command): void {
  consumer
    .command("info")
    .argument("<stream>", "stream name")
    .argument("<name>", "consumer name")
    .description("configuration and state: last delivered, ack floor, outstanding acks, redelivered, unprocessed, waiting pulls")
    .option("--json", "print the consumer info API object")
    .action(infoAction);
}

async function infoAction(stream: string, name: string, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { consumerInfo } = await import("../nats/consumers/index.js");
  const { renderConsumerInfo } = await import("../render/consumer.js");
  const ci = await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm }) => consumerInfo(jsm, stream, name));
  if (opts.json) await printApiJson(ci);
  else process.stdout.write(renderConsumerInfo(ci));
}

function registerLs(consumer: Command): void {
  consumer
    .command("ls")
    .alias("list")
    .argument("<stream>", "stream name")
    .description("the consumers of a stream with their mode, filter, and progress")
    .option("-n, --names", "names only, one a line")
    .option("--json", "print the consumer info API objects as a JSON array")
    .action(lsAction);
}

async function lsAction(stream: string, opts: { names?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { listConsumers } = await import("../nats/consumers/index.js");
  const { sanitizeText } = await import("../text/sanitize.js");
  const { renderConsumerTable } = await import("../render/consumer.js");
  const { tableLayout } = await import("../render/table.js");
  const list = await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm }) => listConsumers(jsm, stream));
  if (opts.json) await printApiJson(list);
  else if (opts.names) process.stdout.write(list.map((c) => sanitizeText(c.name) + "\n").join(""));
  else process.stdout.write(renderConsumerTable(list, tableLayout()));
}

function registerPause(consumer: Command): void {
  consumer
    .command("pause")
    .argument("<stream>", "stream name")
    .argument("<name>", "consumer name")
    .argument("<until>", "a duration from now (2h) or an RFC 3339 time")
    .description("stop a consumer delivering until a later time (nats-server 2.11+); `consumer resume` ends it early")
    .option("--json", "print the server's answer")
    .action(pauseAction);
}

async function pauseAction(stream: string, name: string, untilText: string, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { parsePauseUntil, pauseConsumer } = await import("../nats/consumers/index.js");
  const { formatLocalTime } = await import("../text/time.js");
  const until = parsePauseUntil(untilText, "UNTIL");
  const answer = await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm, nc }) => pauseConsumer(jsm, nc, stream, name, until));
  if (opts.json) await printApiJson(answer);
  else process.stdout.write(`Consumer ${stream} > ${name} paused until ${formatLocalTime(answer.pause_until ?? until.toISOString())}\n`);
}

function registerResume(consumer: Command): void {
  consumer
    .command("resume")
    .argument("<stream>", "stream name")
    .argument("<name>", "consumer name")
    .description("let a paused consumer deliver again now (nats-server 2.11+)")
    .option("--json", "print the server's answer")
    .action(resumeAction);
}

async function resumeAction(stream: string, name: string, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { resumeConsumer } = await import("../nats/consumers/index.js");
  const answer = await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm, nc }) => resumeConsumer(jsm, nc, stream, name));
  if (opts.json) await printApiJson(answer);
  else process.stdout.write(`Consumer ${stream} > ${name} resumed\n`);
}

function registerUnpin(consumer: Command): void {
  consumer
    .command("unpin")
    .argument("<stream>", "stream name")
    .argument("<name>", "pinned client consumer name")
    .argument("<group>", "priority group")
    .description("release the client pinned to a priority group, so the next pull pins another (nats-server 2.11+)")
    .action(unpinAction);
}

async function unpinAction(stream: string, name: string, group: string, _opts: unknown, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { unpinConsumer } = await import("../nats/consumers/index.js");
  const { sanitizeText } = await import("../text/sanitize.js");
  const pinned = await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm, nc }) => unpinConsumer(jsm, nc, stream, name, group));
  const who = pinned ? `client ${sanitizeText(pinned)}` : "no client (none was pinned)";
  process.stdout.write(`Unpinned ${who} from priority group ${stream} > ${name} > ${sanitizeText(group)}\n`);
}

function registerRm(consumer: Command): void {
  consumer
    .command("rm")
    .alias("delete")
    .argument("<stream>", "stream name")
    .argument("<name>", "consumer name")
    .description("remove a consumer (asks on a terminal; -f to skip)")
    .option("-f, --force", "remove without asking (needed without a terminal)")
    .action(rmAction);
}

async function rmAction(stream: string, name: string, opts: { force?: boolean }, cmd: Command): Promise<void> {
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { deleteConsumer, consumerInfo } = await import("../nats/consumers/index.js");
  await withJetStreamManager(connectionFlagsOf(cmd), async ({ jsm }) => {
    await consumerInfo(jsm, stream, name);
    await confirmDestructive(`remove consumer ${stream} > ${name}`, opts.force, "consumer rm");
    await deleteConsumer(jsm, stream, name);
    process.stdout.write(`Consumer ${stream} > ${name} removed\n`);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Next and sub: reading through a consumer, each message acknowledged once stdout has taken it.

interface ReadOpts extends MessageOutputFlags {
  count?: string;
  group?: string;
  ack?: boolean;
  nak?: boolean;
  term?: boolean;
}

function addReadOptions(cmd: Command): Command {
  return addMessageStyleOptions(
    cmd
      .option("--group <name>", "pull in this priority group (consumers made with --pinned-groups, --overflow-groups, ...)")
      .option("--no-ack", "do not acknowledge (the messages are redelivered after the ack wait)")
      .option("--nak", "negatively acknowledge each message: redeliver it now")
      .option("--term", "terminate each message: never deliver it again")
      .option("--raw", "payloads exactly as stored, one a line")
      .option("--json", "one JSON line per message, with delivery details"),
  );
}

/** Output settings and the ack action shared by `next` and `sub`. */
async function readSettings(opts: ReadOpts) {
  const output = await messageOutputOf(opts);
  const actions = [opts.ack === false ? "--no-ack" : "", opts.nak ? "--nak" : "", opts.term ? "--term" : ""].filter(Boolean);
  if (actions.length > 1) throw new UsageError(`${actions.join(" and ")} do not go together: choose what happens to each message once`);
  const action: import("../nats/consumers/index.js").AckAction = opts.ack === false ? "none" : opts.nak ? "nak" : opts.term ? "term" : "ack";
  return { ...output, action };
}

/** Writes the message and resolves once stdout has taken it: only then is it acknowledged. */
async function writeMessage(
  m: import("@nats-io/jetstream").JsMsg,
  stream: string,
  consumer: string,
  settings: Awaited<ReturnType<typeof readSettings>>,
): Promise<void> {
  const { renderMessage } = await import("../render/message.js");
  const delivery = { deliveryCount: m.info.deliveryCount, consumerSeq: m.info.deliverySequence, pending: m.info.pending };
  const chunks = renderMessage(m, settings.mode, {
    ...settings,
    header: true,
    delivery,
    extra: { stream, consumer, delivery_count: delivery.deliveryCount, consumer_seq: delivery.consumerSeq, pending: delivery.pending },
  });
  await new Promise<void>((resolve, reject) => {
    chunks.forEach((c, i) => (i === chunks.length - 1 ? process.stdout.write(c, (err) => (err ? reject(err) : resolve())) : process.stdout.write(c)));
  });
}

function registerNext(consumer: Command): void {
  addReadOptions(
    consumer
      .command("next")
      .argument("<stream>", "stream name")
      .argument("<name>", "pull consumer name")
      .description("fetch the next messages of a pull consumer, each acknowledged after it is written")
      .option("--count <n>", "messages to fetch", "1")
      .addOption(oldSpelling("--wait <duration>", "--timeout", "--wait is the ack wait in consumer add and edit, as in natscli")),
  )
    .addHelpText(
      "after",
      "\nEach message: a header `[time] subj / tries / cons seq / str seq / pending`, then the event.\n" +
        "Exits 0 when --count messages came, 1 when one did not come within --timeout (default 5s), as natscli's.\n",
    )
    .action(nextAction);
}

async function nextAction(stream: string, name: string, opts: ReadOpts, cmd: Command): Promise<void> {
  const { parseCount } = await import("../text/units.js");
  const count = parseCount(opts.count ?? "1", "--count");
  if (count < 1) throw new UsageError(`invalid --count '${opts.count}': use 1 or more`);
  const settings = await readSettings(opts);
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { nextMessages } = await import("../nats/consumers/index.js");
  // How long to wait for each message is the connection's timeout (--timeout, NATS_TIMEOUT, the context), as
  // in natscli.
  await withJetStreamManager(connectionFlagsOf(cmd), ({ jsm, resolved }) =>
    nextMessages(jsm, stream, name, { count, waitMs: resolved.timeoutMs, action: settings.action, group: opts.group }, (m) => writeMessage(m, stream, name, settings)),
  );
  await flushStdout();
}

function registerSub(consumer: Command): void {
  addReadOptions(
    consumer
      .command("sub")
      .argument("<stream>", "stream name")
      .argument("<name>", "consumer name (pull or push)")
      .description("follow a consumer until interrupted, acknowledging each message after it is written")
      .option("--count <n>", "stop after N messages"),
  ).action(subAction);
}

async function subAction(stream: string, name: string, opts: ReadOpts, cmd: Command): Promise<void> {
  const { parseCount } = await import("../text/units.js");
  const count = opts.count !== undefined ? parseCount(opts.count, "--count") : undefined;
  const settings = await readSettings(opts);
  const { withJetStreamManager } = await import("../nats/admin.js");
  const { followConsumer } = await import("../nats/consumers/index.js");
  const interrupt = abortOnSignals({ onlyOnce: true });
  const replays = replayNotes();
  try {
    await withJetStreamManager(
      connectionFlagsOf(cmd),
      ({ jsm }) =>
        followConsumer(
          jsm,
          stream,
          name,
          { count, action: settings.action, signal: interrupt.signal, onReplay: replays.report, group: opts.group },
          (m) => writeMessage(m, stream, name, settings),
        ),
      { reportReconnects: true },
    );
  } finally {
    interrupt.release();
    replays.finish();
  }
  await flushStdout();
}

/**
 * Messages the server delivered again as new (e.g. after a crash) and `sub` skipped: said once per burst, as the
 * replays come together, and once more at the end for any not said yet.
 */
function replayNotes(): { report: () => void; finish: () => void } {
  let replays = 0;
  let timer: NodeJS.Timeout | undefined;
  const say = () =>
    process.stderr.write(`nsm4home: skipped ${replays} message(s) already shown (the server delivered them again as new, e.g. after a crash)\n`);
  return {
    report: () => {
      replays++;
      timer ??= setTimeout(() => {
        say();
        replays = 0;
        timer = undefined;
      }, 500);
    },
    finish: () => {
      if (timer !== undefined) {
        clearTimeout(timer);
        say();
      }
    },
  };
}
