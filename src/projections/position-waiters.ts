/** The write is in the log, but the read models have not caught up in time: not a failed write. */
export class ProjectionLagError extends Error {
  constructor(readonly position: number, timeoutMs: number) {
    super(`projections did not reach position ${position} within ${timeoutMs} ms`);
    this.name = 'ProjectionLagError';
  }
}

/**
 * Who is waiting for the read models to reach a log position, for both ways of projecting (on
 * this thread, runtime.ts; in a worker, in-worker.ts): one place that resolves waits as positions
 * are applied and rejects them all when projecting stops for good.
 */
export interface PositionWaiters {
  /** the last position the read models have applied */
  readonly applied: number;
  /** set when projecting stopped for good: no wait can be met any more */
  readonly stoppedBy: Error | undefined;
  /** the read models reached `position`: resolve every wait at or below it */
  advance(position: number): void;
  /** projecting stopped: reject every wait, now and later (the first reason stays) */
  stop(reason: Error): void;
  /** resolves once `position` is applied; rejects with ProjectionLagError after `timeoutMs` */
  waitFor(position: number, timeoutMs?: number): Promise<void>;
}

export function positionWaiters(start: number): PositionWaiters {
  let applied = start;
  let stoppedBy: Error | undefined;
  const waiters: { position: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  return {
    get applied() {
      return applied;
    },
    get stoppedBy() {
      return stoppedBy;
    },
    advance(position) {
      applied = Math.max(applied, position);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.position <= applied) {
          waiters[i]!.resolve();
          waiters.splice(i, 1);
        }
      }
    },
    stop(reason) {
      if (stoppedBy) return;
      stoppedBy = reason;
      for (const w of waiters.splice(0, waiters.length)) w.reject(reason);
    },
    waitFor(position, timeoutMs = 5000) {
      if (applied >= position) return Promise.resolve();
      if (stoppedBy) return Promise.reject(stoppedBy);
      return new Promise<void>((resolve, reject) => {
        const entry = {
          position,
          resolve: () => { clearTimeout(t); resolve(); },
          reject: (e: Error) => { clearTimeout(t); reject(e); },
        };
        const t = setTimeout(() => {
          const i = waiters.indexOf(entry);
          if (i >= 0) waiters.splice(i, 1);
          reject(new ProjectionLagError(position, timeoutMs));
        }, timeoutMs);
        // a pending wait (like `caughtUp`'s long one) must not keep a finished CLI process alive
        t.unref();
        waiters.push(entry);
      });
    },
  };
}
