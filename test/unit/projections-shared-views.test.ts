/**
 * Two processes on one data directory share views.db: each event is applied by whichever gets
 * there first, and the other skips it. A projection that keeps rows in memory (the spread
 * projection keeps each story's row) must forget them when the other applied events meanwhile.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLog } from '../../bench/generate.ts';
import { importLines } from '../../src/importer.ts';
import { allProjections } from '../../src/projections/index.ts';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { tempDir } from '../helpers.ts';
import { dumpViews } from '../views-dump.ts';

describe('two runtimes on one views.db', () => {
  it('take turns and build what one runtime alone builds', async () => {
    const tmp = tempDir('hallway-shared-views-');
    const lines = [...generateLog(3000, 31)].map((l) => JSON.stringify(l));
    const events = join(tmp.dir, 'events.db');
    const shared = join(tmp.dir, 'views.db');
    // A looks for other processes' events rarely: it sees B's only through the checkpoints
    const storeA = openEmbeddedStore(events, { pollMs: 60_000 });
    const storeB = openEmbeddedStore(events, { pollMs: 60_000 });
    const viewsA = openViews(shared);
    const viewsB = openViews(shared);
    try {
      const a = await startProjections({ store: storeA, views: viewsA, projections: allProjections(), log: () => {} });
      await a.waitFor((await importLines(storeA, lines.slice(0, 1000))).position, 20_000);
      const b = await startProjections({ store: storeB, views: viewsB, projections: allProjections(), log: () => {} });
      await b.waitFor((await importLines(storeB, lines.slice(1000, 2000))).position, 20_000);
      // A is woken by its own append and finds B's events applied: it skips them, then applies these
      const head = (await importLines(storeA, lines.slice(2000))).position;
      await a.waitFor(head, 20_000);
      expect([...a.status(), ...b.status()].filter((s) => s.failed)).toEqual([]);
      await a.close();
      await b.close();
    } finally {
      viewsA.close();
      viewsB.close();
      await storeA.close();
      await storeB.close();
    }

    const alone = join(tmp.dir, 'alone.db');
    const store = openEmbeddedStore(events);
    const views = openViews(alone);
    try {
      const r = await startProjections({ store, views, projections: allProjections(), log: () => {} });
      await r.waitFor(await store.headPosition(), 20_000);
      await r.close();
    } finally {
      views.close();
      await store.close();
    }
    const together = dumpViews(shared);
    const one = dumpViews(alone);
    expect(together['spread_stories']).toEqual(one['spread_stories']);
    expect(together).toEqual(one);
    tmp.remove();
  });
});
