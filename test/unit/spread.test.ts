import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testHallway } from '../helpers.ts';
import { storyFigures } from '../../src/read/spread.ts';
import type { SpreadFigures } from '../../src/spread/figures.ts';

/**
 * Exact vectors: every field of SPREAD.md checked by value, through the real embedded store and
 * the real projection runtime (events appended with chosen recorded times).
 */
const T0 = Date.parse('2024-03-01T09:00:00.000Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

type H = Awaited<ReturnType<typeof testHallway>>;

async function put(h: H, stream: string, type: string, data: Record<string, unknown>, when: string): Promise<number> {
  const r = await h.store.append(stream, [{ id: randomUUID(), type, data, metadata: { at: when, actor: 'test' } }]);
  return r.position;
}
const dept = (h: H, id: string) => put(h, `department-${id}`, 'DepartmentOpened', { departmentId: id, name: `Dept ${id}` }, at(-1000));
const join = (h: H, id: string, d: string) =>
  put(h, `employee-${id}`, 'EmployeeJoined', { employeeId: id, name: `Person ${id}`, departmentId: d, joinedOn: '2020-01-01' }, at(-900));
const transfer = (h: H, id: string, d: string, m: number) => put(h, `employee-${id}`, 'EmployeeTransferred', { employeeId: id, departmentId: d }, at(m));
const story = (h: H, id: string, teller: string, m: number, retellingOf?: string) =>
  put(h, `story-${id}`, 'StorySubmitted', {
    storyId: id, title: `Story ${id}`, body: 'It happened.', tellerId: teller, leader: 'Ada', occurredOn: '2023',
    themes: [], relation: 'witnessed', anonymous: false, ...(retellingOf ? { retellingOf } : {}),
  }, at(m));
const read = (h: H, s: string, who: string, m: number) => put(h, `circulation-${s}`, 'StoryRead', { storyId: s, readerId: who }, at(m));
const share = (h: H, s: string, from: string, to: string, m: number) => put(h, `circulation-${s}`, 'StoryShared', { storyId: s, fromId: from, toId: to }, at(m));
const heard = (h: H, s: string, who: string, m: number, from?: string) =>
  put(h, `circulation-${s}`, 'StoryHeard', { storyId: s, listenerId: who, setting: 'conversation', ...(from ? { fromId: from } : {}) }, at(m));

async function figures(h: H, storyId: string): Promise<SpreadFigures> {
  await h.runtime.waitFor(await h.store.headPosition());
  const f = storyFigures(h.runtime.db, storyId);
  if (!f) throw new Error(`no figures for ${storyId}`);
  return f;
}
const arrival = (departmentId: string, minutes: number) => ({ departmentId, at: at(minutes), afterSeconds: minutes * 60 });

describe('spread figures of one story (exact vectors)', () => {
  let h: H;
  beforeAll(async () => {
    h = await testHallway();
    // three departments open; people in them
    for (const d of ['d1', 'd2', 'd3']) await dept(h, d);
    for (const [p, d] of [['t', 'd1'], ['a', 'd1'], ['b', 'd1'], ['c', 'd1'], ['e', 'd2'], ['f', 'd3'], ['g', 'd3'], ['x', 'd2'], ['y', 'd3']] as const) await join(h, p, d);
  });
  afterAll(async () => h.dispose());

  it('a story nobody has been exposed to yet is its teller alone', async () => {
    await story(h, 'none', 't', 0);
    expect(await figures(h, 'none')).toEqual({
      size: 1, reachedPeople: 0, touches: 0, depth: 0, maxBreadth: 1, structuralVirality: 0,
      departmentsReached: 1, departmentCoverage: 1 / 3, departmentArrivals: [arrival('d1', 0)],
      crossDepartmentEdges: 0, eiIndex: null, departmentEntropy: 0, flows: [],
    });
  });

  it('a chain of 4 passed on one by one has virality (n + 1) / 3', async () => {
    await story(h, 'chain', 't', 0);
    await share(h, 'chain', 't', 'a', 10);
    await share(h, 'chain', 'a', 'b', 20);
    await share(h, 'chain', 'b', 'c', 30);
    const f = await figures(h, 'chain');
    expect(f).toEqual({
      size: 4, reachedPeople: 3, touches: 3, depth: 3, maxBreadth: 1, structuralVirality: expect.closeTo(5 / 3, 12),
      departmentsReached: 1, departmentCoverage: 1 / 3, departmentArrivals: [arrival('d1', 0)],
      crossDepartmentEdges: 0, eiIndex: -1, departmentEntropy: 0, flows: [{ from: 'd1', to: 'd1', count: 3 }],
    });
  });

  it('a star of 5 (everyone read it on the archive) is broadcast: virality 2(n−1)/n', async () => {
    await story(h, 'star', 't', 0);
    for (const [p, m] of [['a', 5], ['e', 6], ['f', 7], ['g', 8]] as const) await read(h, 'star', p, m);
    expect(await figures(h, 'star')).toEqual({
      size: 5, reachedPeople: 4, touches: 4, depth: 1, maxBreadth: 4, structuralVirality: 1.6,
      departmentsReached: 3, departmentCoverage: 1, departmentArrivals: [arrival('d1', 0), arrival('d2', 6), arrival('d3', 7)],
      crossDepartmentEdges: 3, eiIndex: (3 - 1) / 4,
      departmentEntropy: expect.closeTo(-(0.4 * Math.log(0.4) + 0.2 * Math.log(0.2) + 0.4 * Math.log(0.4)) / Math.log(3), 12),
      flows: [{ from: 'd1', to: 'd1', count: 1 }, { from: 'd1', to: 'd2', count: 1 }, { from: 'd1', to: 'd3', count: 2 }],
    });
  });

  it('a two-level tree: W = 18 over 10 pairs', async () => {
    // t -> a, t -> e; a -> f, a -> g
    await story(h, 'two', 't', 0);
    await share(h, 'two', 't', 'a', 1);
    await share(h, 'two', 't', 'e', 2);
    await share(h, 'two', 'a', 'f', 3);
    await heard(h, 'two', 'g', 4, 'a');
    expect(await figures(h, 'two')).toEqual({
      size: 5, reachedPeople: 4, touches: 4, depth: 2, maxBreadth: 2, structuralVirality: 1.8,
      departmentsReached: 3, departmentCoverage: 1, departmentArrivals: [arrival('d1', 0), arrival('d2', 2), arrival('d3', 3)],
      crossDepartmentEdges: 3, eiIndex: 0.5, departmentEntropy: expect.closeTo(-(0.4 * Math.log(0.4) * 2 + 0.2 * Math.log(0.2)) / Math.log(3), 12),
      flows: [{ from: 'd1', to: 'd1', count: 1 }, { from: 'd1', to: 'd2', count: 1 }, { from: 'd1', to: 'd3', count: 2 }],
    });
  });

  it('repeated exposures are touches: counted, adding no node (the teller’s own too)', async () => {
    await story(h, 'touch', 't', 0);
    await read(h, 'touch', 'a', 1);
    await read(h, 'touch', 'a', 2);
    await read(h, 'touch', 't', 3);
    await heard(h, 'touch', 'a', 4, 't');
    const f = await figures(h, 'touch');
    expect(f).toMatchObject({ size: 2, reachedPeople: 1, touches: 4, depth: 1, maxBreadth: 1, structuralVirality: 1, eiIndex: -1 });
    expect(f.flows).toEqual([{ from: 'd1', to: 'd1', count: 1 }]);
  });

  it('heard from someone not yet in the tree: the source joins under the root first, at the same time', async () => {
    await story(h, 'hearsay', 't', 0);
    await heard(h, 'hearsay', 'f', 60, 'e'); // e (d2) told f (d3); e had not been seen
    expect(await figures(h, 'hearsay')).toEqual({
      size: 3, reachedPeople: 2, touches: 1, depth: 2, maxBreadth: 1, structuralVirality: expect.closeTo(4 / 3, 12),
      departmentsReached: 3, departmentCoverage: 1, departmentArrivals: [arrival('d1', 0), arrival('d2', 60), arrival('d3', 60)],
      crossDepartmentEdges: 2, eiIndex: 1, departmentEntropy: expect.closeTo(1, 12),
      flows: [{ from: 'd1', to: 'd2', count: 1 }, { from: 'd2', to: 'd3', count: 1 }],
    });
  });

  it('a retelling exposes its teller to the original, and is a story of its own', async () => {
    await story(h, 'orig', 't', 0);
    await story(h, 'retold', 'y', 30, 'orig');
    expect(await figures(h, 'orig')).toMatchObject({
      size: 2, touches: 1, depth: 1, departmentArrivals: [arrival('d1', 0), arrival('d3', 30)],
      crossDepartmentEdges: 1, eiIndex: 1, flows: [{ from: 'd1', to: 'd3', count: 1 }],
    });
    expect(await figures(h, 'retold')).toMatchObject({ size: 1, touches: 0, departmentArrivals: [{ departmentId: 'd3', at: at(30), afterSeconds: 0 }] });
  });

  it('a cascade across transfers: each node keeps the department its person had when added', async () => {
    await join(h, 'm', 'd1');
    await join(h, 'n', 'd1');
    await story(h, 'moves', 't', 0);
    await read(h, 'moves', 'm', 10); // m is in d1 now
    await transfer(h, 'm', 'd2', 20);
    await share(h, 'moves', 'm', 'x', 30); // edge m(d1) -> x(d2): m's node stays in d1
    await transfer(h, 'n', 'd3', 35);
    await heard(h, 'moves', 'n', 40, 'x'); // n had moved to d3 before being added
    expect(await figures(h, 'moves')).toEqual({
      size: 4, reachedPeople: 3, touches: 3, depth: 3, maxBreadth: 1, structuralVirality: expect.closeTo(5 / 3, 12),
      departmentsReached: 3, departmentCoverage: 1, departmentArrivals: [arrival('d1', 0), arrival('d2', 30), arrival('d3', 40)],
      crossDepartmentEdges: 2, eiIndex: expect.closeTo(1 / 3, 12),
      departmentEntropy: expect.closeTo(-(0.5 * Math.log(0.5) + 0.25 * Math.log(0.25) * 2) / Math.log(3), 12),
      flows: [{ from: 'd1', to: 'd1', count: 1 }, { from: 'd1', to: 'd2', count: 1 }, { from: 'd2', to: 'd3', count: 1 }],
    });
  });

  it('a closed department no longer counts as open at evaluation time', async () => {
    await put(h, 'department-d4', 'DepartmentOpened', { departmentId: 'd4', name: 'Four' }, at(100));
    expect((await figures(h, 'none')).departmentCoverage).toBe(1 / 4);
    await put(h, 'department-d4', 'DepartmentClosed', { departmentId: 'd4' }, at(101));
    expect((await figures(h, 'none')).departmentCoverage).toBe(1 / 3);
  });

  it('gives no figures for a story the log does not hold', async () => {
    await read(h, 'ghost', 'a', 1);
    await h.runtime.waitFor(await h.store.headPosition());
    expect(storyFigures(h.runtime.db, 'ghost')).toBeUndefined();
  });
});
