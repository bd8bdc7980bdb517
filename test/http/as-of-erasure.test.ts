import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasePerson } from '../../src/privacy/erase.ts';
import { REMOVED_TEXT } from '../../src/privacy/markers.ts';
import type { BatchAppend } from '../../src/store/port.ts';
import { cookieFor } from '../auth-helpers.ts';
import { testHallway } from '../helpers.ts';
import { getPage } from './as-of-compare.ts';
import type { TestHallway } from './as-of-compare.ts';

/**
 * An erasure after a past date's pages were shown: what was kept for that date (a date built from
 * the log, a story's part of the cut, the stories and search models at the cut, the dashboard's
 * figures at the cut, rendered pages) was read while the person's words could still be read. A
 * rebuild of the log cut at that date, made after the erasure, reads the markers (the key is gone),
 * so the same pages opened again must show the markers and none of the words.
 */
const ev = (stream: string, type: string, data: Record<string, unknown>, at: string, v?: number): BatchAppend => ({
  stream, expectedRevision: 'any', events: [{ id: randomUUID(), type, data, metadata: { at, actor: 'test', ...(v ? { v } : {}) } }],
});
const story = (id: string, teller: string, title: string, body: string, at: string) =>
  ev(`story-${id}`, 'StorySubmitted', { storyId: id, title, body, tellerId: teller, leader: 'Maren Holt', happenedIn: 'd-eng', occurredOn: '2020', themes: ['th-care'], relation: 'witnessed', anonymous: false }, at, 2);

function logOf(olderImportLast: boolean): BatchAppend[] {
  const log = [
    ev('department-d-eng', 'DepartmentOpened', { departmentId: 'd-eng', name: 'Engineering' }, '2021-03-01T08:00:00.000Z'),
    ev('theme-th-care', 'ThemeDefined', { themeId: 'th-care', name: 'Care', description: '' }, '2021-03-01T08:00:00.000Z'),
    ...['p1', 'p2', 'p3', 'p4'].map((p) => ev(`employee-${p}`, 'EmployeeJoined', { employeeId: p, name: `Person ${p}`, email: `${p}@example.test`, departmentId: 'd-eng', joinedOn: '2020-01-01' }, '2021-03-01T08:00:00.000Z')),
    ev('employee-p2', 'EmployeeRoleGranted', { employeeId: 'p2', role: 'leader' }, '2021-03-01T08:00:00.000Z'),
    story('s1', 'p1', 'Marmalade Heliotrope Incident', 'Gravelwick procedures at the offsite', '2021-03-02T10:00:00.000Z'),
    ev('circulation-s1', 'StoryHeard', { storyId: 's1', listenerId: 'p3', fromId: 'p1' }, '2021-03-02T11:00:00.000Z'),
    ev('circulation-s1', 'StoryHeard', { storyId: 's1', listenerId: 'p4', fromId: 'p3' }, '2021-03-02T12:00:00.000Z'),
    story('s2', 'p2', 'Ordinary standup', 'Nothing unusual at the offsite', '2021-03-03T10:00:00.000Z'),
    story('s3', 'p2', 'A later one', 'The offsite again', '2021-03-06T10:00:00.000Z'),
  ];
  // an older story imported last: every date from its day to the latest is then built from the log
  if (olderImportLast) log.push(story('s0', 'p2', 'Imported from the old wiki', 'An older offsite', '2021-03-01T09:00:00.000Z'));
  return log;
}

const PAGES = ['/stories/s1', '/dashboard/stories/s1', '/timelines', '/themes/th-care', '/leaders/Maren%20Holt', '/departments/d-eng', '/search?q=offsite', '/dashboard?window=all', '/dashboard/export.csv?table=stories&window=all'];
const WORDS = ['Marmalade', 'Heliotrope', 'Gravelwick'];

for (const [name, olderImportLast] of [['read at its cut from the live read models', false], ['built from the log', true]] as const) {
  describe(`a date ${name}, after an erasure, shows the markers and none of the words`, () => {
    let h: TestHallway;
    let cookie: string;
    beforeAll(async () => {
      h = await testHallway({ clock: () => new Date('2021-03-20T12:00:00.000Z') });
      for (const b of logOf(olderImportLast)) await h.store.appendBatch([b]);
      await h.runtime.waitFor(await h.store.headPosition());
      cookie = await cookieFor(h, 'p2');
    });
    afterAll(async () => {
      await h.dispose();
    });

    it('each page as of 2021-03-04, before and after p1 is erased', async () => {
      for (const p of PAGES) {
        const page = await getPage(h, `${p}${p.includes('?') ? '&' : '?'}asOf=2021-03-04`, cookie);
        expect(page.status, p).toBe(200);
        // the story page, its spread, the timelines, search and the dashboard's lists name it by title
        expect(WORDS.some((w) => page.html.includes(w)), p).toBe(true);
      }
      await h.store.appendBatch([ev('employee-p1', 'EmployeeLeft', { employeeId: 'p1' }, '2021-03-20T12:00:00.000Z')]);
      const r = await erasePerson(h, 'test', 'p1');
      expect(r).not.toHaveProperty('code');
      await h.runtime.waitFor(await h.store.headPosition());
      for (const p of PAGES) {
        const page = await getPage(h, `${p}${p.includes('?') ? '&' : '?'}asOf=2021-03-04`, cookie);
        expect(page.status, p).toBe(200);
        for (const w of WORDS) expect(page.html.includes(w), `${p} still shows “${w}”`).toBe(false);
      }
      // the title's marker where the title was
      expect((await getPage(h, '/stories/s1?asOf=2021-03-04', cookie)).html).toContain(REMOVED_TEXT.replace(/'/g, '&#39;'));
    });
  });
}
