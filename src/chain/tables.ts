import type { Views } from '../projections/runtime.ts';

/**
 * The chain's tables in views.db, kept by the chain keeper (keeper.ts). Like every table there
 * they are a cache of the log: `hallway rebuild` deletes them and the keeper recomputes them.
 * - chain_state: how far the keeper has come (ordinal, the store's position, the link there, and
 *   the last event that is not a seal);
 * - chain_marks: the link at every 1,000th position and where that event is in the store, so a
 *   receipt and /verify start there instead of at the beginning of the log;
 * - chain_seals: the seals found in the log, for /admin and /verify.
 */
export const CHAIN_TABLES_VERSION = 1;

export function chainTables(db: Views): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS chain_state (one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER NOT NULL, ordinal INTEGER NOT NULL, position INTEGER NOT NULL, link BLOB NOT NULL, last_content INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS chain_marks (ordinal INTEGER PRIMARY KEY, position INTEGER NOT NULL, link BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS chain_seals (up_to INTEGER PRIMARY KEY, chain_hash TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL, sealed_at TEXT NOT NULL, ordinal INTEGER NOT NULL, position INTEGER NOT NULL);
  `);
}

export interface SealRow {
  upToPosition: number;
  chainHash: string;
  keyId: string;
  signature: string;
  sealedAt: string;
  /** the seal event's own ordinal and store position */
  ordinal: number;
  position: number;
}

const sealColumns = 'up_to AS upToPosition, chain_hash AS chainHash, key_id AS keyId, signature, sealed_at AS sealedAt, ordinal, position';

const prepared = new WeakMap<Views, ReturnType<typeof prepare>>();

/** the chain's queries on a views.db connection, prepared once per connection */
export function chainQueries(db: Views): ReturnType<typeof prepare> {
  let q = prepared.get(db);
  if (!q) {
    q = prepare(db);
    prepared.set(db, q);
  }
  return q;
}

function prepare(db: Views) {
  chainTables(db);
  return {
    latestSeal: db.prepare<[], SealRow>(`SELECT ${sealColumns} FROM chain_seals ORDER BY up_to DESC LIMIT 1`),
    /** the first seal at or after a position */
    sealFrom: db.prepare<[number], SealRow>(`SELECT ${sealColumns} FROM chain_seals WHERE up_to >= ? ORDER BY up_to LIMIT 1`),
    /** the last mark before a store position */
    markBeforePosition: db.prepare<[number], { ordinal: number; position: number; link: Buffer }>('SELECT ordinal, position, link FROM chain_marks WHERE position < ? ORDER BY ordinal DESC LIMIT 1'),
    mark: db.prepare<[number], { ordinal: number; position: number; link: Buffer }>('SELECT ordinal, position, link FROM chain_marks WHERE ordinal = ?'),
    state: db.prepare<[], { version: number; ordinal: number; position: number; link: Buffer; lastContent: number }>('SELECT version, ordinal, position, link, last_content AS lastContent FROM chain_state WHERE one = 1'),
  };
}
