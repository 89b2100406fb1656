import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** Whether a process of this host (and pid namespace) is running. */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let place: string | undefined;

/**
 * Where a pid means this process: the host, and on Linux the pid namespace, since containers
 * sharing a store (and, with host networking, a host name) each count pids of their own.
 */
export function processPlace(): string {
  if (place === undefined) {
    let namespace = '';
    try {
      namespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      // not Linux: pids are the host's
    }
    place = namespace ? `${hostname()} ${namespace}` : hostname();
  }
  return place;
}
