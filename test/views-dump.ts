import Database from '../src/store/sqlite-driver.ts';

/** every table of views.db, rows in a stable order */
export function dumpViews(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const all = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
    // FTS5 keeps its index as b-tree segments whose layout depends on how the rows were batched
    // into transactions (catch-up batches adapt to time), not on what was indexed: compare the
    // virtual table's content and documents, and leave out the two segment tables
    const fts = all.filter((t) => /CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
    const segments = new Set(fts.flatMap((n) => [`${n}_data`, `${n}_idx`]));
    // the chain keeper's tables (src/chain/tables.ts) run beside the projections in serve, not in a
    // rebuild: they are the log's chain, compared by `hallway verify`, not read models
    const tables = all.map((t) => t.name).filter((n) => !segments.has(n) && !n.startsWith('chain_'));
    return Object.fromEntries(
      tables.map((t) => {
        const columns = (db.prepare(`PRAGMA table_info("${t}")`).all() as unknown[]).map((_, i) => i + 1);
        return [t, db.prepare(`SELECT * FROM "${t}" ORDER BY ${columns.join(', ')}`).all()];
      }),
    );
  } finally {
    db.close();
  }
}
