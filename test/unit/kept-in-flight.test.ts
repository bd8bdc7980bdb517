import { describe, expect, it } from 'vitest';
import { openViews } from '../../src/projections/runtime.ts';
import { keptUntilChangeAsync, keptUntilViewsChangeAsync, keptVersionedSize, viewsVersion } from '../../src/read/kept.ts';
import { gatedComputation } from './gated-computation.ts';

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

/** Issue 10: a value kept under a version of its own (the dashboard's), whatever the other read models do. */
describe('keptUntilChangeAsync', () => {
  it('computes once per version, one computation at a time, each answer at or after its request’s version', async () => {
    const db = openViews(':memory:');
    let version = 1;
    // each computation finishes when the test says so
    const gate = gatedComputation();
    const ask = () => keptUntilChangeAsync(db, 'page', () => String(version), () => gate.run(() => version));
    const first = [ask(), ask(), ask()];
    expect(gate.computations()).toBe(1); // three requests, one computation
    version = 2; // the inputs change while it runs
    const later = [ask(), ask()];
    expect(gate.computations()).toBe(1); // they wait for it, then share one more
    gate.finish();
    expect(await Promise.all(first)).toEqual([1, 1, 1]);
    await new Promise((r) => setImmediate(r));
    expect(gate.computations()).toBe(2);
    gate.finish();
    expect(await Promise.all(later)).toEqual([2, 2]);
    expect(gate.most()).toBe(1);
    // nothing changed since: kept, nothing computed
    expect(await ask()).toBe(2);
    expect(gate.computations()).toBe(2);
    db.close();
  });

  it('keeps at most 16 values, the least recently used dropped first', async () => {
    const db = openViews(':memory:');
    const v = () => '1';
    for (let i = 0; i < 16; i++) await keptUntilChangeAsync(db, `k${i}`, v, async () => `value ${i}`);
    await keptUntilChangeAsync(db, 'k0', v, async () => 'again'); // used: moves to the end
    await keptUntilChangeAsync(db, 'k16', v, async () => 'value 16');
    expect(keptVersionedSize(db).entries).toBe(16);
    expect(await keptUntilChangeAsync(db, 'k0', v, async () => 'recomputed')).toBe('value 0');
    expect(await keptUntilChangeAsync(db, 'k1', v, async () => 'recomputed')).toBe('recomputed');
    db.close();
  });
});
