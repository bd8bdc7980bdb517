import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** How much lower than normal a batch job runs (nice 10 of 19). */
const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's CPU priority: a batch job (an import, a rebuild, the projection
 * worker) then leaves the CPU to a `serve` answering requests on the same machine, and still
 * gets all of it when nothing else wants it. Linux gives each thread its own priority, so the
 * worker lowers only itself, not the thread that serves. Best effort: where it cannot, nothing
 * changes.
 */
export function runInBackground(): void {
  try {
    // /proc/thread-self -> "<pid>/task/<tid>"; setpriority(PRIO_PROCESS, tid) is per thread on Linux
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(Number.isInteger(tid) && tid > 0 ? tid : 0, BACKGROUND_NICE);
  } catch {
    // not Linux, or not allowed: run at the normal priority
  }
}
