import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanPairwiseDistanceByBfs, treeArb as randomTree } from './random-trees.ts';
import { openViews } from '../../src/projections/runtime.ts';
import type { ProjectedEvent } from '../../src/projections/runtime.ts';
import { spreadProjection } from '../../src/projections/spread.ts';
import { storyFigures } from '../../src/read/spread.ts';
import type { CascadeNode } from '../../src/spread/cascade.ts';
import { spreadFigures } from '../../src/spread/figures.ts';
import { logOf, stepArb, STORIES } from './spread-logs.ts';

const treeArb = randomTree(40);

describe('structural virality', () => {
  it('by the edge formula equals the mean of all pairwise distances by BFS, on random trees', () => {
    fc.assert(
      fc.property(treeArb, (parents) => {
        const depth: number[] = [];
        const nodes: CascadeNode[] = parents.map((p, i) => {
          depth[i] = p < 0 ? 0 : depth[p]! + 1;
          return { personId: `p${i}`, parentId: p < 0 ? null : `p${p}`, depth: depth[i]!, departmentId: `d${i % 3}`, parentDepartmentId: p < 0 ? null : `d${p % 3}`, atMs: i };
        });
        const f = spreadFigures(nodes, 0, 0, 3);
        expect(f.structuralVirality).toBeCloseTo(meanPairwiseDistanceByBfs(parents), 9);
      }),
      { numRuns: 200 },
    );
  });
});

// --- the projection built incrementally equals one built from scratch ---

const allFigures = (db: ReturnType<typeof openViews>) =>
  (db.prepare('SELECT story_id FROM spread_stories ORDER BY story_id').all() as { story_id: string }[]).map((r) => [r.story_id, storyFigures(db, r.story_id)]);

describe('the spread projection', () => {
  it('built incrementally (figures read, and cached, between events) equals one rebuilt from scratch, over random event orders', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const log = logOf(steps);
        const live = openViews(':memory:');
        spreadProjection.setup(live);
        for (const e of log) {
          spreadProjection.apply(live, e);
          if (e.type.startsWith('Story')) for (const s of STORIES) storyFigures(live, s); // fill the caches as a server would
        }
        const scratch = openViews(':memory:');
        spreadProjection.setup(scratch);
        scratch.transaction(() => log.forEach((e) => spreadProjection.apply(scratch, e)))();
        const a = allFigures(live);
        expect(a).toEqual(allFigures(scratch));
        expect(a.length).toBeGreaterThanOrEqual(STORIES.length);
        live.close();
        scratch.close();
      }),
      { numRuns: 150 },
    );
  });
});
