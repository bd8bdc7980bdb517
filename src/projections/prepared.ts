import type { Views } from './runtime.ts';

/** A connection's statements, and `forget` for when a projection drops and recreates its tables. */
export interface PreparedPer<T> {
  (db: Views): T;
  forget(db: Views): void;
}

/**
 * A read model's statements, prepared on a views connection's first use and reused after that, so
 * no request or event prepares SQL (better-sqlite3's `prepare` is costly on a hot path).
 */
export function preparedPer<T>(build: (db: Views) => T): PreparedPer<T> {
  const cache = new WeakMap<Views, T>();
  const get = (db: Views): T => {
    let s = cache.get(db);
    if (s === undefined) cache.set(db, (s = build(db)));
    return s;
  };
  return Object.assign(get, { forget: (db: Views) => void cache.delete(db) });
}
