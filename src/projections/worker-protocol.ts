import type { Config } from '../config.ts';
import type { ProjectionStatus } from './runtime.ts';

/** What the thread that serves requests tells the projection worker. */
export type ToWorker =
  /** another thread appended: look for new events now */
  | { t: 'wake' }
  /** apply what is queued, close the store and views.db, then exit */
  | { t: 'close' }
  /** say how much memory this thread's JavaScript holds (for the bench and /healthz-style reports) */
  | { t: 'memory' };

/** What the projection worker tells the thread that serves requests. */
export type FromWorker =
  /** every projection is set up; catch-up runs to `head` */
  | { t: 'started'; head: number; position: number; status: ProjectionStatus[] }
  /** a batch is committed to views.db: everything up to `position` can be read */
  | { t: 'applied'; position: number; status: ProjectionStatus[] }
  | { t: 'log'; message: string }
  /** the subscription stopped for good */
  | { t: 'stopped'; message: string }
  | { t: 'closed'; status: ProjectionStatus[] }
  | { t: 'memory'; memory: ThreadMemory };

/** One thread's JavaScript memory, in bytes (v8.getHeapStatistics). */
export interface ThreadMemory {
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export interface WorkerData {
  config: Config;
}
