// What `stream backup` and `stream restore` say: the progress line while chunks move, and the result after.
import type { BackupResult, RestoreResult } from "../nats/backup/index.js";
import { sanitizeText } from "../text/sanitize.js";
import { formatBytes, formatCount } from "../text/units.js";

const took = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

export function backupProgressText(stream: string, chunks: number, bytes: number): string {
  return `Backing up ${sanitizeText(stream)}: ${plural(chunks, "chunk")}, ${formatBytes(bytes)} received`;
}

export function restoreProgressText(chunks: number, total: number, bytes: number, totalBytes: number): string {
  const percent = totalBytes > 0 ? Math.floor((bytes * 100) / totalBytes) : 100;
  return `Restoring: ${formatCount(chunks)} of ${plural(total, "chunk")}, ${formatBytes(bytes)} of ${formatBytes(totalBytes)} (${percent}%)`;
}

export function renderBackupResult(r: BackupResult): string {
  const seqs = r.messages > 0 ? `, sequences ${formatCount(r.first_seq)} to ${formatCount(r.last_seq)}` : "";
  const consumers = r.consumers > 0 ? `, ${plural(r.consumers, "consumer")}` : "";
  return (
    `Backed up stream ${sanitizeText(r.stream)} to ${sanitizeText(r.dir)}: ${plural(r.messages, "message")} (${formatBytes(r.bytes)})${seqs}${consumers}\n` +
    `  ${r.files.join(" and ")}, ${formatBytes(r.archive_bytes)} compressed in ${plural(r.chunks, "chunk")}, in ${took(r.elapsed_ms)}\n`
  );
}

export function renderRestoreResult(r: RestoreResult): string {
  const seqs = r.messages > 0 ? `, sequences ${formatCount(r.first_seq)} to ${formatCount(r.last_seq)}` : "";
  const consumers = r.consumers > 0 ? `, ${plural(r.consumers, "consumer")}` : "";
  const renamed = r.stream !== r.from ? ` (a backup of ${sanitizeText(r.from)})` : "";
  const check = r.check.same
    ? "  the same messages, bytes and first and last sequence as backup.json recorded\n"
    : r.check.grew
      ? `  ${plural(r.messages - r.recorded.messages, "message")} more than backup.json recorded: stored while the backup ran\n`
      : `  NOT what backup.json recorded: ${r.check.differences.join("; ")}\n`;
  return (
    `Restored stream ${sanitizeText(r.stream)}${renamed} from ${sanitizeText(r.dir)}: ${plural(r.messages, "message")} (${formatBytes(r.bytes)})${seqs}${consumers}, in ${took(r.elapsed_ms)}\n` +
    check
  );
}
