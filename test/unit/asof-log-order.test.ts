import { describe, expect, it } from 'vitest';
import { prng } from '../../events/seed/seed-types.ts';
import { cutIsPrefix, emptyOrder, observe, wholeLogBefore } from '../../src/asof/log-order.ts';

/** The definition: the events before the cutoff are a prefix of the log (none kept after one left out). */
const isPrefix = (ats: number[], cutoff: number): boolean => {
  const firstOut = ats.findIndex((a) => !(a < cutoff));
  return firstOut < 0 || ats.slice(firstOut).every((a) => !(a < cutoff));
};

describe('the order of `at` along the log (src/asof/log-order.ts)', () => {
  it('says a cut is a prefix exactly when it is one, on random logs with `at` going back now and then', () => {
    const wrong: string[] = [];
    let prefixes = 0;
    let others = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = prng(seed);
      const ats: number[] = [];
      let clock = 0;
      for (let i = 0; i < 40; i++) {
        clock += Math.floor(rnd() * 10);
        // now and then an event dated back (an import), or an `at` that does not parse
        ats.push(rnd() < 0.15 ? clock - Math.floor(rnd() * 60) : rnd() < 0.02 ? Number.NaN : clock);
      }
      const order = emptyOrder();
      for (const a of ats) observe(order, a);
      for (let cutoff = -5; cutoff <= clock + 5; cutoff++) {
        if (cutIsPrefix(order, cutoff) !== isPrefix(ats, cutoff)) wrong.push(`seed ${seed}, cutoff ${cutoff}: prefix`);
        if (wholeLogBefore(order, cutoff) !== ats.every((a) => a < cutoff)) wrong.push(`seed ${seed}, cutoff ${cutoff}: whole log`);
        if (isPrefix(ats, cutoff)) prefixes++;
        else others++;
      }
    }
    expect(wrong).toEqual([]);
    // both answers occur
    expect(prefixes).toBeGreaterThan(100);
    expect(others).toBeGreaterThan(100);
  });

  it('with more intervals than it keeps, merges them: it may then say "not a prefix" of a prefix, never the reverse', () => {
    const ats: number[] = [];
    for (let i = 0; i < 2000; i++) ats.push(i * 10, i * 10 - 3); // a step back of 3 after every event: 2,000 gaps
    const order = emptyOrder();
    for (const a of ats) observe(order, a);
    expect(order.gaps.length).toBeLessThanOrEqual(256);
    const wrong: number[] = [];
    for (let cutoff = -20; cutoff <= 20_010; cutoff += 7) if (cutIsPrefix(order, cutoff) && !isPrefix(ats, cutoff)) wrong.push(cutoff);
    expect(wrong).toEqual([]);
    // outside the merged hull it stays exact
    expect(cutIsPrefix(order, -20)).toBe(true);
    expect(cutIsPrefix(order, 20_000)).toBe(true);
  });
});
