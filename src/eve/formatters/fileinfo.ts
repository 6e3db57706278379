// Files seen in traffic: name, detected type, size, state and a sha256 prefix to search for.
import type { EveEvent } from "../event.js";
import { asBoolean, asNumber, asText, section } from "../types.js";
import { bytesText, endpoints, joinParts, labelled, type FormatContext } from "./common.js";

const SHA256_PREFIX = 16;

function stateText(state: string | undefined, ctx: FormatContext): string | undefined {
  if (state === undefined) return undefined;
  return state === "CLOSED" ? ctx.p.good(state) : ctx.p.warn(state);
}

/** `filename  magic  1.3 MiB CLOSED stored sha256 0123456789abcdef  server → client` */
export function formatFileinfoEvent(event: EveEvent, ctx: FormatContext): string {
  const file = section(event, "fileinfo");
  const sha256 = asText(file["sha256"], SHA256_PREFIX);
  const magic = asText(file["magic"], 60) ?? asText(file["mimetype"], 60);
  return joinParts([
    ctx.p.subject(asText(file["filename"], 255) ?? "(no name)"),
    magic !== undefined ? ctx.p.muted(`[${magic}]`) : undefined,
    bytesText(asNumber(file["size"])),
    stateText(asText(file["state"], 16), ctx),
    asBoolean(file["stored"]) === true ? ctx.p.info("stored") : undefined,
    labelled(ctx, "sha256", sha256),
    asText(event.app_proto, 16),
    endpoints(event, ctx),
  ]);
}
