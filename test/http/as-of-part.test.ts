import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsOfSnapshots } from '../../src/asof/snapshots.ts';
import type { AppEnv } from '../../src/http/env.ts';
import type { BatchAppend } from '../../src/store/port.ts';
import { testHallway } from '../helpers.ts';
import { asOfApp } from './as-of-app.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

/**
 * A story page as of a past date whose cut is a prefix of the log is read from a small views
 * database of that page's part of the cut (src/asof/story-cut.ts), and every timeline (of any size)
 * from the stories and org models materialized at the cut (src/asof/timeline-cut.ts): the date is
 * not built, what changed since reads as it was, and what is kept stays within a bound. (That the
 * pages equal a rebuilt Hallway's, on random logs, is test/http/as-of.test.ts.)
 */
describe('as-of pages read from their part of the cut, and timelines from the stories model at the cut', () => {
  let h: H;
  let snapshots: AsOfSnapshots;
  let app: Hono<AppEnv>;
  const ev = (stream: string, type: string, data: Record<string, unknown>, at: string, v?: number): BatchAppend => ({
    stream, expectedRevision: 'any', events: [{ id: randomUUID(), type, data, metadata: { at, actor: 'test', ...(v ? { v } : {}) } }],
  });
  const story = (id: string, title: string, leader: string, at: string, extra: Record<string, unknown> = {}) =>
    ev(`story-${id}`, 'StorySubmitted', { storyId: id, title, body: `${title}: it happened.`, tellerId: 'p1', leader, occurredOn: '2020', themes: [], relation: 'witnessed', anonymous: false, ...extra }, at, 2);
  let logLength = 0;

  beforeAll(async () => {
    h = await testHallway({ clock: () => new Date('2021-03-20T12:00:00.000Z') });
    const log: BatchAppend[] = [
      ev('department-d-eng', 'DepartmentOpened', { departmentId: 'd-eng', name: 'Engineering' }, '2021-03-01T08:00:00.000Z'),
      ev('theme-th-care', 'ThemeDefined', { themeId: 'th-care', name: 'Care', description: '' }, '2021-03-01T08:00:00.000Z'),
      ...['p1', 'p2', 'p3'].map((p) => ev(`employee-${p}`, 'EmployeeJoined', { employeeId: p, name: `Person ${p}`, email: `${p}@example.test`, departmentId: 'd-eng', joinedOn: '2020-01-01' }, '2021-03-01T08:00:00.000Z')),
      story('s1', 'The first title', 'Maren Holt', '2021-03-02T10:00:00.000Z', { happenedIn: 'd-eng', themes: ['th-care'] }),
      story('s2', 'Another one', 'Maren Holt', '2021-03-02T11:00:00.000Z'),
      // a page long enough to be sent gzip-compressed (src/http/compressed-pages.ts)
      story('long', 'A long one', 'Olu Long', '2021-03-02T12:00:00.000Z', { body: 'word '.repeat(6000) }),
      ev('circulation-s1', 'StoryShared', { storyId: 's1', fromId: 'p1', toId: 'p2' }, '2021-03-03T10:00:00.000Z'),
      // s2's leader linked to p3, then (after 4 March) to p2 instead
      ev('story-s2', 'LeaderLinked', { storyId: 's2', leaderId: 'p3' }, '2021-03-03T12:00:00.000Z'),
      // after 4 March, in `at` order: the 4 March cut is a prefix of the log
      ev('story-s1', 'StoryAmended', { storyId: 's1', title: 'A later title', body: 'Told again.', reason: 'clearer' }, '2021-03-06T10:00:00.000Z'),
      ev('story-s1', 'StoryUnthemed', { storyId: 's1', themeId: 'th-care' }, '2021-03-06T10:30:00.000Z'),
      ev('department-d-eng', 'DepartmentRenamed', { departmentId: 'd-eng', name: 'Platform' }, '2021-03-06T11:00:00.000Z'),
      ev('circulation-s1', 'StoryRead', { storyId: 's1', readerId: 'p3' }, '2021-03-07T10:00:00.000Z'),
      ev('story-s2', 'LeaderLinked', { storyId: 's2', leaderId: 'p2' }, '2021-03-07T11:00:00.000Z'),
      // a leader named by many stories (more than a timeline page), told later still
      ...Array.from({ length: 201 }, (_, i) => story(`m${i}`, `Many ${i}`, 'Ivy Kern', '2021-03-08T10:00:00.000Z')),
      // and one more event after them: 9 March's cut is a prefix too, not the whole log
      ev('circulation-m0', 'StoryRead', { storyId: 'm0', readerId: 'p3' }, '2021-03-10T10:00:00.000Z'),
    ];
    logLength = log.length;
    for (let i = 0; i < log.length; i += 100) await h.store.appendBatch(log.slice(i, i + 100));
    await h.runtime.waitFor(await h.store.headPosition());
    // two pages and two timeline cuts kept at most
    snapshots = new AsOfSnapshots(h.store, { live: h.runtime, maxParts: 2, maxTimelineCuts: 2 });
    app = asOfApp(h, snapshots, 'p2');
  });
  afterAll(async () => {
    snapshots.close();
    await h.dispose();
  });

  const page = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, doc: parseHTML(await res.text()).document };
  };

  it('a story page: its text, themes and circulation of that day; nothing built, and kept for the next request', async () => {
    const { status, doc } = await page('/stories/s1?asOf=2021-03-04');
    expect(status).toBe(200);
    expect(doc.querySelector('h1')?.textContent).toBe('The first title');
    expect(doc.querySelector('.story-body')?.textContent).toContain('The first title: it happened.');
    expect([...doc.querySelectorAll('.chips a')].map((a) => a.textContent)).toEqual(['Care']);
    expect(snapshots.counts.part).toBe(1);
    expect(snapshots.size().snapshots).toBe(0);
    const read = snapshots.counts.eventsRead;
    // the story's own streams, its teller's and the people it names, departments, themes: not the many stories told later
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(20);
    expect(read).toBeLessThan(logLength);
    await page('/stories/s1?asOf=2021-03-04');
    expect(snapshots.counts).toMatchObject({ part: 2, eventsRead: read });
  });

  it("a department's and a theme's timeline of that day: the department's name then, the story themed then", async () => {
    const dept = await page('/departments/d-eng?asOf=2021-03-04');
    expect(dept.status).toBe(200);
    expect(dept.doc.querySelector('h1')?.textContent).toContain('Engineering');
    expect(dept.doc.body.textContent).toContain('The first title');
    const theme = await page('/themes/th-care?asOf=2021-03-04');
    expect(theme.status).toBe(200);
    expect(theme.doc.body.textContent).toContain('The first title');
    // both from one materialized cut of that date: no part, no build
    expect(snapshots.counts).toMatchObject({ part: 2, timelines: 2, timelineCuts: 1 });
    expect(snapshots.size().snapshots).toBe(0);
    // today's theme page no longer lists it (unthemed on 6 March)
    const themeNow = await page('/themes/th-care?asOf=2021-03-07');
    expect(themeNow.doc.body.textContent).not.toContain('The first title');
  });

  it('pages kept from their part of a cut stay within the bound (two here), least recently used out', async () => {
    await page('/stories/s2?asOf=2021-03-04');
    await page('/stories/long?asOf=2021-03-04');
    expect(snapshots.partsKept().pages).toBe(2);
    expect(snapshots.partsKept().bytes).toBeGreaterThan(0);
  });

  it("a leader's timeline of few stories and one of many, every page of it: read from the stories model at the cut, nothing built", async () => {
    const cuts = snapshots.counts.timelineCuts;
    const few = await page('/leaders/Maren%20Holt?asOf=2021-03-04');
    expect(few.status).toBe(200);
    expect(few.doc.body.textContent).toContain('Another one');
    // the 4 March cut was materialized already (and 7 March's, for the theme above)
    expect(snapshots.counts.timelineCuts).toBe(cuts);
    // (7 March: before they were told)
    const none = await page('/leaders/Ivy%20Kern?asOf=2021-03-07');
    expect(none.status).toBe(200);
    expect(none.doc.body.textContent).not.toContain('Many 0');
    // 9 March: all 201 of them told, then one cut, its pages and htmx's "more" items read from it
    const many = await page('/leaders/Ivy%20Kern?asOf=2021-03-09');
    expect(many.doc.body.textContent).toContain('Many 0');
    const later = await page('/leaders/Ivy%20Kern?asOf=2021-03-09&page=10');
    expect(later.doc.body.textContent).toContain('Many 199');
    const more = await app.request('/leaders/Ivy%20Kern?asOf=2021-03-09&page=11', { headers: { 'HX-Request': 'true' } });
    expect(await more.text()).toContain('Many 200');
    expect(snapshots.counts.timelineCuts).toBe(cuts + 1);
    expect(snapshots.size().snapshots).toBe(0);
    // three dates' cuts read, two kept (least recently used out)
    expect(snapshots.timelineCutsKept().cuts).toBe(2);
    expect(snapshots.timelineCutsKept().bytes).toBeGreaterThan(0);
  });

  it("a person's timeline (/leaders/people/:id) of that day: a story linked to them then, linked to someone else since", async () => {
    const timelines = snapshots.counts.timelines;
    const built = snapshots.size().snapshots;
    const then = await page('/leaders/people/p3?asOf=2021-03-04');
    expect(then.status).toBe(200);
    expect(then.doc.body.textContent).toContain('Another one');
    const other = await page('/leaders/people/p2?asOf=2021-03-04');
    expect(other.doc.body.textContent).not.toContain('Another one');
    // a person no story named then has a page all the same (they had joined)
    const none = await page('/leaders/people/p1?asOf=2021-03-04');
    expect(none.status).toBe(200);
    expect(snapshots.counts.timelines).toBe(timelines + 3);
    expect(snapshots.size().snapshots).toBe(built);
    // today the link is p2's
    const now = await page('/leaders/people/p3?asOf=2021-03-08');
    expect(now.doc.body.textContent).not.toContain('Another one');
  });

  it('a large page, asked by a browser that takes gzip, is the page with its banner (the page routes are asked for text)', async () => {
    const res = await app.request('/stories/long?asOf=2021-03-04', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    const html = await res.text();
    expect(html.length).toBeGreaterThan(30_000);
    expect(html).toContain('class="as-of-banner"');
    expect(parseHTML(html).document.querySelector('h1')?.textContent).toBe('A long one');
  });
});
