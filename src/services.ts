import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import { viewsFile } from './config.ts';
import { allProjections } from './projections/index.ts';
import { openViews, startProjections } from './projections/runtime.ts';
import type { Runtime } from './projections/runtime.ts';
import { startProjectionsInWorker, wakingStore } from './projections/in-worker.ts';
import type { AppContext } from './http/env.ts';
import { openStore } from './store/open.ts';
import { flushReads } from './circulation/record-read.ts';
import { closeSnapshotsOf } from './asof/snapshots.ts';
import { startChainKeeper } from './chain/keeper.ts';
import type { ChainKeeper } from './chain/keeper.ts';
import { loadPublicKeys, loadSealKey } from './chain/seal.ts';

export interface OpenOptions {
  clock?: () => Date;
  newId?: () => string;
  log?: (m: string) => void;
  /**
   * true (the default): resolve once the read models have caught up. false (`serve`): resolve at
   * once, so the server can listen and answer 503 "catching up" until they have (ctx.ready).
   */
  waitForCatchUp?: boolean;
  /**
   * 'thread' (the default): the projections run on this thread. 'worker' (`serve`): in a worker
   * thread with its own connections, so catching up with a large import never stalls requests.
   */
  projectIn?: 'thread' | 'worker';
}

/** Opens the store and the projections for a data directory: what `serve` and the tests share. */
export async function openHallway(config: Config, opts: OpenOptions = {}): Promise<AppContext & { close(): Promise<void> }> {
  // a seal key that cannot be read stops the start here, before anything runs
  const sealKey = config.sealKeyFile ? loadSealKey(config.sealKeyFile) : undefined;
  const publicKeys = loadPublicKeys(config);
  const opened = await openStore(config);
  const views = openViews(viewsFile(config));
  let store = opened;
  let runtime: Runtime;
  // the chain keeper runs where the projections run (the worker starts its own)
  let keeper: ChainKeeper | undefined;
  if (opts.projectIn === 'worker') {
    const inWorker = await startProjectionsInWorker({ config, views, ...(opts.log ? { log: opts.log } : {}) });
    store = wakingStore(opened, inWorker);
    runtime = inWorker;
  } else {
    runtime = await startProjections({ store, views, projections: allProjections(), ...(opts.log ? { log: opts.log } : {}) });
    // the chain covers the log as stored: `opened`, not a store that opens sealed fields
    keeper = startChainKeeper({ store: opened, views, ...(sealKey ? { sealKey } : {}), ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.log ? { log: opts.log } : {}) });
  }
  let caughtUp = false;
  void runtime.caughtUp.then(() => (caughtUp = true), () => {});
  if (opts.waitForCatchUp ?? true) await runtime.caughtUp;
  const hallway: AppContext & { close(): Promise<void> } = {
    store,
    runtime,
    config,
    clock: opts.clock ?? (() => new Date()),
    newId: opts.newId ?? (() => randomUUID()),
    setup: { token: null, expiresAt: 0 },
    ready: () => caughtUp,
    chain: { store: opened, sealing: !!sealKey, publicKeys, ...(keeper ? { keeper } : {}) },
    async close() {
      // reads queued by story pages are appended before the store closes
      await flushReads(hallway, { wait: false });
      // the archive as it stood on dates: temporary files
      closeSnapshotsOf(hallway);
      await runtime.close();
      await keeper?.close();
      views.close();
      await opened.close();
    },
  };
  return hallway;
}
