import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import { viewsFile } from './config.ts';
import { allProjections } from './projections/index.ts';
import { openViews, startProjections } from './projections/runtime.ts';
import type { AppContext } from './http/env.ts';
import { openStore } from './store/open.ts';
import { flushReads } from './circulation/record-read.ts';

export interface OpenOptions {
  clock?: () => Date;
  newId?: () => string;
  log?: (m: string) => void;
  /**
   * true (the default): resolve once the read models have caught up. false (`serve`): resolve at
   * once, so the server can listen and answer 503 "catching up" until they have (ctx.ready).
   */
  waitForCatchUp?: boolean;
}

/** Opens the store and the projections for a data directory: what `serve` and the tests share. */
export async function openHallway(config: Config, opts: OpenOptions = {}): Promise<AppContext & { close(): Promise<void> }> {
  const store = await openStore(config);
  const views = openViews(viewsFile(config));
  const runtime = await startProjections({ store, views, projections: allProjections(), ...(opts.log ? { log: opts.log } : {}) });
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
    async close() {
      // reads queued by story pages are appended before the store closes
      await flushReads(hallway, { wait: false });
      await runtime.close();
      views.close();
      await store.close();
    },
  };
  return hallway;
}
