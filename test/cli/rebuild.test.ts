import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../../bench/generate.ts';
import { importLines } from '../../src/importer.ts';
import { allProjections } from '../../src/projections/index.ts';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { tempDir } from '../helpers.ts';
import { dumpViews } from '../views-dump.ts';
import { runCli } from './run-cli.ts';

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
