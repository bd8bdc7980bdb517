import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../events/seed/seed-types.ts';
import { firstOutside } from '../../src/asof/cut.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import type { EventStore } from '../../src/store/port.ts';
import { tempDir } from '../helpers.ts';

/**
 * Where a date cuts the log (src/asof/cut.ts): the position of the first event at or after the
 * cutoff, found by a binary search of the embedded store, against a walk of the whole log.
 */
describe('firstOutside: where a prefix cut ends', () => {
  const tmp = tempDir();
  let store: EventStore;
  const ats: number[] = [];
  const positions: number[] = [];

  beforeAll(async () => {
    store = openEmbeddedStore(join(tmp.dir, 'events.db'));
    const rnd = prng(11);
    let clock = 1000;
    for (let i = 0; i < 300; i++) {
      // `at` never goes back (every cut is a prefix), several events share one `at` now and then
      clock += rnd() < 0.3 ? 0 : Math.floor(rnd() * 20);
      const r = await store.append(`s-${i % 7}`, [{ id: `id-${i}`, type: 'Noted', data: {}, metadata: { at: new Date(clock).toISOString() } }]);
      ats.push(clock);
      positions.push(r.position);
    }
    // a last event whose `at` does not parse: out of every cut
    const r = await store.append('s-x', [{ id: 'id-x', type: 'Noted', data: {}, metadata: { at: 'not a time' } }]);
    ats.push(Number.NaN);
    positions.push(r.position);
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  it('is the first event at or after the cutoff, for every cutoff; +∞ when every event up to the limit is before it', async () => {
    const wrong: string[] = [];
    const head = positions[positions.length - 1]!;
    const last = ats[ats.length - 2]!;
    for (let cutoff = 990; cutoff <= last + 2; cutoff += 3) {
      for (const upTo of [head, positions[150]!]) {
        const i = ats.findIndex((a, k) => positions[k]! <= upTo && !(a < cutoff));
        const expected = i < 0 ? Number.POSITIVE_INFINITY : positions[i]!;
        const got = await firstOutside(store, cutoff, upTo);
        if (got !== expected) wrong.push(`cutoff ${cutoff}, up to ${upTo}: ${got}, expected ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
    // the last event's `at` does not parse: it is out even of a cut after every real time
    expect(await firstOutside(store, last + 1_000_000, head)).toBe(head);
  });
});
