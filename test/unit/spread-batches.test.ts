import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openViews } from '../../src/projections/runtime.ts';
import type { ProjectedEvent, Views } from '../../src/projections/runtime.ts';
import { spreadProjection } from '../../src/projections/spread.ts';
import { logOf, stepArb } from './spread-logs.ts';

/**
 * The spread projection keeps trees and figures in memory and writes them once per batch
 * (applyBatch). Whatever the batch boundaries, the tables must be exactly those of applying the
 * log one event at a time, and a batch that fails must leave neither tables nor memory half done.
 */

/** Every spread table, every row, in a fixed order. */
function tables(db: Views): Record<string, unknown[]> {
  const names = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'spread_%' ORDER BY name").pluck().all();
  return Object.fromEntries(names.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).raw().all().map((r) => JSON.stringify(r)).sort()]));
}

function oneByOne(log: ProjectedEvent[]): Views {
  const db = openViews(':memory:');
  spreadProjection.setup(db);
  for (const e of log) db.transaction(() => spreadProjection.apply(db, e))();
  return db;
}

/** Applies the log in batches cut at `cuts`; forgets memory (as after another process wrote) where `forgets` says. */
function inBatches(log: ProjectedEvent[], cuts: number[], forgets: boolean[]): Views {
  const db = openViews(':memory:');
  spreadProjection.setup(db);
  const bounds = [...new Set([0, ...cuts.map((c) => c % (log.length + 1)), log.length])].sort((a, b) => a - b);
  for (let i = 0; i + 1 < bounds.length; i++) {
    const batch = log.slice(bounds[i], bounds[i + 1]);
    db.transaction(() => spreadProjection.applyBatch!(db, batch))();
    if (forgets[i % Math.max(1, forgets.length)]) spreadProjection.invalidate!(db);
  }
  return db;
}

describe('the spread projection in batches', () => {
  it('gives the same tables as one event at a time, over random logs cut into random batches (memory forgotten between some)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.boolean(), { maxLength: 8 }), (steps, cuts, forgets) => {
        const log = logOf(steps);
        const a = oneByOne(log);
        const b = inBatches(log, cuts, forgets);
        const expected = tables(a);
        expect(expected['spread_nodes']!.length).toBeGreaterThan(0);
        expect(tables(b)).toEqual(expected);
        a.close();
        b.close();
      }),
      { numRuns: 150 },
    );
  });

  it('leaves no half state when a batch fails midway: tables as before it, and what follows applies as if it never ran', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 4, maxLength: 50 }), fc.nat(), (steps, at) => {
        const log = logOf(steps);
        const cut = 1 + (at % (log.length - 1));
        const [before, after] = [log.slice(0, cut), log.slice(cut)];
        const db = openViews(':memory:');
        spreadProjection.setup(db);
        db.transaction(() => spreadProjection.applyBatch!(db, before))();
        const kept = tables(db);
        // a batch of the rest with an event the projection cannot apply at its end: it throws after
        // the rest has changed memory, and the runtime rolls the transaction back
        const broken = { ...log[log.length - 1]!, type: 'StoryRead', data: null, position: log.length + 1 } as unknown as ProjectedEvent;
        expect(() => db.transaction(() => spreadProjection.applyBatch!(db, [...after, broken]))()).toThrow();
        expect(tables(db)).toEqual(kept);
        db.transaction(() => spreadProjection.applyBatch!(db, after))();
        const whole = oneByOne(log);
        expect(tables(db)).toEqual(tables(whole));
        db.close();
        whole.close();
      }),
      { numRuns: 100 },
    );
  });
});
