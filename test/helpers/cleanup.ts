// A vitest setup file: after each test file, kill the processes it started and remove the temp dirs it made (HOME
// dirs from isolatedEnv among them). Without it they accumulate in /tmp: 'exit' handlers do not run in vitest workers.
import { afterAll } from "vitest";
import { cleanupAll } from "./processes.js";

afterAll(cleanupAll);
