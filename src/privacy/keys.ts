import Database from '../store/sqlite-driver.ts';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * The KeyStore port (docs/trust.md, "The key store"): one 32-byte key per person, kept outside the
 * log in a store that can forget. Async, so a key keeper over the network can implement it too.
 */
export interface KeyStore {
  /** the owner's key, created on first use; for a forgotten owner a throwaway key that is never kept */
  keyFor(owner: string): Promise<Buffer>;
  /** the owner's key, or null when it was forgotten or never made */
  open(owner: string): Promise<Buffer | null>;
  /** destroys the owner's key for good (idempotent) */
  forget(owner: string): Promise<void>;
  forgotten(owner: string): Promise<boolean>;
  /**
   * `open` without a promise, for a store that can answer at once (the embedded key file): a
   * rebuild then meets each person's first sealed event without waiting a turn of the event loop.
   */
  openSync?(owner: string): Buffer | null;
  close(): Promise<void>;
}

const KEY_BYTES = 32;

/**
 * The embedded key store: `keys.db`, its own SQLite file. secure_delete overwrites a forgotten
 * key's bytes in the file; journal_mode DELETE (not WAL) keeps no page image after a transaction;
 * the file is readable by its owner only (0600).
 */
export function openKeyFile(file: string): KeyStore {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.pragma('secure_delete = ON');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  db.exec(`CREATE TABLE IF NOT EXISTS person_keys (owner TEXT PRIMARY KEY, key BLOB NOT NULL);
           CREATE TABLE IF NOT EXISTS forgotten_keys (owner TEXT PRIMARY KEY);`);
  const q = {
    get: db.prepare<[string], Buffer>('SELECT key FROM person_keys WHERE owner = ?').pluck(),
    add: db.prepare('INSERT OR IGNORE INTO person_keys (owner, key) VALUES (?, ?)'),
    isForgotten: db.prepare<[string], number>('SELECT 1 FROM forgotten_keys WHERE owner = ?').pluck(),
    drop: db.prepare('DELETE FROM person_keys WHERE owner = ?'),
    mark: db.prepare('INSERT OR IGNORE INTO forgotten_keys (owner) VALUES (?)'),
  };
  // IMMEDIATE: two processes making the first key for one person agree on one (the other's insert is ignored)
  const make = db.transaction((owner: string): Buffer => {
    if (q.isForgotten.get(owner)) return randomBytes(KEY_BYTES);
    const had = q.get.get(owner);
    if (had) return had;
    q.add.run(owner, randomBytes(KEY_BYTES));
    return q.get.get(owner)!;
  });
  const forget = db.transaction((owner: string) => {
    q.drop.run(owner);
    q.mark.run(owner);
  });
  return {
    async keyFor(owner) {
      return q.get.get(owner) ?? make.immediate(owner);
    },
    async open(owner) {
      return q.get.get(owner) ?? null;
    },
    openSync(owner) {
      return q.get.get(owner) ?? null;
    },
    async forget(owner) {
      forget.immediate(owner);
    },
    async forgotten(owner) {
      return q.isForgotten.get(owner) === 1;
    },
    async close() {
      db.close();
    },
  };
}
