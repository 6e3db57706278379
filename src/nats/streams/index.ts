// JetStream stream administration, a file per job: config.ts (flags and --config files -> StreamConfig),
// values.ts (setting values as flags give them), edit.ts (values shown, flags that reproduce them), admin.ts
// (info, add, update, list, rm, purge, subject counts, single messages), nsm-stream.ts (the NSM stream as ingest and
// demo create it). Names and subjects are checked in ../names.ts and ../subjects.ts; the questions `stream add`
// asks live with the prompts (src/prompt/).
export * from "./config.js";
export * from "./values.js";
export * from "./edit.js";
export * from "./admin.js";
export * from "./nsm-stream.js";
export { checkApiName, checkStreamName } from "../names.js";
export { checkSubject } from "../subjects.js";
