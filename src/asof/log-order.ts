import type { Projection, Views } from '../projections/runtime.ts';
import { preparedPer } from '../projections/prepared.ts';

/**
 * What the archive as it stood on a date needs to know of the order of `metadata.at` along the
 * log, kept as the log is projected so that no request has to scan it.
 *
 * A date's cut keeps the events whose `at` is before its cutoff C, in log order. It is a prefix of
 * the log exactly when no event with `at` ≥ C comes before one with `at` < C. Walking the log with
 * the running maximum M of `at`, an event whose `at` a is below M makes every cutoff in (a, M]
 * fail that test (an earlier event had M ≥ C > a), and only those: so the facts are the running
 * maximum and the union of those intervals ("gaps"). In a log whose `at` never goes backwards
 * there is no gap; an import of older history after newer events opens one over the dates it
 * spans. Past MAX_GAPS intervals they are merged into their hull, which only ever says "not a
 * prefix" where a finer list might have said "prefix": the slow, exact path is then taken.
 *
 * An event whose `at` does not parse is in no date's cut (src/asof/snapshots.ts keeps an event only
 * when its `at` is before the cutoff): it counts as +∞ here.
 */

export interface AtOrder {
  /** the greatest `at` (ms) seen; -∞ for an empty log */
  maxAtMs: number;
  /** sorted, disjoint intervals (lo, hi] of cutoffs that do not cut the log as a prefix */
  gaps: [number, number][];
}

const MAX_GAPS = 256;

export const emptyOrder = (): AtOrder => ({ maxAtMs: Number.NEGATIVE_INFINITY, gaps: [] });

/** The facts after one more event, recorded at `atMs` (NaN: an `at` that does not parse). */
export function observe(order: AtOrder, atMs: number): void {
  const a = Number.isNaN(atMs) ? Number.POSITIVE_INFINITY : atMs;
  if (a >= order.maxAtMs) {
    order.maxAtMs = a;
    return;
  }
  addGap(order.gaps, a, order.maxAtMs);
}

function addGap(gaps: [number, number][], lo: number, hi: number): void {
  // merge with every interval it overlaps or touches, keep the list sorted
  let i = 0;
  while (i < gaps.length && gaps[i]![1] < lo) i++;
  let j = i;
  let l = lo;
  let h = hi;
  while (j < gaps.length && gaps[j]![0] <= h) {
    l = Math.min(l, gaps[j]![0]);
    h = Math.max(h, gaps[j]![1]);
    j++;
  }
  gaps.splice(i, j - i, [l, h]);
  if (gaps.length > MAX_GAPS) gaps.splice(0, gaps.length, [gaps[0]![0], gaps[gaps.length - 1]![1]]);
}

/** Whether the events before `cutoffMs` are a prefix of the log (see above). */
export function cutIsPrefix(order: AtOrder, cutoffMs: number): boolean {
  return !order.gaps.some(([lo, hi]) => lo < cutoffMs && cutoffMs <= hi);
}

/** Whether every event of the log is before `cutoffMs`: the date's archive is today's. */
export function wholeLogBefore(order: AtOrder, cutoffMs: number): boolean {
  return order.maxAtMs < cutoffMs;
}

// ---- the projection: the facts in views.db, with the log position they hold for -------------

const memory = new WeakMap<Views, AtOrder>();

const toRow = (o: AtOrder): [number | null, string] => [Number.isFinite(o.maxAtMs) ? o.maxAtMs : o.maxAtMs > 0 ? 1e300 : null, JSON.stringify(o.gaps.map(([l, h]) => [finite(l), finite(h)]))];
const finite = (x: number): number => (x === Number.POSITIVE_INFINITY ? 1e300 : x === Number.NEGATIVE_INFINITY ? -1e300 : x);
const fromRow = (maxAt: number | null, gaps: string): AtOrder => ({
  maxAtMs: maxAt === null ? Number.NEGATIVE_INFINITY : maxAt >= 1e300 ? Number.POSITIVE_INFINITY : maxAt,
  gaps: (JSON.parse(gaps) as [number, number][]).map(([l, h]) => [l, h >= 1e300 ? Number.POSITIVE_INFINITY : h]),
});

// ---- where each UTC day starts along the log: a prefix cut's end without searching the log ----

const DAY_MS = 86_400_000;
/** the day number of +∞ (an `at` that does not parse): after every real day */
const NEVER_DAY = 1e12;
const dayOf = (atMs: number): number => (Number.isFinite(atMs) ? Math.floor(atMs / DAY_MS) : atMs > 0 ? NEVER_DAY : Number.NEGATIVE_INFINITY);

const statements = preparedPer((db: Views) => ({
  read: db.prepare<[], { max_at: number | null; gaps: string }>('SELECT max_at, gaps FROM asof_order WHERE k = 1'),
  write: db.prepare('UPDATE asof_order SET max_at = ?, gaps = ? WHERE k = 1'),
  checkpoints: db.prepare<[], { name: string; position: number }>('SELECT name, position FROM checkpoints'),
  dayStarts: db.prepare('INSERT OR IGNORE INTO asof_day_starts (day, position) VALUES (?, ?)'),
  firstFrom: db.prepare<[number], number>('SELECT position FROM asof_day_starts WHERE day >= ? ORDER BY day LIMIT 1').pluck(),
  erased: db.prepare('UPDATE asof_order SET erasures = erasures + ? WHERE k = 1'),
  erasures: db.prepare<[], number>('SELECT erasures FROM asof_order WHERE k = 1').pluck(),
}));

/**
 * How many erasures (PersonErased) the log holds, as far as the projection has seen. What the
 * archive as it stood on a date keeps (src/asof/snapshots.ts) was read while the erased person's
 * words could still be read; a rebuild of the cut log after the erasure reads the markers instead
 * (the key is gone). So everything kept for past dates is dropped when this number moves.
 */
export function erasuresSeen(db: Views): number {
  return statements(db).erasures.get() ?? 0;
}

/**
 * The position of the first event recorded at or after `cutoffMs`, a UTC midnight, for a date whose
 * cut is a prefix of the log (cutIsPrefix): +∞ when no event the projection has seen is. The
 * projection keeps, for each UTC day the running maximum of `at` reaches, the position where it
 * first did (`asof_day_starts`: a row a day, not an event). In a prefix cut every event before the
 * first one left out is before the cutoff and that one is not, so the running maximum first reaches
 * the cutoff's day exactly there. Undefined for a cutoff that is not a midnight. Read in the same
 * transaction as the facts; the same answer as a binary search of the log (src/asof/cut.ts's
 * firstOutside), without reading the log: EventStoreDB cannot read $all from an arbitrary position.
 */
export function firstOutOfDays(db: Views, cutoffMs: number): number | undefined {
  if (cutoffMs % DAY_MS !== 0) return undefined;
  return statements(db).firstFrom.get(cutoffMs / DAY_MS) ?? Number.POSITIVE_INFINITY;
}

/** The facts as views.db holds them (through the projection's checkpoint), or undefined before it ran (throws on a views.db without its table). */
export function readOrder(db: Views): AtOrder | undefined {
  const r = statements(db).read.get();
  return r && fromRow(r.max_at, r.gaps);
}

/** Every read model's checkpoint: the log position it has applied. */
export function checkpointsOf(db: Views): { name: string; position: number }[] {
  return statements(db).checkpoints.all();
}

export const logOrderProjection: Projection = {
  name: 'asof-order',
  // 2: where each UTC day starts along the log (asof_day_starts); 3: and the erasures seen (a
  // views.db made by a build between the two had version 2 without the column)
  version: 3,
  setup(db) {
    db.exec('CREATE TABLE IF NOT EXISTS asof_order (k INTEGER PRIMARY KEY CHECK (k = 1), max_at REAL, gaps TEXT NOT NULL, erasures INTEGER NOT NULL DEFAULT 0)');
    db.exec('CREATE TABLE IF NOT EXISTS asof_day_starts (day INTEGER PRIMARY KEY, position INTEGER NOT NULL)');
    db.prepare("INSERT OR IGNORE INTO asof_order (k, max_at, gaps) VALUES (1, NULL, '[]')").run();
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS asof_order; DROP TABLE IF EXISTS asof_day_starts');
    statements.forget(db);
    memory.delete(db);
  },
  invalidate(db) {
    memory.delete(db);
  },
  apply(db, e) {
    logOrderProjection.applyBatch!(db, [e]);
  },
  applyBatch(db, events) {
    let o = memory.get(db);
    if (!o) {
      o = readOrder(db) ?? emptyOrder();
      memory.set(db, o);
    }
    const before = toRow(o);
    const q = statements(db);
    let erased = 0;
    for (const e of events) {
      if (e.type === 'PersonErased') erased += 1;
      const day = dayOf(o.maxAtMs);
      observe(o, Date.parse(e.metadata.at));
      // the running maximum reached a later day here (a few rows a day at most, one usually)
      if (dayOf(o.maxAtMs) > day) q.dayStarts.run(dayOf(o.maxAtMs), e.position);
    }
    if (erased > 0) q.erased.run(erased);
    const after = toRow(o);
    // at most one small row write per batch
    if (after[0] !== before[0] || after[1] !== before[1]) statements(db).write.run(after[0], after[1]);
  },
};
