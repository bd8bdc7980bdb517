import fc from 'fast-check';
import type { ProjectedEvent } from '../../src/projections/runtime.ts';

/**
 * Random spread logs for the property tests: departments, people and two stories, then reads,
 * hearings, shares, transfers and retellings in any order.
 */
export const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
export const DEPTS = ['da', 'db', 'dc'];
export const STORIES = ['s0', 's1'];

export type Step =
  | { kind: 'read'; story: number; who: number }
  | { kind: 'heard'; story: number; who: number; from: number | null }
  | { kind: 'shared'; story: number; from: number; to: number }
  | { kind: 'transfer'; who: number; dept: number }
  | { kind: 'retell'; story: number; who: number };

const person = fc.integer({ min: 0, max: PEOPLE.length - 1 });
const storyIx = fc.integer({ min: 0, max: STORIES.length - 1 });
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('read' as const), story: storyIx, who: person }),
  fc.record({ kind: fc.constant('heard' as const), story: storyIx, who: person, from: fc.option(person, { nil: null }) }),
  fc.record({ kind: fc.constant('shared' as const), story: storyIx, from: person, to: person }),
  fc.record({ kind: fc.constant('transfer' as const), who: person, dept: fc.integer({ min: 0, max: DEPTS.length - 1 }) }),
  fc.record({ kind: fc.constant('retell' as const), story: storyIx, who: person }),
);

export function logOf(steps: Step[]): ProjectedEvent[] {
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

