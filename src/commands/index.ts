// Every command noun, in the order `--help` lists them. Adding a command means adding its file here.
import type { Command } from "commander";
import { register as registerStream } from "./stream.js";
import { register as registerConsumer } from "./consumer.js";
import { register as registerTail } from "./tail.js";
import { register as registerTui } from "./tui.js";
import { register as registerFlow } from "./flow.js";
import { register as registerHost } from "./host.js";
import { register as registerIngest } from "./ingest.js";
import { register as registerReplay } from "./replay.js";
import { register as registerMetrics } from "./metrics.js";
import { register as registerDemo } from "./demo.js";
import { register as registerServer } from "./server.js";
import { register as registerContext } from "./context.js";
import { register as registerCompletion } from "./completion.js";
import { register as registerSensor } from "./sensor.js";
import { register as registerHub } from "./hub.js";
import { register as registerCheck } from "./check.js";

export const commandModules: Array<(program: Command) => void> = [
  registerStream,
  registerConsumer,
  registerTail,
  registerTui,
  registerFlow,
  registerHost,
  registerIngest,
  registerReplay,
  registerMetrics,
  registerDemo,
  registerServer,
  registerContext,
  registerSensor,
  registerHub,
  registerCheck,
  registerCompletion,
];
