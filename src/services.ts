import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import { viewsFile } from './config.ts';
import { allProjections } from './projections/index.ts';
import { openViews, startProjections } from './projections/runtime.ts';
import type { Runtime } from './projections/runtime.ts';
import { startProjectionsInWorker, wakingStore } from './projections/in-worker.ts';
import type { AppContext } from './http/env.ts';
import { openStore } from './store/open.ts';
import type { EventStore } from './store/port.ts';
import { flushReads } from './circulation/record-read.ts';
import { closeSnapshotsOf } from './asof/snapshots.ts';
import { startChainKeeper } from './chain/keeper.ts';
import type { ChainKeeper } from './chain/keeper.ts';
import { loadPublicKeys, loadSealKey } from './chain/seal.ts';
import { erasedPeople, finishErasures } from './privacy/erase.ts';
import type { Logger } from './observability/logger.ts';
import { countingAppends, createMetrics } from './observability/metrics.ts';
import type { Metrics } from './observability/metrics.ts';
import { queueDigests, stillWanted } from './mail/notify.ts';

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
  /**
   * Work to do once the read models have caught up and before the archive says it is ready (and
   * before openHallway resolves when it waits): `serve` prepares the dashboard's windows
   * (prepareDashboards), so the first page after a start or a rebuild is not the one that pays.
   * A failure is logged, never fatal.
   */
  prepare?: (ctx: AppContext) => Promise<void>;
  /** serve's JSON logger; absent: requests are not logged */
  logger?: Logger;
  /** collect Prometheus metrics for /metrics (serve does; tests that check them do) */
  metrics?: boolean;
  /**
   * With HALLWAY_SMTP_URL: run the email worker on a timer (serve does). Without it the outbox is
   * open and mail is queued, and nothing sends until `ctx.mail.runOnce()` (what tests call).
   */
  sendMail?: boolean;
}

/** Opens the store and the projections for a data directory: what `serve` and the tests share. */
export async function openHallway(config: Config, opts: OpenOptions = {}): Promise<AppContext & { close(): Promise<void>; whenReady: Promise<void> }> {
  // a seal key that cannot be read stops the start here, before anything runs
  const sealKey = config.sealKeyFile ? loadSealKey(config.sealKeyFile) : undefined;
  const publicKeys = loadPublicKeys(config);
  const opened = await openStore(config);
  const views = openViews(viewsFile(config));
  let store: EventStore = opened;
  let runtime: Runtime;
  // the chain keeper runs where the projections run (the worker starts its own)
  let keeper: ChainKeeper | undefined;
  if (opts.projectIn === 'worker') {
    // this thread only reads views.db (the worker writes it): 8 MB of SQLite page cache, not 16 (serve's memory aim)
    views.pragma('cache_size = -8000');
    const inWorker = await startProjectionsInWorker({ config, views, ...(opts.log ? { log: opts.log } : {}) });
    store = wakingStore(opened, inWorker);
    runtime = inWorker;
  } else {
    runtime = await startProjections({ store, views, projections: allProjections(), ...(opts.log ? { log: opts.log } : {}) });
    // the chain covers the log as stored: `opened`, not a store that opens sealed fields
    keeper = startChainKeeper({ store: opened.inner, views, ...(sealKey ? { sealKey } : {}), ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.log ? { log: opts.log } : {}) });
  }
  let metrics: Metrics | undefined;
  if (opts.metrics) {
    const counted = store;
    metrics = createMetrics({ store: () => counted, runtime: () => runtime });
    store = countingAppends(store, metrics);
  }
  let caughtUp = false;
  const log = opts.log ?? ((m: string) => console.error(m));
  const clock = opts.clock ?? (() => new Date());
  // checked against the read models just before each send: `runtime` is the one set above
  // nodemailer is loaded only when email is set up: no other process pays for it at start
  const mail = config.smtpUrl
    ? (await import('./mail/mailer.ts')).openMail({ config, clock, metrics: () => metrics, logger: () => opts.logger, stillWanted: (m) => (caughtUp ? stillWanted({ runtime }, m) : null) })
    : undefined;
  // once caught up, one read of who was erased finishes their erasure here: a key still in the key
  // store (a crash between append and forget, a restored key store) is forgotten, and with email
  // their outbox rows go too (an erasure made elsewhere: `hallway admin erase`, another process)
  const finishing = runtime.caughtUp.then(
    async () => {
      try {
        const erased = erasedPeople(views);
        for (const id of erased) mail?.outbox.forgetPerson(id);
        for (const id of await finishErasures(opened, erased)) log(`erasure of ${id} finished: its key was still in the key store`);
      } catch (e) {
        log(`finishing erasures: ${String(e)}`);
      }
    },
    () => {},
  );
  // resolves once ready() is true (caught up, erasures finished, pages prepared), or the catch-up failed
  let markReady!: () => void;
  const whenReady = new Promise<void>((resolve) => (markReady = resolve));
  const hallway: AppContext & { close(): Promise<void>; whenReady: Promise<void> } = {
    whenReady,
    store,
    runtime,
    config,
    clock,
    newId: opts.newId ?? (() => randomUUID()),
    setup: { token: null, expiresAt: 0 },
    ready: () => caughtUp,
    chain: { store: opened.inner, sealing: !!sealKey, publicKeys, ...(keeper ? { keeper } : {}) },
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(metrics ? { metrics } : {}),
    ...(mail ? { mail } : {}),
    async close() {
      // reads queued by story pages are appended before the store closes
      await flushReads(hallway, { wait: false });
      // a send under way finishes (and is marked sent) before the outbox closes
      await mail?.close();
      // the archive as it stood on dates: temporary files
      closeSnapshotsOf(hallway);
      await runtime.close();
      await keeper?.close();
      views.close();
      await opened.close();
    },
  };
  void runtime.caughtUp.then(
    async () => {
      await finishing;
      // (without anything to prepare, ready in the same turn as the catch-up)
      if (opts.prepare) {
        try {
          await opts.prepare(hallway);
        } catch (err) {
          log(`preparing pages after catch-up failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      caughtUp = true;
      markReady();
    },
    () => markReady(),
  );
  // the week's digests are queued only from read models that have caught up
  if (mail && opts.sendMail) mail.start(() => void (caughtUp && queueDigests(hallway)));
  if (opts.waitForCatchUp ?? true) {
    await runtime.caughtUp;
    await whenReady;
  }
  return hallway;
}
