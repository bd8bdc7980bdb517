import { Worker } from 'node:worker_threads';
import { afterAppends } from '../store/after-append.ts';
import type { Config } from '../config.ts';
import type { EventStore } from '../store/port.ts';
import { positionWaiters } from './position-waiters.ts';
import type { ProjectionStatus, Runtime, Views } from './runtime.ts';
import type { FromWorker, ThreadMemory, ToWorker, WorkerData, WorkerJob } from './worker-protocol.ts';

export interface WorkerRuntime extends Runtime {
  /** tells the worker that this thread appended, so it reads the new events at once */
  wake(): void;
  /** the worker thread's JavaScript memory (for the bench) */
  memory(): Promise<ThreadMemory>;
  /** runs a job on the worker's views connection (see WorkerJob): the serving thread only waits */
  run<T>(job: WorkerJob): Promise<T>;
}

/** The worker runtime, if the projections run in one (a dated page's runtime, the tests' in-thread one: not). */
export function workerOf(runtime: Runtime): WorkerRuntime | undefined {
  return 'run' in runtime && 'wake' in runtime ? (runtime as WorkerRuntime) : undefined;
}

/**
 * The worker's young generation, where V8 puts new objects until they survive a collection: its
 * default grows to about 48 MB, most of it empty between collections but still resident. The
 * worker answers no request, so more frequent (and shorter) collections cost it nothing a person
 * waits for; at organisation size `serve`'s RSS was about 10 MB lower with it (bench/pages.ts).
 */
const WORKER_YOUNG_MB = 8;

/**
 * Runs the projections in a worker thread (src/projections/worker.ts) and reads views.db through
 * `views`, this thread's own connection: for `serve`, whose event loop then only answers requests
 * while a large import is projected. `waitFor` and `caughtUp` follow the positions the worker
 * reports after each committed batch, so they mean what they mean in startProjections.
 */
export async function startProjectionsInWorker(opts: { config: Config; views: Views; log?: (m: string) => void }): Promise<WorkerRuntime> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const data: WorkerData = { config: opts.config };
  const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
  const send = (m: ToWorker): void => worker.postMessage(m);

  let status: ProjectionStatus[] = [];
  const waits = positionWaiters(0);
  const stop = (e: Error): void => waits.stop(e);
  /** the worker failed or exited: nothing will answer the jobs asked */
  let gone: Error | undefined;
  const goneWith = (e: Error): void => {
    gone ??= e;
    for (const j of jobs.values()) j.reject(e);
    jobs.clear();
  };

  let onStarted!: (head: number) => void;
  let onFailedStart!: (e: Error) => void;
  const started = new Promise<number>((resolve, reject) => {
    onStarted = resolve;
    onFailedStart = reject;
  });
  let onClosed: (() => void) | undefined;
  const memoryAsked: ((m: ThreadMemory) => void)[] = [];
  const jobs = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let jobIds = 0;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  worker.on('message', (m: FromWorker) => {
    switch (m.t) {
      case 'started':
        if (m.status.length) status = m.status;
        onStarted(m.head);
        waits.advance(m.position);
        return;
      case 'applied':
        if (m.status.length) status = m.status;
        waits.advance(m.position);
        return;
      case 'log':
        log(m.message);
        return;
      case 'stopped':
        stop(new Error(m.message));
        return;
      case 'closed':
        status = m.status;
        onClosed?.();
        return;
      case 'memory':
        memoryAsked.shift()?.(m.memory);
        return;
      case 'done':
        jobs.get(m.id)?.resolve(m.result);
        jobs.delete(m.id);
        return;
      case 'failed':
        jobs.get(m.id)?.reject(new Error(m.error));
        jobs.delete(m.id);
        return;
    }
  });
  worker.on('error', (e) => {
    const err = new Error(`projections: the worker failed: ${e.message}`, { cause: e });
    log(err.message);
    // nothing projects any more: say so where /healthz and /readyz look
    status = status.map((s) => ({ ...s, failed: s.failed ?? { position: s.position, error: err.message } }));
    onFailedStart(err);
    stop(err);
    goneWith(err);
  });
  void exited.then(() => {
    onFailedStart(new Error('projections: the worker exited before it started'));
    stop(new Error('projections: the worker has exited'));
    goneWith(new Error('projections: the worker has exited'));
  });

  const head = await started;

  const waitFor = waits.waitFor;
  const caughtUp = waitFor(head, 24 * 3600_000);
  caughtUp.catch(() => {});

  return {
    db: opts.views,
    waitFor,
    caughtUp,
    status: () => status,
    wake: () => {
      if (!waits.stoppedBy) send({ t: 'wake' });
    },
    memory: () =>
      new Promise<ThreadMemory>((resolve) => {
        memoryAsked.push(resolve);
        send({ t: 'memory' });
      }),
    run: <T,>(job: WorkerJob) =>
      new Promise<T>((resolve, reject) => {
        if (gone) return reject(gone);
        const id = ++jobIds;
        jobs.set(id, { resolve: resolve as (v: unknown) => void, reject });
        send({ t: 'job', id, job });
      }),
    async close() {
      if (waits.stoppedBy) {
        await worker.terminate();
        return;
      }
      await new Promise<void>((resolve) => {
        onClosed = resolve;
        void exited.then(resolve);
        send({ t: 'close' });
      });
      await exited;
    },
  };
}

/** The store, waking the worker after each append from this thread (it would otherwise poll). */
export function wakingStore(store: EventStore, runtime: WorkerRuntime): EventStore {
  return afterAppends(store, () => runtime.wake());
}
