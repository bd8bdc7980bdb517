import type { Config } from '../config.ts';
import type { ProjectionStatus } from './runtime.ts';
import type { DashboardAsk } from '../http/dashboard-body.tsx';
import type { ResolvedWindow } from '../spread/window.ts';

/**
 * Work the serving thread hands to the worker, so that nothing CPU-bound runs per request on the
 * thread that answers: the dashboard's page for a window and its figures (the CSV export), counted
 * over the edge log that only the worker's views connection holds in memory.
 */
export type WorkerJob =
  | { kind: 'dashboard-page'; ask: DashboardAsk }
  | { kind: 'dashboard-figures'; w: ResolvedWindow; minGroup: number; limit: number };

/** What the thread that serves requests tells the projection worker. */
export type ToWorker =
  /** another thread appended: look for new events now */
  | { t: 'wake' }
  /** apply what is queued, close the store and views.db, then exit */
  | { t: 'close' }
  /** say how much memory this thread's JavaScript holds (for the bench and /healthz-style reports) */
  | { t: 'memory' }
  /** do this job on the worker's views connection, between batches; answer with `done` or `failed` */
  | { t: 'job'; id: number; job: WorkerJob };

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
  | { t: 'memory'; memory: ThreadMemory }
  | { t: 'done'; id: number; result: unknown }
  | { t: 'failed'; id: number; error: string };

/** One thread's JavaScript memory, in bytes (v8.getHeapStatistics). */
export interface ThreadMemory {
  heapUsed: number;
  heapTotal: number;
  /** the heap's memory the thread has actually touched (its share of the process's RSS) */
  physical: number;
  external: number;
}

export interface WorkerData {
  config: Config;
}
