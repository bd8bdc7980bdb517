import { basename } from 'node:path';
import Database from './sqlite-driver.ts';

/**
 * Whole-file operations on Hallway's SQLite files, for `hallway backup` and `restore`.
 *
 * `VACUUM INTO` reads one consistent snapshot in a single read transaction: in WAL mode it neither
 * blocks the writers of the live file nor is disturbed by them. SQLite's page-by-page backup API
 * starts over each time another connection writes, so under a steady write load it might never
 * finish.
 */
export function snapshotInto(source: string, target: string): void {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
}

/** SQLite's own integrity check, then how many events the log holds and its last position. */
export function checkedLog(file: string): { events: number; lastPosition: number } {
  return checked(file, (db) => {
    const row = db.prepare<[], { n: number; p: number | null }>('SELECT count(*) AS n, max(position) AS p FROM events').get();
    return { events: row?.n ?? 0, lastPosition: row?.p ?? 0 };
  });
}

/** SQLite's own integrity check, then how many people's keys the key store holds. */
export function checkedKeys(file: string): { keys: number } {
  return checked(file, (db) => ({ keys: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM person_keys').get()?.n ?? 0 }));
}

/** SQLite's own integrity check of any of Hallway's files (the email outbox). */
export function checkedSqlite(file: string): void {
  checked(file, () => undefined);
}

function checked<T>(file: string, read: (db: InstanceType<typeof Database>) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`${basename(file)} fails SQLite's integrity check: ${String(check)}`);
    return read(db);
  } finally {
    db.close();
  }
}
