import type { Views } from '../projections/runtime.ts';
import { preparedPer } from '../projections/prepared.ts';

/**
 * What pages read from the read models, kept until the read models change.
 *
 * The version of views.db moves whenever any row of any read model changes: `data_version` moves
 * when another connection commits (the projections' own connection when they run in a worker
 * thread, or a CLI command writing to the same file), and `total_changes()` counts the rows this
 * connection inserted, updated or deleted (the projections, when they run on this thread). Both are
 * read on every look-up, so a page never shows a value the read models no longer hold: a new story,
 * an amendment, a retraction or a theme change is on the pages as soon as the projections have
 * committed it (what `waitFor` waits for). The version is read once per turn of the event loop
 * (a microtask forgets it): waiting for the projections takes at least a turn.
 *
 * Keep only what is a pure function of the read models and the key: never anything that depends on
 * who asks unless the key says so (see src/http/shared-parts.ts), never the clock unless the key
 * holds it. Values are frozen (objects and arrays, two levels down) so a caller that changes one
 * fails loudly instead of changing it for everyone.
 */

/** at most this many values are kept per version; past it, everything is dropped (a rare reset is cheaper than an LRU here) */
const MAX_ENTRIES = 5000;
/** and at most this many characters of kept text (rendered parts), so that memory stays bounded (about 16 MB; serve's RSS aim at organisation size is 300 MB) */
const MAX_CHARS = 8_000_000;

// two statements: one over the pragma_data_version table-valued function measured slower (7.5 against 4.5 µs)
const statements = preparedPer((db: Views) => ({
  changes: db.prepare<[], number>('SELECT total_changes()').pluck(),
  dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
}));
/** the version read in this turn of the event loop, per connection */
const thisTurn = new Map<Views, string>();

/** views.db's version as one string: equal strings mean no read model changed in between. */
export function viewsVersion(db: Views): string {
  let v = thisTurn.get(db);
  if (v === undefined) {
    const st = statements(db);
    v = `${st.dataVersion.get()!}.${st.changes.get()!}`;
    if (thisTurn.size === 0) queueMicrotask(() => thisTurn.clear());
    thisTurn.set(db, v);
  }
  return v;
}

interface Kept {
  version: string;
  values: Map<string, unknown>;
  /** characters of the strings kept */
  chars: number;
}
const kept = new WeakMap<Views, Kept>();

function freeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value as object)) {
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const w of Object.values(v as object)) if (w !== null && typeof w === 'object') Object.freeze(w);
    }
  }
  return value;
}

/** What is kept for the read models as they are now (a new, empty set when they changed). */
function keptNow(db: Views): Kept {
  const version = viewsVersion(db);
  let k = kept.get(db);
  if (!k || k.version !== version) kept.set(db, (k = { version, values: new Map(), chars: 0 }));
  return k;
}

function keep(k: Kept, key: string, value: unknown): void {
  const chars = typeof value === 'string' ? value.length : 0;
  if (k.values.size >= MAX_ENTRIES || k.chars + chars > MAX_CHARS) {
    k.values.clear();
    k.chars = 0;
  }
  k.values.set(key, freeze(value));
  k.chars += chars;
}

/** The value under `key` for the read models as they are now: computed once per views.db version. */
export function keptUntilViewsChange<T>(db: Views, key: string, compute: () => T): T {
  const k = keptNow(db);
  if (k.values.has(key)) return k.values.get(key) as T;
  const value = compute();
  keep(k, key, value);
  return value;
}

/**
 * Computations in flight per key, whatever version they started at: at most one runs per key, so
 * when the read models change faster than a value is computed (a dashboard while reads keep
 * coming in), requests do not start one computation each and pile up.
 */
interface Flight {
  version: string;
  promise: Promise<unknown>;
  /** the one computation that starts after this one, for everyone who asked meanwhile */
  next?: Promise<unknown>;
}
const flights = new WeakMap<Views, Map<string, Flight>>();

/**
 * Like keptUntilViewsChange, for a value computed asynchronously (rendered HTML). Requests that ask
 * while it is being computed for the read models as they are wait for that one computation (twenty
 * leaders opening the dashboard at once cost one dashboard, not twenty). A request that finds one
 * in flight for an older version waits for it and then for one more, shared with every request
 * that came meanwhile, so what it gets is never older than the read models it arrived at. Kept
 * only if the read models did not change meanwhile.
 */
export function keptUntilViewsChangeAsync<T>(db: Views, key: string, compute: () => Promise<T>): Promise<T> {
  const k = keptNow(db);
  if (k.values.has(key)) return Promise.resolve(k.values.get(key) as T);
  let inFlight = flights.get(db);
  if (!inFlight) flights.set(db, (inFlight = new Map()));
  const f = inFlight.get(key);
  if (f && f.version === k.version) return f.promise as Promise<T>;
  if (f) {
    f.next ??= f.promise.then(
      () => keptUntilViewsChangeAsync(db, key, compute),
      () => keptUntilViewsChangeAsync(db, key, compute),
    );
    return f.next as Promise<T>;
  }
  const flights_ = inFlight;
  const done = (): void => {
    if (flights_.get(key) === flight) flights_.delete(key);
  };
  const computing = compute().then(
    (value) => {
      done();
      if (kept.get(db) === k && viewsVersion(db) === k.version) keep(k, key, value);
      return value;
    },
    (err: unknown) => {
      done();
      throw err;
    },
  );
  const flight: Flight = { version: k.version, promise: computing };
  inFlight.set(key, flight);
  return computing;
}

/** How much is kept for the read models as they are now (for tests and the bench). */
export function keptSize(db: Views): { entries: number; chars: number } {
  const k = keptNow(db);
  return { entries: k.values.size, chars: k.chars };
}

/**
 * Values kept under their own version instead of views.db's (keptUntilChangeAsync): for a value
 * that depends on a few read models only, so changes to the others leave it kept. At most
 * VERSIONED_MAX values per connection (least recently used dropped first: dated story spread pages;
 * the dashboard's pages are kept by src/read/kept-latest.ts) and VERSIONED_CHARS characters (about 8 MB).
 */
const VERSIONED_MAX = 16;
const VERSIONED_CHARS = 4_000_000;
interface Versioned {
  values: Map<string, { version: string; value: unknown; chars: number }>;
  chars: number;
  flights: Map<string, Flight>;
}
const versioned = new WeakMap<Views, Versioned>();

function versionedOf(db: Views): Versioned {
  let v = versioned.get(db);
  if (!v) versioned.set(db, (v = { values: new Map(), chars: 0, flights: new Map() }));
  return v;
}

function keepVersioned(v: Versioned, key: string, version: string, value: unknown): void {
  const chars = typeof value === 'string' ? value.length : 0;
  const old = v.values.get(key);
  if (old) {
    v.values.delete(key);
    v.chars -= old.chars;
  }
  // drop the least recently used (a Map iterates in insertion order; a hit moves its key to the end)
  for (const [k, e] of v.values) {
    if (v.values.size < VERSIONED_MAX && v.chars + chars <= VERSIONED_CHARS) break;
    v.values.delete(k);
    v.chars -= e.chars;
  }
  v.values.set(key, { version, value: freeze(value), chars });
  v.chars += chars;
}

/**
 * The value under `key`, computed at most once per `version()` (the caller's key of what the value
 * reads, say the dashboard's dashboardVersion) and kept until it changes. As with
 * keptUntilViewsChangeAsync, at most one computation per key runs at a time: requests that arrive
 * while it runs for the current version share it, and requests that find one running for an older
 * version wait for it and then share one more, so no request gets a value older than the version it
 * arrived at. Kept only if the version did not move while it was computed.
 */
export function keptUntilChangeAsync<T>(db: Views, key: string, version: () => string, compute: () => Promise<T>): Promise<T> {
  const v = versionedOf(db);
  const now = version();
  const hit = v.values.get(key);
  if (hit && hit.version === now) {
    v.values.delete(key);
    v.values.set(key, hit);
    return Promise.resolve(hit.value as T);
  }
  const f = v.flights.get(key);
  if (f && f.version === now) return f.promise as Promise<T>;
  if (f) {
    const again = (): Promise<T> => keptUntilChangeAsync(db, key, version, compute);
    f.next ??= f.promise.then(again, again);
    return f.next as Promise<T>;
  }
  const done = (): void => {
    if (v.flights.get(key) === flight) v.flights.delete(key);
  };
  const computing = compute().then(
    (value) => {
      done();
      if (version() === now) keepVersioned(v, key, now, value);
      return value;
    },
    (err: unknown) => {
      done();
      throw err;
    },
  );
  const flight: Flight = { version: now, promise: computing };
  v.flights.set(key, flight);
  return computing;
}

/** How much is kept under versions of their own (for tests and the bench). */
export function keptVersionedSize(db: Views): { entries: number; chars: number } {
  const v = versionedOf(db);
  return { entries: v.values.size, chars: v.chars };
}
