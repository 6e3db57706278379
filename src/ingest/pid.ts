/** Whether a process of this host still runs (a lock or owner key naming a pid killed -9 may be taken over). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
