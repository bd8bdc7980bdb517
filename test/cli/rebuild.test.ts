import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../../bench/generate.ts';
import { importLines } from '../../src/importer.ts';
import { allProjections } from '../../src/projections/index.ts';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { tempDir } from '../helpers.ts';
import { runCli } from './run-cli.ts';

/** every table of views.db, rows in a stable order */
function dumpViews(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const all = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
    // FTS5 keeps its index as b-tree segments whose layout depends on how the rows were batched
    // into transactions (catch-up batches adapt to time), not on what was indexed: compare the
    // virtual table's content and documents, and leave out the two segment tables
    const fts = all.filter((t) => /CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
    const segments = new Set(fts.flatMap((n) => [`${n}_data`, `${n}_idx`]));
    const tables = all.map((t) => t.name).filter((n) => !segments.has(n));
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

describe('hallway rebuild', () => {
  const tmp = tempDir('hallway-rebuild-');
  afterAll(() => tmp.remove());

  it('rebuilds every registered projection from position 0 to the same read models as live projection', async () => {
    const lines = [...generateLog(4000, 11)].map((l) => JSON.stringify(l));
    const store = openEmbeddedStore(join(tmp.dir, 'events.db'));
    const viewsFile = join(tmp.dir, 'views.db');
    let head: number;
    const views = openViews(viewsFile);
    try {
      // live: projections running while the log grows in two imports
      const runtime = await startProjections({ store, views, projections: allProjections(), log: () => {} });
      await importLines(store, lines.slice(0, 2500));
      head = (await importLines(store, lines.slice(2500))).position;
      await runtime.waitFor(head, 20_000);
      expect(runtime.status().filter((s) => s.failed)).toEqual([]);
      await runtime.close();
    } finally {
      views.close();
      await store.close();
    }
    const live = dumpViews(viewsFile);

    const r = await runCli(['rebuild'], tmp.dir);
    expect(r.stderr).toContain(`rebuilt ${allProjections().length} projections up to position ${head}`);
    expect(r.code).toBe(0);
    const rebuilt = dumpViews(viewsFile);
    const checkpoints = rebuilt['checkpoints'] as { name: string; position: number }[];
    expect(checkpoints.map((c) => c.name).sort()).toEqual(allProjections().map((p) => p.name).sort());
    expect(checkpoints.every((c) => c.position === head)).toBe(true);
    expect(rebuilt).toEqual(live);
  });
});
