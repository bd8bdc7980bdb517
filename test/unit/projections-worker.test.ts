/**
 * `serve` runs the projections in a worker thread (src/projections/in-worker.ts) and reads views.db
 * through its own connection. What the worker builds must be what the projections build on the
 * serving thread, and waitFor/caughtUp must mean the same.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../../bench/generate.ts';
import { loadConfig, viewsFile } from '../../src/config.ts';
import { importLines } from '../../src/importer.ts';
import { allProjections } from '../../src/projections/index.ts';
import { wakingStore } from '../../src/projections/in-worker.ts';
import type { WorkerRuntime } from '../../src/projections/in-worker.ts';
import { openHallway } from '../../src/services.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { tempDir } from '../helpers.ts';
import { dumpViews } from '../views-dump.ts';
import { runCli } from '../cli/run-cli.ts';

describe('projections in a worker thread', () => {
  const tmp = tempDir('hallway-worker-');
  afterAll(() => tmp.remove());

  it('builds the same read models as a rebuild on one thread, and waitFor follows its commits', async () => {
    const lines = [...generateLog(3000, 23)].map((l) => JSON.stringify(l));
    const config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: '3000' });
    // part of the log is there before start-up (catch-up), the rest is appended while it runs (live)
    const seed = openEmbeddedStore(join(tmp.dir, 'events.db'));
    await importLines(seed, lines.slice(0, 1800));
    await seed.close();
    const hallway = await openHallway(config, { projectIn: 'worker', log: () => {} });
    let head: number;
    try {
      expect(hallway.runtime.status().map((s) => s.position)).toEqual(allProjections().map(() => 1800));
      head = (await importLines(hallway.store, lines.slice(1800))).position;
      await hallway.runtime.waitFor(head, 20_000);
      expect(hallway.runtime.status().filter((s) => s.failed)).toEqual([]);
      // the serving thread's own connection sees what the worker committed
      const stories = hallway.runtime.db.prepare('SELECT count(*) AS n FROM spread_stories').get() as { n: number };
      expect(stories.n).toBe(lines.filter((l) => l.includes('"StorySubmitted"')).length);
    } finally {
      await hallway.close();
    }
    const live = dumpViews(viewsFile(config));
    expect((live['checkpoints'] as { position: number }[]).every((c) => c.position === head)).toBe(true);

    const r = await runCli(['rebuild'], tmp.dir);
    expect(r.code).toBe(0);
    expect(dumpViews(viewsFile(config))).toEqual(live);
  });

  it('wakes the worker after each append from the serving thread, so it need not wait for its next poll', async () => {
    const dir = tempDir('hallway-worker-wake-');
    const store = openEmbeddedStore(join(dir.dir, 'events.db'));
    try {
      let wakes = 0;
      const woken = wakingStore(store, { wake: () => (wakes += 1) } as unknown as WorkerRuntime);
      await woken.append('s-1', [{ id: 'e1', type: 'ThemeDefined', data: {}, metadata: { at: new Date(0).toISOString() } }]);
      await woken.appendBatch([{ stream: 's-2', events: [{ id: 'e2', type: 'ThemeDefined', data: {}, metadata: { at: new Date(0).toISOString() } }] }]);
      expect(wakes).toBe(2);
      expect(await woken.headPosition()).toBe(2);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
