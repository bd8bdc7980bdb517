/**
 * The projection worker (a worker thread of `serve`): runs every projection with its own store
 * client and its own connection to views.db, so catch-up after a large import never holds the
 * event loop that answers requests. It reports each committed batch's position to the serving
 * thread, which reads views.db through its own connection (WAL: readers never wait for this writer).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { viewsFile } from '../config.ts';
import { openStore } from '../store/open.ts';
import { runInBackground } from '../background.ts';
import { allProjections } from './index.ts';
import { BACKGROUND_BATCH, openViews, startProjections } from './runtime.ts';
import type { Runtime } from './runtime.ts';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol.ts';
import { startChainKeeper } from '../chain/keeper.ts';
import { loadSealKey } from '../chain/seal.ts';
import { threadMemory } from './thread-memory.ts';
import { dashboardFigures, renderDashboardBody } from '../http/dashboard-body.tsx';
import type { WorkerJob } from './worker-protocol.ts';

// this thread catches up with imports; the serving thread keeps the CPU it needs for requests
runInBackground();

const port = parentPort!;
const send = (m: FromWorker): void => port.postMessage(m);
const { config } = workerData as WorkerData;

const store = await openStore(config);
const views = openViews(viewsFile(config));
// the first batches may be applied before startProjections returns
let started: Runtime | undefined;
const runtime = (started = await startProjections({
  store,
  views,
  projections: allProjections(),
  log: (message) => send({ t: 'log', message }),
  onProgress: (position) => send({ t: 'applied', position, status: started?.status() ?? [] }),
  onStopped: (e) => send({ t: 'stopped', message: e.message }),
  // nobody waits on this thread's event loop
  batch: BACKGROUND_BATCH,
}));
// the chain keeper beside the projections, on this thread's views.db connection; it hashes the
// log as stored (this store, below any layer that opens sealed fields) and seals it when keyed
const keeper = startChainKeeper({
  store: store.inner,
  views,
  ...(config.sealKeyFile ? { sealKey: loadSealKey(config.sealKeyFile) } : {}),
  log: (message) => send({ t: 'log', message }),
  // the pages' read models first: during a large import the keeper follows the main lane
  giveWay: (position) => runtime.afterMainLane(position),
});
// Once caught up, the page cache of this connection is bounded as the serving thread's is (8 MB,
// not better-sqlite3's 16): the build from the log is what needed more, and serve's memory aim at
// organisation size is 300 MB. What the build had cached is handed back (shrink_memory).
runtime.caughtUp.then(
  () => {
    views.pragma('cache_size = -8000');
    views.pragma('shrink_memory');
  },
  () => {},
);
const initial = runtime.status();
send({ t: 'started', head: await store.headPosition(), position: Math.min(...initial.map((s) => s.position)), status: initial });

/** A job of the serving thread's, on this thread's views connection (it runs between batches: one is never half applied). */
async function run(job: WorkerJob): Promise<unknown> {
  if (job.kind === 'dashboard-page') return renderDashboardBody(views, job.ask);
  return dashboardFigures(views, job.w, job.minGroup, job.limit);
}

port.on('message', (m: ToWorker) => {
  if (m.t === 'wake') store.wake?.();
  else if (m.t === 'job') {
    run(m.job).then(
      (result) => send({ t: 'done', id: m.id, result }),
      (e: unknown) => send({ t: 'failed', id: m.id, error: e instanceof Error ? e.message : String(e) }),
    );
  }
  else if (m.t === 'memory') send({ t: 'memory', memory: threadMemory() });
  else if (m.t === 'close') {
    void (async () => {
      await runtime.close();
      await keeper.close();
      const status = runtime.status();
      views.close();
      await store.close();
      send({ t: 'closed', status });
      port.close();
    })();
  }
});
