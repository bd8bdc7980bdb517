import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanPairwiseDistanceByBfs, treeArb as randomTree } from './random-trees.ts';
import { openViews } from '../../src/projections/runtime.ts';
import type { ProjectedEvent } from '../../src/projections/runtime.ts';
import { spreadProjection } from '../../src/projections/spread.ts';
import { storyFigures } from '../../src/read/spread.ts';
import type { CascadeNode } from '../../src/spread/cascade.ts';
import { spreadFigures } from '../../src/spread/figures.ts';

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

const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
const DEPTS = ['da', 'db', 'dc'];
const STORIES = ['s0', 's1'];

type Step =
  | { kind: 'read'; story: number; who: number }
  | { kind: 'heard'; story: number; who: number; from: number | null }
  | { kind: 'shared'; story: number; from: number; to: number }
  | { kind: 'transfer'; who: number; dept: number }
  | { kind: 'retell'; story: number; who: number };

const person = fc.integer({ min: 0, max: PEOPLE.length - 1 });
const storyIx = fc.integer({ min: 0, max: STORIES.length - 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('read' as const), story: storyIx, who: person }),
  fc.record({ kind: fc.constant('heard' as const), story: storyIx, who: person, from: fc.option(person, { nil: null }) }),
  fc.record({ kind: fc.constant('shared' as const), story: storyIx, from: person, to: person }),
  fc.record({ kind: fc.constant('transfer' as const), who: person, dept: fc.integer({ min: 0, max: DEPTS.length - 1 }) }),
  fc.record({ kind: fc.constant('retell' as const), story: storyIx, who: person }),
);

function logOf(steps: Step[]): ProjectedEvent[] {
  const out: ProjectedEvent[] = [];
  let retellings = 0;
  const push = (type: string, data: Record<string, unknown>): void => {
    const position = out.length + 1;
    out.push({ id: `e${position}`, type, data, stream: 'x', revision: 0, position, metadata: { at: new Date(Date.UTC(2024, 0, 1) + position * 1000).toISOString() } } as unknown as ProjectedEvent);
  };
  DEPTS.forEach((d) => push('DepartmentOpened', { departmentId: d, name: d }));
  PEOPLE.forEach((p, i) => push('EmployeeJoined', { employeeId: p, name: p, departmentId: DEPTS[i % DEPTS.length], joinedOn: '2020-01-01' }));
  STORIES.forEach((s, i) => push('StorySubmitted', { storyId: s, title: s, body: 'b', tellerId: PEOPLE[i], leader: 'L', occurredOn: '2023', themes: [], relation: 'witnessed', anonymous: false }));
  for (const s of steps) {
    const storyId = 'story' in s ? STORIES[s.story] : undefined;
    if (s.kind === 'read') push('StoryRead', { storyId, readerId: PEOPLE[s.who] });
    if (s.kind === 'heard' && s.from !== s.who) push('StoryHeard', { storyId, listenerId: PEOPLE[s.who], setting: 'meeting', ...(s.from === null ? {} : { fromId: PEOPLE[s.from] }) });
    if (s.kind === 'shared' && s.from !== s.to) push('StoryShared', { storyId, fromId: PEOPLE[s.from], toId: PEOPLE[s.to] });
    if (s.kind === 'transfer') push('EmployeeTransferred', { employeeId: PEOPLE[s.who], departmentId: DEPTS[s.dept] });
    if (s.kind === 'retell') {
      retellings += 1;
      push('StorySubmitted', { storyId: `r${retellings}`, title: 'r', body: 'b', tellerId: PEOPLE[s.who], leader: 'L', occurredOn: '2023', themes: [], relation: 'heard', retellingOf: storyId, anonymous: false });
    }
  }
  return out;
}

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
