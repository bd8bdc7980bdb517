import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanPairwiseDistanceByBfs, treeArb as randomTree } from './random-trees.ts';
import { openViews } from '../../src/projections/runtime.ts';
import type { ProjectedEvent } from '../../src/projections/runtime.ts';
import { spreadProjection } from '../../src/projections/spread.ts';
import { storyFigures } from '../../src/read/spread.ts';
import { IncrementalWiener, wienerGrowth } from '../../src/spread/virality.ts';

const treeArb = randomTree(60);

describe('the Wiener index kept leaf by leaf', () => {
  it('grows by n + n·depth(p) + T − 2·S: checked by hand on a path r–a–b, then c under r', () => {
    // a under r: n=1, depth(r)=0, T=0, S=0 -> 1 (W = 1: r–a)
    expect(wienerGrowth(1, 0, 0, 0)).toBe(1);
    // b under a: n=2, depth(a)=1, T=1, S=s(r–a)=1 -> 3 (W = 4: 1 + 1 + 2)
    expect(wienerGrowth(2, 1, 1, 1)).toBe(3);
    // c under r: n=3, depth(r)=0, T=3, S=0 -> 6 (c–r 1, c–a 2, c–b 3)
    expect(wienerGrowth(3, 0, 3, 0)).toBe(6);
    const w = new IncrementalWiener();
    w.addLeaf(w.addLeaf(0));
    w.addLeaf(0);
    expect(w.wiener).toBe(10);
  });

  it('in memory, equals the sum of all pairwise distances by BFS, on random trees', () => {
    fc.assert(
      fc.property(treeArb, (parents) => {
        const w = new IncrementalWiener();
        for (let i = 1; i < parents.length; i++) w.addLeaf(parents[i]!);
        const n = parents.length;
        const mean = n <= 1 ? 0 : w.wiener / ((n * (n - 1)) / 2);
        expect(mean).toBeCloseTo(meanPairwiseDistanceByBfs(parents), 9);
      }),
      { numRuns: 300 },
    );
  });

  it('in the spread projection, gives every story the structural virality of the BFS definition after each new node', () => {
    fc.assert(
      fc.property(treeArb, (parents) => {
        const db = openViews(':memory:');
        spreadProjection.setup(db);
        let position = 0;
        const apply = (type: string, data: Record<string, unknown>): void => {
          position += 1;
          const e = { id: `e${position}`, type, data, stream: 'x', revision: 0, position, metadata: { at: new Date(Date.UTC(2024, 0, 1) + position * 1000).toISOString() } };
          spreadProjection.apply(db, e as unknown as ProjectedEvent);
        };
        apply('DepartmentOpened', { departmentId: 'd', name: 'D' });
        parents.forEach((_, i) => apply('EmployeeJoined', { employeeId: `p${i}`, name: `P${i}`, departmentId: 'd', joinedOn: '2020-01-01' }));
        apply('StorySubmitted', { storyId: 's', title: 's', body: 'b', tellerId: 'p0', leader: 'L', occurredOn: '2023', themes: [], relation: 'witnessed', anonymous: false });
        for (let i = 1; i < parents.length; i++) {
          const p = parents[i]!;
          // a child of the root reads it on the archive; any other hears it from its parent
          if (p === 0) apply('StoryRead', { storyId: 's', readerId: `p${i}` });
          else apply('StoryHeard', { storyId: 's', listenerId: `p${i}`, fromId: `p${p}`, setting: 'conversation' });
          const f = storyFigures(db, 's')!;
          expect(f.size).toBe(i + 1);
          expect(f.structuralVirality).toBeCloseTo(meanPairwiseDistanceByBfs(parents.slice(0, i + 1)), 9);
        }
        db.close();
      }),
      { numRuns: 100 },
    );
  });
});
