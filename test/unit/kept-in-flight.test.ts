import { describe, expect, it } from 'vitest';
import { openViews } from '../../src/projections/runtime.ts';
import { keptUntilViewsChangeAsync, viewsVersion } from '../../src/read/kept.ts';

/**
 * A value computed asynchronously (a rendered dashboard) while the read models keep changing
 * faster than it is computed: one computation at a time per key, and no request gets a value
 * computed from read models older than those it arrived at.
 */
describe('keptUntilViewsChangeAsync while the read models keep changing', () => {
  it('runs one computation at a time per key, each answer computed at or after its request’s version', async () => {
    const db = openViews(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    const changesOf = (version: string): number => Number(version.split('.')[1]);
    let running = 0;
    let most = 0;
    let computations = 0;
    const compute = async (): Promise<number> => {
      computations += 1;
      running += 1;
      most = Math.max(most, running);
      const at = changesOf(viewsVersion(db));
      await new Promise((r) => setTimeout(r, 15));
      running -= 1;
      return at;
    };
    const answers: Promise<void>[] = [];
    for (let round = 0; round < 8; round++) {
      // a change, then a few requests in a new turn of the event loop (the version is read once a turn)
      db.prepare('INSERT INTO t (x) VALUES (?)').run(round);
      await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 5; i++) {
        const arrivedAt = changesOf(viewsVersion(db));
        answers.push(keptUntilViewsChangeAsync(db, 'page', compute).then((computedAt) => expect(computedAt).toBeGreaterThanOrEqual(arrivedAt)));
      }
      await new Promise((r) => setTimeout(r, 4));
    }
    await Promise.all(answers);
    expect(most).toBe(1);
    // fewer computations than rounds of changes: requests that came meanwhile shared the next one
    expect(computations).toBeLessThan(8);
    db.close();
  });
});
