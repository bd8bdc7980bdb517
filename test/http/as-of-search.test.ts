import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsOfSnapshots } from '../../src/asof/snapshots.ts';
import { SEARCH_CUTS_KEPT } from '../../src/asof/search-cut.ts';
import type { AppEnv } from '../../src/http/env.ts';
import { erasePerson } from '../../src/privacy/erase.ts';
import { REMOVED_TEXT } from '../../src/privacy/markers.ts';
import { searchStories } from '../../src/read/search.ts';
import type { BatchAppend } from '../../src/store/port.ts';
import { testHallway } from '../helpers.ts';
import { asOfApp } from './as-of-app.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

/**
 * `/search` of a past date whose cut is a prefix of the log is read from the search model at the cut
 * (src/asof/search-cut.ts): the date is not built, texts amended since read as they were, the cut
 * made is kept for the next searches of the date within a bound, and an erasure since is honoured
 * (the cut is made again, and equals a full build of the date, which reads the log with the key
 * gone). That these pages equal a rebuilt Hallway's, on random logs, is test/http/as-of.test.ts.
 */
describe('as-of search read from the search model at the cut', () => {
  let h: H;
  let snapshots: AsOfSnapshots;
  let app: Hono<AppEnv>;
  /** the same pages with every date built in full (no live read models: today's behaviour before the shortcut) */
  let built: AsOfSnapshots;
  let builtApp: Hono<AppEnv>;
  const ev = (stream: string, type: string, data: Record<string, unknown>, at: string, v?: number): BatchAppend => ({
    stream, expectedRevision: 'any', events: [{ id: randomUUID(), type, data, metadata: { at, actor: 'test', ...(v ? { v } : {}) } }],
  });
  const story = (id: string, teller: string, title: string, body: string, at: string) =>
    ev(`story-${id}`, 'StorySubmitted', { storyId: id, title, body, tellerId: teller, leader: 'Maren Holt', happenedIn: 'd-eng', occurredOn: '2020', themes: ['th-care'], relation: 'witnessed', anonymous: false }, at, 2);

  beforeAll(async () => {
    h = await testHallway({ clock: () => new Date('2021-03-20T12:00:00.000Z') });
    const log: BatchAppend[] = [
      ev('department-d-eng', 'DepartmentOpened', { departmentId: 'd-eng', name: 'Engineering' }, '2021-03-01T08:00:00.000Z'),
      ev('theme-th-care', 'ThemeDefined', { themeId: 'th-care', name: 'Care', description: '' }, '2021-03-01T08:00:00.000Z'),
      ...['p1', 'p2'].map((p) => ev(`employee-${p}`, 'EmployeeJoined', { employeeId: p, name: `Person ${p}`, email: `${p}@example.test`, departmentId: 'd-eng', joinedOn: '2020-01-01' }, '2021-03-01T08:00:00.000Z')),
      story('s1', 'p1', 'Marmalade Heliotrope Incident', 'Gravelwick procedures at the offsite', '2021-03-02T10:00:00.000Z'),
      story('s2', 'p2', 'Ordinary standup', 'Nothing unusual at the offsite', '2021-03-03T10:00:00.000Z'),
      story('s3', 'p2', 'A third one', 'The offsite again', '2021-03-04T10:00:00.000Z'),
      ev('story-s1', 'StoryAmended', { storyId: 's1', body: 'Quetzalcoatl paragraph about the offsite', reason: 'clearer' }, '2021-03-05T10:00:00.000Z'),
      story('s4', 'p2', 'A fourth one', 'The offsite once more', '2021-03-06T10:00:00.000Z'),
      story('s5', 'p2', 'A fifth one', 'The offsite, the last time', '2021-03-07T10:00:00.000Z'),
    ];
    for (const b of log) await h.store.appendBatch([b]);
    await h.runtime.waitFor(await h.store.headPosition());
    snapshots = new AsOfSnapshots(h.store, { live: h.runtime });
    app = asOfApp(h, snapshots, 'p2');
    built = new AsOfSnapshots(h.store);
    builtApp = asOfApp(h, built, 'p2');
  });
  afterAll(async () => {
    snapshots.close();
    built.close();
    await h.dispose();
  });

  const text = async (a: Hono<AppEnv>, path: string): Promise<string> => {
    const res = await a.request(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };

  it('finds the text of that day, not today\'s; nothing built; the cut made once and kept for the next searches of the date', async () => {
    const then = await text(app, '/search?q=Gravelwick&asOf=2021-03-03');
    expect(then).toContain('/stories/s1?asOf=2021-03-03');
    expect(then).toContain('1 story found.');
    expect(await text(app, '/search?q=Quetzalcoatl&asOf=2021-03-03')).toContain('No stories match');
    // s3 was not told yet
    expect(await text(app, '/search?q=offsite&asOf=2021-03-03')).toContain('2 stories found.');
    expect(snapshots.counts.search).toBe(3);
    expect(snapshots.counts.searchMade).toBe(1);
    expect(snapshots.counts.eventsRead).toBe(0);
    expect(snapshots.size().snapshots).toBe(0);
    // today's search finds the amended text
    expect(searchStories(h.runtime.db, { q: 'Quetzalcoatl', page: 1 })?.hits.map((x) => x.storyId)).toEqual(['s1']);
    // the same pages as a full build of the date
    for (const p of ['/search?q=Gravelwick&asOf=2021-03-03', '/search?q=offsite&asOf=2021-03-05', '/search?theme=th-care&asOf=2021-03-04', '/search?asOf=2021-03-02']) {
      expect(await text(app, p), p).toBe(await text(builtApp, p));
    }
    expect(built.size().snapshots).toBeGreaterThan(0);
  });

  it(`keeps at most ${SEARCH_CUTS_KEPT} cuts, least recently used out`, async () => {
    for (const d of ['2021-03-01', '2021-03-02', '2021-03-03', '2021-03-04', '2021-03-05', '2021-03-06']) await text(app, `/search?q=offsite&asOf=${d}`);
    const kept = snapshots.searchCuts.size();
    expect(kept.cuts).toBe(SEARCH_CUTS_KEPT);
    expect(kept.bytes).toBeGreaterThan(0);
    // the most recent is kept: asked again, it is not made again
    const made = snapshots.counts.searchMade;
    await text(app, '/search?q=offsite&asOf=2021-03-06');
    expect(snapshots.counts.searchMade).toBe(made);
    // the least recent was let go: made again
    await text(app, '/search?q=offsite&asOf=2021-03-01');
    expect(snapshots.counts.searchMade).toBe(made + 1);
  });

  it('after an erasure, a date before it shows the markers (the cut is made again), as a full build of the date does', async () => {
    expect(await text(app, '/search?q=Gravelwick&asOf=2021-03-03')).toContain('1 story found.');
    const made = snapshots.counts.searchMade;
    await h.store.append('employee-p1', [{ id: randomUUID(), type: 'EmployeeLeft', data: { employeeId: 'p1' }, metadata: { at: '2021-03-20T12:00:00.000Z', actor: 'test' } }]);
    const r = await erasePerson(h, 'test', 'p1');
    expect(r).not.toHaveProperty('code');
    await h.runtime.waitFor(await h.store.headPosition());
    const after = await text(app, '/search?q=Gravelwick&asOf=2021-03-03');
    expect(after).toContain('No stories match');
    expect(snapshots.counts.searchMade).toBe(made + 1);
    const removed = await text(app, '/search?q=removed&asOf=2021-03-03');
    expect(removed).toContain('/stories/s1?asOf=2021-03-03');
    expect(removed).toContain(REMOVED_TEXT.split(' ')[0]);
    // built in full now, from the log read with the key gone (a date built before the erasure is
    // kept as it was built: the events since are after its cutoff)
    const rebuilt = new AsOfSnapshots(h.store);
    try {
      const rebuiltApp = asOfApp(h, rebuilt, 'p2');
      for (const p of ['/search?q=removed&asOf=2021-03-03', '/search?q=offsite&asOf=2021-03-06', '/search?asOf=2021-03-04']) {
        expect(await text(app, p), p).toBe(await text(rebuiltApp, p));
      }
    } finally {
      rebuilt.close();
    }
  });
});
