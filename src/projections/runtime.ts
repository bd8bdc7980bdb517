import Database from '../store/sqlite-driver.ts';
import type { SqliteDatabase } from '../store/sqlite-driver.ts';
import { existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { dirname } from 'node:path';
import { upcast } from '../../events/catalogue.ts';
import type { HallwayEvent } from '../../events/catalogue.ts';
import type { EventStore, RecordedEvent, Subscription } from '../store/port.ts';
import { positionWaiters } from './position-waiters.ts';

export type Views = SqliteDatabase;

/** A recorded event whose data has been lifted to the current version of its type. */
export type ProjectedEvent = HallwayEvent & Omit<RecordedEvent, 'type' | 'data'>;

export interface Projection {
  /** unique; names the checkpoint */
  name: string;
  /** bump when the tables or the logic change: the projection is then rebuilt from 0 */
  version: number;
  /**
   * Projections in one lane share a subscription and a batch loop (default lane: 'main'). A
   * projection that costs much more per event than the others gets a lane of its own, so the
   * others (the pages' stories and search) keep pace with a large import instead of waiting for it.
   */
  lane?: string;
  /** creates the projection's tables if they are missing */
  setup(db: Views): void;
  /** drops the projection's tables (before a rebuild) */
  reset(db: Views): void;
  /** applies one event; runs inside a transaction with the checkpoint update */
  apply(db: Views, event: ProjectedEvent): void;
  /**
   * Applies a batch of events in log order, with the same result as `apply` one by one; it may
   * keep writes in memory and make them once at the end (one write per row the batch changed,
   * not one per event). Runs inside the batch's transaction, before the checkpoint update; if it
   * throws, the transaction rolls back and `invalidate` is called. The runtime uses it when present.
   */
  applyBatch?(db: Views, events: Iterable<ProjectedEvent>): void;
  /**
   * Forget anything kept in memory about the tables: called when another process applied events
   * to this views.db, and when a batch rolled back.
   */
  invalidate?(db: Views): void;
}

export interface ProjectionStatus {
  name: string;
  position: number;
  failed?: { position: number; error: string };
}

export interface Runtime {
  readonly db: Views;
  /** resolves when every healthy projection has passed `position` (or rejects after `timeoutMs`) */
  waitFor(position: number, timeoutMs?: number): Promise<void>;
  /** resolves once the projections have caught up with the log as it was when started */
  readonly caughtUp: Promise<void>;
  status(): ProjectionStatus[];
  /** progress of catch-up, for the CLI */
  onProgress?: (position: number) => void;
  /**
   * Resolves once the main lane has applied `position` and the log holds nothing newer: work that
   * shares the projections' thread (the later lanes, the chain keeper) waits for it, so the pages'
   * read models keep pace with a large import. (Only where the projections run in this thread.)
   */
  afterMainLane?(position: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Events per batch, adapted as catch-up runs: a batch should take about BATCH_TARGET_MS to project,
 * so that `serve`, which yields to the event loop between batches, keeps answering requests while
 * it catches up with a large import (the event loop is never held much longer than that).
 */
const BATCH_MIN = 32;
const BATCH_MAX = 2000;
const BATCH_TARGET_MS = 20;

/** How big a batch may grow, and how long one should take (see above). */
export interface BatchSizing {
  min: number;
  max: number;
  targetMs: number;
}

/**
 * For a thread whose event loop answers no one (serve's projection worker, `hallway rebuild`):
 * bigger batches cost fewer commits and savepoints, and let a projection write each changed row
 * once per batch (applyBatch).
 */
export const BACKGROUND_BATCH: BatchSizing = { min: 64, max: 20_000, targetMs: 500 };

/** a lane that waits for the first one looks again after this long (ms) even if it has committed nothing */
const LEAD_RECHECK_MS = 250;
/** while the log grows (another process appends), a later lane applies its queue in pieces of about this long (ms) */
const GAP_MS = 100;
/** the log "grows" until its head has not moved for this long (ms) */
const GROWING_MS = 2000;

export { ProjectionLagError } from './position-waiters.ts';

export function openViews(file: string): Views {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file)) createViewsFile(file);
  }
  const db = new Database(file);
  // before anything else: every statement below may meet another process's lock
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  // views.db is a cache that can be rebuilt from the log: no need to sync it to disk.
  db.pragma('synchronous = OFF');
  // an erased person's rows are rewritten with the markers: the old bytes are zeroed, not left in
  // free space (docs/trust.md); the WAL is truncated after such a batch (see flush)
  db.pragma('secure_delete = ON');
  db.exec(BASE_TABLES);
  return db;
}

const BASE_TABLES = `CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS applied_event_ids (projection TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (projection, id)) WITHOUT ROWID;`;

/**
 * Makes a new views.db whole under another name, already in WAL mode, and links it into place
 * only if no other process did first. Several processes started at once on an empty data
 * directory (`serve` and CLI commands) would otherwise all open a new file still in rollback
 * mode, where a reader and a writer lock each other out and SQLite gives up without waiting
 * ("database is locked", or "vtable constructor failed" while the search index is being made).
 */
function createViewsFile(file: string): void {
  const made = `${file}.new-${process.pid}-${threadId}-${Date.now()}`;
  try {
    const db = new Database(made);
    db.pragma('journal_mode = WAL');
    db.exec(BASE_TABLES);
    db.close();
    try {
      linkSync(made, file);
    } catch (err) {
      // another process linked its own first: use that one
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  } finally {
    for (const f of [made, `${made}-wal`, `${made}-shm`]) rmSync(f, { force: true });
  }
}

/**
 * Creates each projection's tables, rebuilding from the start any whose version changed, in one
 * transaction that holds views.db's write lock: processes that start together on one views.db
 * set it up one after the other, never interleaved (one dropping a table another is creating).
 * Returns each projection's checkpoint.
 */
export function setUpProjections(db: Views, projections: Projection[], log: (m: string) => void): number[] {
  const getCp = db.prepare<[string], { version: number; position: number }>('SELECT version, position FROM checkpoints WHERE name = ?');
  const setCp = db.prepare('INSERT INTO checkpoints (name, version, position) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET version = excluded.version, position = excluded.position');
  const forgetSeen = db.prepare('DELETE FROM applied_event_ids WHERE projection = ?');
  return db.transaction(() =>
    projections.map((p) => {
      const cp = getCp.get(p.name);
      if (cp && cp.version !== p.version) {
        log(`projection ${p.name}: version ${cp.version} -> ${p.version}, rebuilding from the start`);
        p.reset(db);
        forgetSeen.run(p.name);
      }
      p.setup(db);
      if (cp && cp.version === p.version) return cp.position;
      setCp.run(p.name, p.version, 0);
      return 0;
    }),
  ).immediate();
}

/**
 * Copies the WAL into views.db and empties it. Readers still on an older snapshot make it wait
 * (busy_timeout); if one holds on past that, the next erasure's checkpoint (or SQLite's own
 * checkpoints) completes it, and the operator is told.
 */
export function truncateWal(db: Views, log: (m: string) => void = () => {}): void {
  const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  if (r && r.busy) log('views.db: the WAL could not be truncated after an erasure (a reader held it); it will be at the next checkpoint');
}

export interface StartOptions {
  store: EventStore;
  views: Views;
  projections: Projection[];
  log?: (message: string) => void;
  onProgress?: (position: number, head: number) => void;
  /** called once if the subscription stops for good (no wait can be met any more) */
  onStopped?: (error: Error) => void;
  /** default: batches of about 20 ms, for a process that also answers requests */
  batch?: BatchSizing;
}

/**
 * Runs projections in this process from their checkpoints, fed by one catch-up subscription per
 * lane (see Projection.lane). Events are applied in batches (one transaction per lane per batch,
 * a savepoint per projection), with each projection's checkpoint written in the same transaction,
 * so a crash never applies an event twice. `waitFor` and `onProgress` follow the slowest lane.
 */
export async function startProjections(opts: StartOptions): Promise<Runtime & { afterMainLane(position: number): Promise<void> }> {
  const { store, views: db, projections } = opts;
  const log = opts.log ?? ((m: string) => console.error(m));
  const getCp = db.prepare<[string], { version: number; position: number }>('SELECT version, position FROM checkpoints WHERE name = ?');
  const setCp = db.prepare('INSERT INTO checkpoints (name, version, position) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET version = excluded.version, position = excluded.position');
  // Only for stores that may deliver one id twice (EventStoreDB): ids each projection has applied,
  // written in the projection's own transaction, so a crash between projections loses nothing.
  const seen = db.prepare<[string, string], { id: string }>('SELECT id FROM applied_event_ids WHERE projection = ? AND id = ?');
  const markSeen = db.prepare('INSERT OR IGNORE INTO applied_event_ids (projection, id) VALUES (?, ?)');

  const positions = setUpProjections(db, projections, log);
  const state = projections.map((p, i) => ({ p, position: positions[i]!, failed: undefined as ProjectionStatus['failed'] }));

  const head = await store.headPosition();
  type Lane = {
    state: typeof state;
    applied: number;
    sub?: Subscription;
    flush(): void;
  };
  const byName = new Map<string, typeof state>();
  for (const s of state) {
    const name = s.p.lane ?? 'main';
    byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  // no projection at all: one empty lane still follows the log, so waits resolve
  const laneStates = byName.size ? [...byName.values()] : [[]];
  const lanes: Lane[] = laneStates.map((ls) => ({ state: ls, applied: ls.length ? Math.min(...ls.map((s) => s.position)) : head, flush: () => {} }));
  const waits = positionWaiters(Math.min(...lanes.map((l) => l.applied)));
  // Lanes after the first (the main lane, where the pages' stories and search are) give way to it:
  // a later lane applies a batch only once the first has applied as far and the log holds nothing
  // newer, so during a large catch-up, or an import by another process, the thread projects what
  // pages show first and the costly lanes after it (or in the gaps, while an import appends slower
  // than the first lane projects).
  const lead = lanes[0]!;
  let leadMoved: (() => void)[] = [];
  let closing = false;
  const release = (): void => {
    const waiting = leadMoved;
    leadMoved = [];
    for (const resolve of waiting) resolve();
  };
  /**
   * Resolves when the first lane commits a batch, or after a while: then only to look again. (Not
   * "it has committed nothing for a while, so it must have caught up": whatever else holds this
   * thread, a later lane's batch or the chain keeper, holds the first lane too, and a later lane
   * must not take that for the first lane being idle.)
   */
  const leadMoves = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const recheck = setTimeout(resolve, LEAD_RECHECK_MS);
      leadMoved.push(() => {
        clearTimeout(recheck);
        resolve();
      });
    });
  /**
   * The first lane has applied up to `position` and the log holds nothing newer: another process's
   * appends (an import) are found by polling, so the first lane may not have read them yet, and a
   * later lane's batch would then hold the thread they need.
   */
  /** the log's head when a lane last looked (see leadIsAhead), and when it last saw it move */
  let headSeen = head;
  let headMovedAt = Number.NEGATIVE_INFINITY;
  const leadIsAhead = async (position: number): Promise<boolean> => {
    if (lead.applied < position) return false;
    try {
      const now = await store.headPosition();
      if (now !== headSeen) {
        headSeen = now;
        headMovedAt = performance.now();
      }
      return now <= lead.applied;
    } catch {
      // the store cannot say (closing): do not hold the lane for it
      return true;
    }
  };
  /** waits until the first lane is ahead (leadIsAhead), it has stopped, or the runtime closes */
  const behindLead = async (position: number): Promise<void> => {
    while (!waits.stoppedBy && !closing && !(await leadIsAhead(position))) await leadMoves();
  };
  /** what every read model has passed: the slowest lane's position */
  const advance = (): void => {
    const all = Math.min(...lanes.map((l) => l.applied));
    opts.onProgress?.(all, head);
    waits.advance(all);
    release();
  };

  const sizing: BatchSizing = opts.batch ?? { min: BATCH_MIN, max: BATCH_MAX, targetMs: BATCH_TARGET_MS };
  // EventStoreDB dedupes ids only on exact expected revisions: apply each id once per projection.
  const dedupe = !store.uniqueIds;

  const runLane = (lane: Lane): void => {
    const queue: RecordedEvent[] = [];
    let flushScheduled = false;
    /** waiting for the first lane (applyAfterLead) */
    let holding = false;
    let batchSize = Math.max(sizing.min, 64);
    /** what its last batch took per event (ms) */
    let msPerEvent = 0;
    /** applies the queue, or its first `limit` events */
    const flush = (limit = Number.POSITIVE_INFINITY): void => {
      flushScheduled = false;
      if (queue.length === 0) return;
      const started = performance.now();
      const batch = queue.splice(0, Math.min(limit, queue.length));
      // most events are at their type's current version: reuse the object instead of copying it
      const events = batch.map((e) => {
        const data = upcast(e.type, e.data, e.metadata.v ?? 1);
        return (data === e.data ? e : { ...e, data }) as unknown as ProjectedEvent;
      });
      // One transaction for the batch, one savepoint per projection inside it: a projection that
      // fails rolls back alone, and the batch costs one commit instead of one per projection.
      // IMMEDIATE takes views.db's write lock before the checkpoints are read: another process
      // (a CLI command while `serve` runs) may have applied these events already, and the
      // checkpoint in the file, not the one in memory, says what is done
      db.transaction(() => {
        for (const s of lane.state) {
          if (s.failed) continue;
          let current: ProjectedEvent | undefined;
          try {
            db.transaction(() => {
              const inFile = getCp.get(s.p.name)?.position ?? 0;
              // another process (a CLI command, a second `serve`) applied events since: what this
              // one remembers of the tables may be out of date
              if (inFile > s.position) s.p.invalidate?.(db);
              const done = Math.max(s.position, inFile);
              const inBatch = new Set<string>();
              // the events this projection has not applied yet; `current` follows the one being applied
              const todo = function* (): Generator<ProjectedEvent> {
                for (const e of events) {
                  if (e.position <= done) continue;
                  if (dedupe) {
                    if (inBatch.has(e.id) || seen.get(s.p.name, e.id)) continue;
                    inBatch.add(e.id);
                    markSeen.run(s.p.name, e.id);
                  }
                  current = e;
                  yield e;
                }
              };
              if (s.p.applyBatch) s.p.applyBatch(db, todo());
              else for (const e of todo()) s.p.apply(db, e);
              s.position = Math.max(done, batch[batch.length - 1]!.position);
              setCp.run(s.p.name, s.p.version, s.position);
            })();
          } catch (err) {
            s.p.invalidate?.(db);
            const position = current?.position ?? -1;
            s.failed = { position, error: err instanceof Error ? err.message : String(err) };
            log(`projection ${s.p.name} stopped at position ${position} (${current?.type ?? '?'}): ${s.failed.error}`);
          }
        }
      }).immediate();
      // an erasure's rewrite leaves no page image with the old words in the WAL
      if (batch.some((e) => e.type === 'PersonErased')) truncateWal(db, log);
      lane.applied = batch[batch.length - 1]!.position;
      const took = performance.now() - started;
      msPerEvent = took / batch.length;
      if (took > sizing.targetMs * 1.5) batchSize = Math.max(sizing.min, Math.floor(batchSize / 2));
      else if (took < sizing.targetMs / 2 && batch.length >= batchSize) batchSize = Math.min(sizing.max, batchSize * 2);
      advance();
    };
    lane.flush = () => flush();
    /**
     * A later lane applies its queue once the first lane is ahead (behindLead). While the log grows
     * (its head moved in the last GROWING_MS: another process imports), it applies it in pieces of
     * about GAP_MS, looking again between them, so that when the next appends come the first lane
     * waits that long behind it at most, not a whole batch (BACKGROUND_BATCH's take about 500 ms).
     * A rebuild, whose log does not grow, keeps whole batches.
     */
    const applyAfterLead = async (): Promise<void> => {
      while (queue.length) {
        await behindLead(queue[queue.length - 1]!.position);
        const growing = performance.now() - headMovedAt < GROWING_MS;
        flush(growing && msPerEvent > 0 ? Math.max(sizing.min, Math.floor(GAP_MS / msPerEvent)) : undefined);
        if (queue.length) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    // synchronous on purpose: the store then delivers a page without a microtask per event
    lane.sub = store.subscribe(lane.applied, (e) => {
      queue.push(e);
      if (queue.length >= batchSize) {
        // a later lane does not apply a full batch until the first lane has applied as far
        if (lane !== lead) {
          holding = true;
          return applyAfterLead().then(() => {
            holding = false;
            return new Promise<void>((resolve) => setImmediate(resolve));
          });
        }
        flush();
        // let requests, timers and the other lanes run between batches: catch-up must not stall `serve`
        return new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!flushScheduled) {
        flushScheduled = true;
        // (not while the lane waits for the first one: it flushes when that is done)
        setImmediate(() => {
          if (holding) flushScheduled = false;
          else if (lane !== lead && queue.length) {
            // a partial batch waits for the first lane too: while another process imports, the
            // log grows by less than a full batch between two looks, and a later lane's partial
            // batches (spread's take up to BACKGROUND_BATCH's 500 ms) would otherwise take turns
            // with the first lane, so the pages' stories would fall behind the import
            holding = true;
            void applyAfterLead().then(() => {
              holding = false;
            });
          } else flush();
        });
      }
    }, (err) => {
      if (waits.stoppedBy) return; // another lane already said so
      const stoppedBy = new Error(`projections: subscription failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      log(stoppedBy.message);
      opts.onStopped?.(stoppedBy);
      waits.stop(stoppedBy);
      release();
    });
  };
  for (const lane of lanes) runLane(lane);

  const waitFor = waits.waitFor;

  const caughtUp = waitFor(head, 24 * 3600_000);
  // a caller that never awaits caughtUp must not see an unhandled rejection
  caughtUp.catch(() => {});
  return {
    db,
    waitFor,
    caughtUp,
    status: () => state.map((s) => ({ name: s.p.name, position: s.position, ...(s.failed ? { failed: s.failed } : {}) })),
    afterMainLane: behindLead,
    async close() {
      closing = true;
      release();
      for (const lane of lanes) await lane.sub?.close();
      for (const lane of lanes) lane.flush();
    },
  };
}
