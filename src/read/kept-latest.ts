import type { Views } from '../projections/runtime.ts';

/**
 * The last complete value of something costly to work out (the dashboard's page for a window),
 * refreshed off the request path: stale-while-revalidate.
 *
 * A request gets the kept value at once when it is current (computed at the version of the read
 * models it reads, for the same input). When it is not, one refresh starts (at most one runs per
 * key: requests that come meanwhile only leave word that the newest version is wanted, so a stream
 * of changes costs one computation after another, never a pile of them) and the request either
 * gets the kept value at once, if it was made less than `staleForMs` ago, or waits for the
 * refresh. `staleForMs: 0` waits every time (read-your-writes: where the computation runs on the
 * requester's own thread anyway, as in tests and for dated pages); `serve` serves stale while its
 * projection worker computes, so no request waits for a recount and the serving thread never runs one.
 */

export interface KeptLatestOptions<I, T> {
  /** the version of what the value reads, now (cheap: read per request) */
  version(): string;
  /** equal keys: the same value (the dashboard's window as [from, to)) */
  inputKey(input: I): string;
  /** works the value out; says at which version it read the read models */
  compute(input: I): Promise<{ value: T; version: string }>;
  /** a stale value younger than this (ms) is served while it is refreshed; older, the request waits */
  staleForMs: number;
  /** the length of a value, counted against the bound on what is kept (characters of a string) */
  sizeOf?(value: T): number;
  /** the clock staleness is measured on, in ms (default performance.now; tests move it by hand) */
  now?(): number;
  /**
   * A refresh starts no sooner than this many ms after the kept value's computation started
   * (default 0). Under a stream of changes (reads arriving every second) each window would
   * otherwise be recounted back to back, and the recounts would take the CPU the requests need;
   * meanwhile the kept value is served as it is, saying when its figures are from.
   */
  refreshEveryMs?: number;
  /** how a refresh waits (default a timer; tests pass their own) */
  sleep?(ms: number): Promise<void>;
}

export interface Latest<T> {
  value: T;
  /** the version of the read models it was computed at */
  version: string;
  /** the input's key */
  input: string;
  /** the clock's time (performance.now() unless `now` says otherwise) when its computation started */
  madeAt: number;
  size: number;
}

interface Entry {
  kept?: Latest<unknown>;
  /** the refresh loop running for this key, if any */
  running?: Promise<void>;
  /** what the requests that came while it ran want: the newest wins */
  want?: { input: unknown; key: string };
}

/** at most this many keys (least recently used dropped first) and this many characters kept per connection */
const MAX_KEYS = 16;
const MAX_SIZE = 4_000_000;

const entriesOf = new WeakMap<Views, Map<string, Entry>>();

const now = (opts: { now?(): number }): number => (opts.now ? opts.now() : performance.now());
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

function entries(db: Views): Map<string, Entry> {
  let m = entriesOf.get(db);
  if (!m) entriesOf.set(db, (m = new Map()));
  return m;
}

/** Drops the least recently used entries (not one being refreshed) past the bounds. */
function bound(m: Map<string, Entry>): void {
  let size = 0;
  for (const e of m.values()) size += e.kept?.size ?? 0;
  for (const [k, e] of m) {
    if (m.size <= MAX_KEYS && size <= MAX_SIZE) break;
    if (e.running) continue;
    m.delete(k);
    size -= e.kept?.size ?? 0;
  }
}

function refresh<I, T>(e: Entry, input: I, opts: KeptLatestOptions<I, T>): Promise<void> {
  e.want = { input, key: opts.inputKey(input) };
  if (!e.running) {
    e.running = (async () => {
      try {
        while (e.want) {
          const want = e.want;
          e.want = undefined;
          // the computation that finished meanwhile is current: nothing more to do
          if (e.kept && e.kept.input === want.key && e.kept.version === opts.version()) continue;
          const due = e.kept && opts.refreshEveryMs ? e.kept.madeAt + opts.refreshEveryMs - now(opts) : 0;
          if (due > 0) {
            await (opts.sleep ?? sleep)(due);
            // what the requests want now (one may have come meanwhile), and whether it is still needed
            e.want = e.want ?? want;
            continue;
          }
          const madeAt = now(opts);
          const r = await opts.compute(want.input as I);
          e.kept = { value: r.value, version: r.version, input: want.key, madeAt, size: opts.sizeOf?.(r.value) ?? 0 };
        }
      } finally {
        e.want = undefined;
        e.running = undefined;
      }
    })();
  }
  return e.running;
}

/**
 * The value under `key` for `input` (see the header): current, or stale while one refresh runs,
 * or the refresh's result when nothing young enough is kept.
 */
export async function keptLatest<I, T>(db: Views, key: string, input: I, opts: KeptLatestOptions<I, T>): Promise<Latest<T>> {
  const m = entries(db);
  let e = m.get(key);
  if (e) m.delete(key);
  else e = {};
  // (re)inserted: a Map iterates in insertion order, so the least recently used comes first
  m.set(key, e);
  const version = opts.version();
  const kept = e.kept as Latest<T> | undefined;
  if (kept && kept.version === version && kept.input === opts.inputKey(input)) return kept;
  const refreshing = refresh(e, input, opts);
  if (kept && now(opts) - kept.madeAt < opts.staleForMs) {
    // nobody waits for it: its failure is the next request's (which starts another)
    refreshing.catch(() => {});
    return kept;
  }
  try {
    await refreshing;
  } finally {
    bound(m);
  }
  return e.kept as Latest<T>;
}

/** Resolves once no refresh runs on this connection (for tests and the bench: wait on the condition, not a sleep). */
export async function refreshesSettled(db: Views): Promise<void> {
  for (;;) {
    const running = [...entries(db).values()].map((e) => e.running).filter((p): p is Promise<void> => p !== undefined);
    if (!running.length) return;
    await Promise.allSettled(running);
  }
}

/** How much is kept (for tests and the bench). */
export function keptLatestSize(db: Views): { keys: number; size: number } {
  let size = 0;
  const m = entries(db);
  for (const e of m.values()) size += e.kept?.size ?? 0;
  return { keys: m.size, size };
}
