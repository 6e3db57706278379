// The questions `consumer add` asks on a terminal; each is checked by the parser of the flag that answers it.
import { parseCount } from "../text/units.js";
import { parseAck, parseDeliver } from "../nats/consumers/index.js";
import { checkSubject } from "../nats/subjects.js";
import type { PromptField } from "./fields.js";

/** The questions `consumer add` asks on a terminal; each names the flag that answers it. */
export function consumerPromptFields(): PromptField[] {
  return [
    { key: "target", flag: "--target", label: "Push delivery subject, empty for a pull consumer", defaultText: "", check: (t) => void checkSubject(t, "--target") },
    { key: "deliver", flag: "--deliver", label: "Start with", hint: "all|new|last|last-per-subject|1h|<seq>|<time>", defaultText: "all", check: (t) => void parseDeliver(t) },
    { key: "ack", flag: "--ack", label: "Acknowledgement", hint: "explicit|none|all", defaultText: "explicit", check: parseAck },
    { key: "subject", flag: "--subject", label: "Only subjects", hint: "comma separated, empty for all", defaultText: "", list: true, check: (t) => t.split(/[\s,]+/).filter(Boolean).forEach((s) => checkSubject(s, "--subject")) },
    { key: "maxDeliver", flag: "--max-deliver", label: "Maximum deliveries of a message", hint: "e.g. 5, unlimited", defaultText: "unlimited", check: (t) => void parseCount(t, "--max-deliver", true) },
  ];
}

