import { describe, expect, it } from 'vitest';
import { prng } from '../../events/seed/seed-types.ts';
import { cutIsPrefix, firstOutOfDays, logOrderProjection, readOrder } from '../../src/asof/log-order.ts';
import { openViews } from '../../src/projections/runtime.ts';
import type { ProjectedEvent } from '../../src/projections/runtime.ts';

const DAY = 86_400_000;
const START = Date.UTC(2021, 2, 1);

/**
 * Where a prefix cut ends, read from what the asof-order read model keeps of where each UTC day
 * starts along the log (src/asof/log-order.ts), against a walk of the whole log: for every midnight
 * whose cut is a prefix, the first event recorded at or after it (an `at` that does not parse is
 * after every midnight), or +∞. Random logs whose `at` mostly grows, sometimes stands still for a
 * day, jumps days ahead, goes back (an import of older stories), or does not parse; applied in
 * batches of random sizes, as the runtime applies them.
 */
describe('firstOutOfDays: a prefix cut\'s end from where each day starts', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random log ${seed}: the first event at or after every midnight whose cut is a prefix`, () => {
      const rnd = prng(seed);
      const ats: number[] = [];
      let clock = START + Math.floor(rnd() * DAY);
      for (let i = 0; i < 400; i++) {
        const r = rnd();
        // an `at` that does not parse makes every later cut a non-prefix: only near the end
        if (i > 390 && r < 0.3) ats.push(Number.NaN);
        else if (r < 0.03) ats.push(clock - Math.floor(rnd() * 5 * DAY)); // an older event appended late
        else {
          clock += r < 0.15 ? Math.floor(rnd() * 4 * DAY) : Math.floor(rnd() * DAY * 0.2);
          ats.push(clock);
        }
      }
      const db = openViews(':memory:');
      logOrderProjection.setup(db);
      const events = ats.map((at, i) => ({ position: 10 + 3 * i, metadata: { at: Number.isNaN(at) ? 'not a time' : new Date(at).toISOString() } }) as unknown as ProjectedEvent);
      for (let i = 0; i < events.length; ) {
        const n = 1 + Math.floor(rnd() * 20);
        const batch = events.slice(i, i + n);
        db.transaction(() => logOrderProjection.applyBatch!(db, batch))();
        i += n;
      }
      const order = readOrder(db)!;
      let prefixes = 0;
      let inside = 0;
      const wrong: string[] = [];
      for (let cutoff = START; cutoff <= clock + 3 * DAY; cutoff += DAY) {
        if (!cutIsPrefix(order, cutoff)) continue;
        prefixes += 1;
        const i = ats.findIndex((a) => !(a < cutoff));
        const expected = i < 0 ? Number.POSITIVE_INFINITY : events[i]!.position;
        if (Number.isFinite(expected)) inside += 1;
        const got = firstOutOfDays(db, cutoff);
        if (got !== expected) wrong.push(`${new Date(cutoff).toISOString()}: ${got}, expected ${expected}`);
      }
      expect(wrong).toEqual([]);
      // the log had prefix cuts ending inside it, and the days kept are few
      expect(prefixes).toBeGreaterThan(5);
      expect(inside).toBeGreaterThan(3);
      expect(db.prepare('SELECT count(*) FROM asof_day_starts').pluck().get()).toBeLessThanOrEqual(Math.ceil((clock - START) / DAY) + 2);
      // not a midnight: not answered here
      expect(firstOutOfDays(db, START + 1)).toBeUndefined();
      db.close();
    });
  }
});
