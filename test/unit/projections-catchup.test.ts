import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from '../../src/importer.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { openViews, startProjections } from '../../src/projections/runtime.ts';
import { allProjections } from '../../src/projections/index.ts';
import { generateLog } from '../../bench/generate.ts';
import { tempDir } from '../helpers.ts';

describe('catching up with a long log', () => {
  it('yields to the event loop between batches, so a server keeps answering while it catches up', async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'log.jsonl');
    writeFileSync(file, [...generateLog(5000, 5)].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const store = openEmbeddedStore(join(tmp.dir, 'events.db'), { synchronous: 'NORMAL' });
    try {
      await importFile(store, file);
      const views = openViews(join(tmp.dir, 'views.db'));
      // a timer stands for the requests a server must answer meanwhile: it fires only when catch-up lets go
      let turns = 0;
      const timer = setInterval(() => (turns += 1), 0);
      const runtime = await startProjections({ store, views, projections: allProjections(), log: () => {} });
      await runtime.caughtUp;
      clearInterval(timer);
      expect(runtime.status().every((s) => !s.failed && s.position === 5000)).toBe(true);
      expect(turns).toBeGreaterThan(3);
      await runtime.close();
      views.close();
    } finally {
      await store.close();
      tmp.remove();
    }
  });
});
