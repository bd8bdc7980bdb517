import Database from './sqlite-driver.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConcurrencyError } from './port.ts';
import type { AppendResult, BatchAppend, EventStore, ExpectedRevision, Handler, NewEvent, ReadAllOptions, RecordedEvent, Subscription } from './port.ts';

/** a row as an array (better-sqlite3's raw mode), in COLUMNS' order */
type Row = [position: number, id: string, stream: string, revision: number, type: string, data: string, metadata: string];
const COLUMNS = 'position, id, stream, revision, type, data, metadata';

// Rows come as arrays, not objects: a rebuild reads every event, and an object per row (which
// better-sqlite3 builds key by key) cost about as much as parsing the event's JSON.
const toRecorded = (r: Row): RecordedEvent => ({
  id: r[1],
  type: r[4],
  stream: r[2],
  revision: r[3],
  position: r[0],
  data: JSON.parse(r[5]) as unknown,
  metadata: JSON.parse(r[6]) as RecordedEvent['metadata'],
});

export interface EmbeddedOptions {
  /** how often a subscriber looks for events that another process appended (ms) */
  pollMs?: number;
  /**
   * FULL (the default) makes an append that returned survive a power cut. NORMAL is offered only
   * for throwaway test archives.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  id       TEXT NOT NULL UNIQUE,
  stream   TEXT NOT NULL,
  revision INTEGER NOT NULL,
  type     TEXT NOT NULL,
  data     TEXT NOT NULL,
  metadata TEXT NOT NULL,
  UNIQUE (stream, revision)
);
CREATE TRIGGER IF NOT EXISTS events_are_never_updated BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TRIGGER IF NOT EXISTS events_are_never_deleted BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
`;

/** events per read while a subscription catches up */
const PAGE = 1000;
/** how long an append waits for another process's write (an import) before it fails */
const BUSY_WAIT_MS = 10_000;
/** how long a read waits for a lock (a read in WAL mode rarely has to) */
const READ_BUSY_MS = 10_000;

const isBusy = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The default store: one SQLite file, WAL, written only by append. */
export function openEmbeddedStore(file: string, options: EmbeddedOptions = {}): EventStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL: readers (projections, other processes) never block the one writer, and a crash mid-commit
  // leaves the last committed state (a torn WAL frame is ignored on recovery). FULL syncs the WAL
  // on every commit, so an append that returned survives a power cut, not only a process crash;
  // NORMAL could lose the last commits. The log is the only durable state, so FULL is the default;
  // with WAL it costs one fsync per commit, which import amortises by batching.
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma(`busy_timeout = ${READ_BUSY_MS}`);
  // the log is read in order (catch-up) and written at its end: 4 MB of page cache is plenty
  // (better-sqlite3's default is 16 MB a connection, and serve opens two: its own and the worker's)
  db.pragma('cache_size = -4000');
  db.exec(SCHEMA);
  const pollMs = options.pollMs ?? 200;

  const q = {
    revision: db.prepare<[string], { revision: number }>('SELECT max(revision) AS revision FROM events WHERE stream = ?'),
    byId: db.prepare<[string], { stream: string; revision: number; position: number }>('SELECT stream, revision, position FROM events WHERE id = ?'),
    insert: db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
    stream: db.prepare<[string, number], Row>(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`).raw(true),
    all: db.prepare<[number, number], Row>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true),
    head: db.prepare<[], { p: number | null }>('SELECT max(position) AS p FROM events'),
  };

  const currentRevision = (stream: string): number => q.revision.get(stream)?.revision ?? -1;

  const appendOne = (stream: string, events: NewEvent[], expected: ExpectedRevision): AppendResult => {
    if (events.length === 0) throw new Error('append needs at least one event');
    const fresh: NewEvent[] = [];
    const freshIds = new Set<string>();
    let lastExisting: { revision: number; position: number } | undefined;
    for (const e of events) {
      const found = q.byId.get(e.id);
      if (found) {
        if (found.stream !== stream) throw new Error(`event id ${e.id} is already used in stream ${found.stream}`);
        lastExisting = found;
      } else if (!freshIds.has(e.id)) {
        freshIds.add(e.id);
        fresh.push(e);
      }
    }
    const actual = currentRevision(stream);
    // A retry of an append that already happened is a no-op, whatever it expected.
    if (fresh.length === 0) {
      return { revision: actual, position: lastExisting?.position ?? 0 };
    }
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && actual === -1) ||
      (expected === 'stream_exists' && actual >= 0) ||
      (typeof expected === 'number' && expected === actual);
    if (!ok) throw new ConcurrencyError(stream, expected, actual);
    let revision = actual;
    let position = 0;
    for (const e of fresh) {
      revision += 1;
      const info = q.insert.run(e.id, stream, revision, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
      position = Number(info.lastInsertRowid);
    }
    return { revision, position };
  };
  const appendTx = db.transaction(appendOne);
  // A whole import batch is one transaction: after a crash the log holds every event of a batch or none.
  const batchTx = db.transaction((items: BatchAppend[]): AppendResult => {
    let last: AppendResult = { revision: -1, position: 0 };
    for (const it of items) last = appendOne(it.stream, it.events, it.expectedRevision ?? 'any');
    return last;
  });

  /**
   * Runs a write transaction, waiting for another process's write lock without blocking: SQLite's
   * own busy handler sleeps on this thread, so `serve` would stop answering for as long as an
   * import in another process holds the lock. Instead, a busy attempt fails at once and is retried
   * after a short timer (BEGIN IMMEDIATE failed, so nothing was done).
   */
  const writing = async <T>(run: () => T): Promise<T> => {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, 8)) {
      // not a prepared statement: SQLite applies this pragma when it compiles it
      db.pragma('busy_timeout = 0');
      try {
        return run();
      } catch (e) {
        if (!isBusy(e) || Date.now() > deadline) throw e;
      } finally {
        db.pragma(`busy_timeout = ${READ_BUSY_MS}`);
      }
      await sleep(pause);
    }
  };

  // Subscribers in this process are woken at once; other processes' appends are found by polling.
  const wakers = new Set<() => void>();
  const wakeAll = (): void => {
    for (const w of [...wakers]) w();
  };

  const readAllSync = (after: number, limit: number): RecordedEvent[] => q.all.all(after, limit).map(toRecorded);
  let closed = false;
  const running = new Set<Promise<void>>();

  const store: EventStore = {
    kind: 'embedded',
    uniqueIds: true,
    async append(stream, events, opts = {}) {
      // IMMEDIATE takes the write lock up front, so two processes never interleave a check and an insert.
      const result = await writing(() => appendTx.immediate(stream, events, opts.expectedRevision ?? 'any'));
      wakeAll();
      return result;
    },
    async appendBatch(items) {
      if (items.length === 0) throw new Error('appendBatch needs at least one item');
      const result = await writing(() => batchTx.immediate(items));
      wakeAll();
      return result;
    },
    async readStream(stream, opts = {}) {
      return q.stream.all(stream, opts.fromRevision ?? 0).map(toRecorded);
    },
    async streamRevision(stream) {
      return currentRevision(stream);
    },
    async readAll(opts: ReadAllOptions = {}) {
      return readAllSync(opts.after ?? 0, opts.limit ?? 1000);
    },
    async headPosition() {
      return q.head.get()?.p ?? 0;
    },
    subscribe(after: number, handler: Handler, onError?: (e: unknown) => void): Subscription {
      let stopped = false;
      let checkpoint = after;
      let wake: (() => void) | undefined;
      // set when an append happens while the handler runs, so the loop re-reads instead of sleeping
      let woken = false;
      let resolveCaughtUp!: () => void;
      let rejectCaughtUp!: (e: unknown) => void;
      const caughtUp = new Promise<void>((resolve, reject) => {
        resolveCaughtUp = resolve;
        rejectCaughtUp = reject;
      });
      // a caller that never awaits caughtUp must not see an unhandled rejection
      caughtUp.catch(() => {});
      const head = q.head.get()?.p ?? 0;
      if (head <= after) resolveCaughtUp();
      const waker = (): void => {
        woken = true;
        wake?.();
      };
      wakers.add(waker);
      const loop = async (): Promise<void> => {
        while (!stopped && !closed) {
          woken = false;
          const batch = readAllSync(checkpoint, PAGE);
          for (const e of batch) {
            if (stopped) return;
            // await only handlers that are asynchronous: a microtask per event shows in a rebuild
            const pending = handler(e);
            if (pending) await pending;
            checkpoint = e.position;
          }
          if (checkpoint >= head) resolveCaughtUp();
          if (batch.length < PAGE && !woken && !stopped && !closed) {
            await new Promise<void>((r) => {
              const t = setTimeout(r, pollMs);
              wake = () => {
                clearTimeout(t);
                r();
              };
            });
            wake = undefined;
          }
        }
      };
      const done = loop().catch((e: unknown) => {
        stopped = true;
        rejectCaughtUp(e);
        if (onError) onError(e);
        else console.error('subscription stopped:', e);
      }).finally(() => {
        wakers.delete(waker);
        running.delete(done);
        resolveCaughtUp();
      });
      running.add(done);
      return {
        caughtUp,
        async close() {
          stopped = true;
          wake?.();
          await done;
        },
      };
    },
    wake: wakeAll,
    async close() {
      closed = true;
      wakeAll();
      // let subscription loops observe `closed` before the handle goes away
      await Promise.allSettled([...running]);
      db.close();
    },
  };
  return store;
}
