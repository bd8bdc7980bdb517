import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsOfSnapshots } from '../../src/asof/snapshots.ts';
import type { AppEnv } from '../../src/http/env.ts';
import { testHallway } from '../helpers.ts';
import { asOfApp } from './as-of-app.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

/**
 * One story's spread as of a past date whose cut is a prefix of the log is read from the live read
 * models cut there (src/asof/cut.ts): nothing is built, and what changed since (a department's
 * name, a retitling, people who left) reads as it was. A date whose cut is not a prefix is built.
 * (That the page equals a rebuilt Hallway's, on random logs, is test/http/as-of.test.ts.)
 */
describe('/dashboard/stories/:id as of a date, read at the cut', () => {
  let h: H;
  let snapshots: AsOfSnapshots;
  let app: Hono<AppEnv>;
  const put = async (stream: string, type: string, data: Record<string, unknown>, at: string, v?: number) => {
    const r = await h.store.append(stream, [{ id: randomUUID(), type, data, metadata: { at, actor: 'test', ...(v ? { v } : {}) } }]);
    await h.runtime.waitFor(r.position);
  };
  const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];

  beforeAll(async () => {
    // groups of 2: a department with two active people is shown by name
    h = await testHallway({ env: { HALLWAY_MIN_GROUP: '2' }, clock: () => new Date('2021-03-20T12:00:00.000Z') });
    await put('department-d-eng', 'DepartmentOpened', { departmentId: 'd-eng', name: 'Engineering' }, '2021-03-01T08:00:00.000Z');
    await put('department-d-ops', 'DepartmentOpened', { departmentId: 'd-ops', name: 'Operations' }, '2021-03-01T08:00:00.000Z');
    for (const [i, p] of people.entries()) {
      await put(`employee-${p}`, 'EmployeeJoined', { employeeId: p, name: `Person ${p}`, email: `${p}@example.test`, departmentId: i < 3 ? 'd-eng' : 'd-ops', joinedOn: '2020-01-01' }, '2021-03-01T08:00:00.000Z');
    }
    await put('story-s1', 'StorySubmitted', { storyId: 's1', title: 'The first title', body: 'It happened.', tellerId: 'p1', leader: 'Maren Holt', occurredOn: '2020', themes: [], relation: 'witnessed', anonymous: false }, '2021-03-02T10:00:00.000Z', 2);
    await put('circulation-s1', 'StoryShared', { storyId: 's1', fromId: 'p1', toId: 'p4' }, '2021-03-03T10:00:00.000Z');
    // after 4 March, in `at` order: the 4 March cut is a prefix of the log
    await put('story-s1', 'StoryAmended', { storyId: 's1', title: 'A later title', body: 'Told again.', reason: 'clearer' }, '2021-03-06T10:00:00.000Z');
    await put('department-d-ops', 'DepartmentRenamed', { departmentId: 'd-ops', name: 'Field Operations' }, '2021-03-06T11:00:00.000Z');
    await put('employee-p5', 'EmployeeLeft', { employeeId: 'p5' }, '2021-03-06T12:00:00.000Z');
    await put('employee-p6', 'EmployeeLeft', { employeeId: 'p6' }, '2021-03-06T12:00:00.000Z');
    await put('circulation-s1', 'StoryRead', { storyId: 's1', readerId: 'p2' }, '2021-03-07T10:00:00.000Z');
    // dated back (an import): 8 March's cut ends before it and takes it, so it is not a prefix
    await put('circulation-s1', 'StoryRead', { storyId: 's1', readerId: 'p3' }, '2021-03-08T10:00:00.000Z');
    await put('circulation-s1', 'StoryRead', { storyId: 's1', readerId: 'p6' }, '2021-03-09T10:00:00.000Z');
    await put('circulation-s1', 'StoryRead', { storyId: 's1', readerId: 'p5' }, '2021-03-08T11:00:00.000Z');
    snapshots = new AsOfSnapshots(h.store, { live: h.runtime });
    app = asOfApp(h, snapshots, 'p1');
  });
  afterAll(async () => {
    snapshots.close();
    await h.dispose();
  });

  it('a prefix cut: read from the live read models, nothing built; the title, names and groups of that day', async () => {
    const res = await app.request('/dashboard/stories/s1?asOf=2021-03-04');
    expect(res.status).toBe(200);
    const doc = parseHTML(await res.text()).document;
    expect(snapshots.counts).toMatchObject({ cut: 1, eventsRead: 0 });
    expect(snapshots.size().snapshots).toBe(0);
    expect(doc.querySelector('h1')?.textContent).toContain('The first title');
    // Operations had three people then (two left on 6 March) and its name then
    const cells = [...doc.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells).toContain('Operations');
    expect(cells).not.toContain('Field Operations');
    // two people in the tree then: the teller and the one it was shared with
    expect(doc.querySelector('dl.figures dd')?.textContent).toBe('2');
  });

  it('a story not told by then is not found, as on a rebuilt Hallway', async () => {
    const res = await app.request('/dashboard/stories/s1?asOf=2021-03-01');
    expect(res.status).toBe(404);
    expect(snapshots.counts.eventsRead).toBe(0);
  });

  it('a cut that is not a prefix (an event dated back after a later one) is built', async () => {
    const res = await app.request('/dashboard/stories/s1?asOf=2021-03-08');
    expect(res.status).toBe(200);
    expect(snapshots.counts.eventsRead).toBeGreaterThan(0);
    expect(snapshots.counts.cut).toBe(2);
  });
});
