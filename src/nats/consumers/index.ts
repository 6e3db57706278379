// JetStream consumer administration, a file per job: config.ts (flags and --config files -> ConsumerConfig),
// edit.ts (values shown, flags that reproduce them), admin.ts (info, add, update, list, rm), read.ts (`next` and
// `sub`, acking as messages are shown). The questions `consumer add` asks live with the prompts (src/prompt/).
export * from "./config.js";
export * from "./edit.js";
export * from "./admin.js";
export * from "./read.js";
export { checkConsumerName } from "../names.js";
