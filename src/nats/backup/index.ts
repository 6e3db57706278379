// Stream backups natscli can read and restores of natscli's: files.ts (the directory: backup.json and the
// archive, written atomically, read and checked as untrusted input), snapshot.ts (the snapshot API into a
// directory), restore.ts (the restore API from one, and the check of what was restored), api.ts (the JetStream
// API on the core connection, which nats.js has no snapshot calls for).
export * from "./files.js";
export * from "./snapshot.js";
export * from "./restore.js";
