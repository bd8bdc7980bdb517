/**
 * The SQLite driver for this Node version. better-sqlite3 12 wraps its objects with V8's own
 * ObjectWrap, which on Node 24 aborts the process when a statement is collected in a worker thread
 * that is shutting down (`RemoveEnvironmentCleanupHook: Assertion failed: (env) != nullptr`);
 * better-sqlite3 13 is built on Node-API, ships its binaries in the package, and is safe there, but
 * needs Node 22. So Node 22 and later load 13 (the `better-sqlite3-napi` alias) and Node 20 loads 12.
 * Both have the same API; the types are @types/better-sqlite3's.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);
const major = Number(process.versions.node.split('.')[0]);

export const SQLITE_DRIVER = major >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3';

function load(): typeof BetterSqlite3 {
  try {
    return require(SQLITE_DRIVER) as typeof BetterSqlite3;
  } catch (err) {
    throw new Error(
      `Hallway needs the SQLite driver ${SQLITE_DRIVER} for Node ${process.versions.node}, and it did not load (${(err as Error).message}). Run npm ci with this Node version.`,
    );
  }
}

const Database = load();
export default Database;
/** the driver's types, as `import type Database from 'better-sqlite3'` gives them */
export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement;
