import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { parseHTML } from 'linkedom';
import { utcDate } from '../../src/asof/date.ts';
import { flushReads } from '../../src/circulation/record-read.ts';
import { testHallway } from '../helpers.ts';
import { cookieFor, signedIn } from '../auth-helpers.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

/**
 * The as-of pages' behaviour: what a date shows (amended later: that day's text; retracted later:
 * still there; told later: not there), the banner and date control, links and forms keeping the
 * date, bad and future dates, the access table, and that looking at the past records nothing.
 */
describe('the archive as it stood on a date (?asOf=YYYY-MM-DD)', () => {
  let h: H;
  let leader: Awaited<ReturnType<typeof signedIn>>;
  let employee: Awaited<ReturnType<typeof signedIn>>;
  const put = async (stream: string, type: string, data: Record<string, unknown>, at: string, v?: number) => {
    const r = await h.store.append(stream, [{ id: randomUUID(), type, data, metadata: { at, actor: 'test', ...(v ? { v } : {}) } }]);
    await h.runtime.waitFor(r.position);
  };
  const story = (id: string, title: string, at: string, extra: Record<string, unknown> = {}) =>
    put(`story-${id}`, 'StorySubmitted', { storyId: id, title, body: `The body of ${title}.`, tellerId: employee.employeeId, leader: 'Maren Holt', occurredOn: '2020', themes: ['th-care'], relation: 'witnessed', anonymous: false, ...extra }, at, 2);
  const page = async (path: string, cookie = leader.cookie) => {
    const res = await h.app.request(path, { headers: { Cookie: cookie } });
    const html = await res.text();
    return { status: res.status, html, doc: parseHTML(html).document, location: res.headers.get('location') };
  };

  beforeAll(async () => {
    h = await testHallway();
    leader = await signedIn(h, { roles: ['leader'], departmentId: 'd-ops', name: 'Lena Leader' });
    employee = await signedIn(h, { departmentId: 'd-ops', name: 'Emil Employee' });
    await put('theme-th-care', 'ThemeDefined', { themeId: 'th-care', name: 'Care', description: '' }, '2021-03-01T09:00:00.000Z');
    await story('s-amended', 'The first words', '2021-03-02T10:00:00.000Z');
    await story('s-retracted', 'Since withdrawn', '2021-03-03T10:00:00.000Z');
    await put('story-s-amended', 'StoryAmended', { storyId: 's-amended', title: 'The corrected words', body: 'Corrected later.', reason: 'typo' }, '2021-03-06T10:00:00.000Z');
    await put('story-s-retracted', 'StoryRetracted', { storyId: 's-retracted', reason: 'asked to' }, '2021-03-06T11:00:00.000Z');
    await story('s-later', 'Told afterwards', '2021-03-07T10:00:00.000Z');
    // an exact midnight: recorded at the cutoff itself, so not part of 4 March
    await story('s-midnight', 'Told at midnight', '2021-03-05T00:00:00.000Z');
    await put('circulation-s-amended', 'StoryRead', { storyId: 's-amended', readerId: leader.employeeId }, '2021-03-04T12:00:00.000Z');
    await put('circulation-s-amended', 'StoryRead', { storyId: 's-amended', readerId: 'nobody-yet' }, '2021-03-06T12:00:00.000Z');
  });
  afterAll(async () => h.dispose());

  it('a story amended later shows the text it had that day; today shows the amendment', async () => {
    const then = await page('/stories/s-amended?asOf=2021-03-04');
    expect(then.status).toBe(200);
    expect(then.doc.querySelector('h1')?.textContent).toContain('The first words');
    expect(then.html).not.toContain('The corrected words');
    const now = await page('/stories/s-amended');
    expect(now.doc.querySelector('h1')?.textContent).toContain('The corrected words');
  });

  it('a story retracted later is still there; a story told later (or at the next midnight) is not', async () => {
    expect((await page('/stories/s-retracted?asOf=2021-03-04')).status).toBe(200);
    expect((await page('/stories/s-retracted', employee.cookie)).status).toBe(410);
    expect((await page('/stories/s-later?asOf=2021-03-04')).status).toBe(404);
    expect((await page('/stories/s-midnight?asOf=2021-03-04')).status).toBe(404);
    expect((await page('/stories/s-midnight?asOf=2021-03-05')).status).toBe(200);
    const timeline = await page('/timelines?asOf=2021-03-04');
    const titles = [...timeline.doc.querySelectorAll('main a[href^="/stories/"]')].map((a) => a.textContent ?? '');
    expect(titles.join('|')).toContain('The first words');
    expect(titles.join('|')).toContain('Since withdrawn');
    expect(titles.join('|')).not.toContain('Told afterwards');
  });

  it('shows the banner, "back to today" and a date control set to the date', async () => {
    const p = await page('/themes/th-care?asOf=2021-03-04');
    const banner = p.doc.querySelector('main .as-of-banner');
    expect(banner?.textContent?.replace(/\s+/g, ' ')).toContain('Hallway as it stood on 4 March 2021 — back to today');
    expect(banner?.querySelector('a')?.getAttribute('href')).toBe('/themes/th-care');
    const input = banner?.querySelector('form.as-of-control input[name="asOf"]');
    expect(input?.getAttribute('type')).toBe('date');
    expect(input?.getAttribute('value')).toBe('2021-03-04');
    expect(banner?.querySelector('form.as-of-control')?.getAttribute('action')).toBe('/themes/th-care');
    // today's page has no banner
    expect((await page('/themes/th-care')).doc.querySelector('.as-of-banner')).toBeNull();
    // the other query parameters ride along with the date control and "back to today"
    const search = await page('/search?q=words&asOf=2021-03-04');
    const hidden = [...search.doc.querySelectorAll('.as-of-banner form input[type="hidden"]')].map((i) => `${i.getAttribute('name')}=${i.getAttribute('value')}`);
    expect(hidden).toEqual(['q=words']);
    expect(search.doc.querySelector('.as-of-banner a')?.getAttribute('href')).toBe('/search?q=words');
  });

  it('links and GET forms inside keep the date; links elsewhere lead back to today', async () => {
    const p = await page('/timelines?asOf=2021-03-04');
    const story = p.doc.querySelector('main a[href^="/stories/s-amended"]');
    expect(story?.getAttribute('href')).toBe('/stories/s-amended?asOf=2021-03-04');
    const leaderLink = [...p.doc.querySelectorAll('main a[href^="/leaders/"]')][0];
    expect(leaderLink?.getAttribute('href')).toMatch(/asOf=2021-03-04$/);
    // the menu's "Tell a story" and home are today's
    expect(p.doc.querySelector('a[href="/stories/new"]')).not.toBeNull();
    expect(p.doc.querySelector('a[href="/"]')).not.toBeNull();
    const s = await page('/search?q=words&asOf=2021-03-04');
    const form = s.doc.querySelector('main form[action="/search"]:not(.as-of-control)');
    expect(form?.querySelector('input[name="asOf"]')?.getAttribute('value')).toBe('2021-03-04');
    const d = await page('/dashboard?window=all&asOf=2021-03-04');
    expect(d.status).toBe(200);
    expect(d.doc.querySelector('form[action="/dashboard"].window-form input[name="asOf"]')?.getAttribute('value')).toBe('2021-03-04');
    const storyLinks = [...d.doc.querySelectorAll('main a[href^="/dashboard/stories/"]')].map((a) => a.getAttribute('href'));
    expect(storyLinks.length).toBeGreaterThan(0);
    for (const href of storyLinks) expect(href).toContain('asOf=2021-03-04');
  });

  it('the dashboard and a story\'s spread count only what was recorded by then', async () => {
    const then = await page('/dashboard/stories/s-amended?asOf=2021-03-04');
    const now = await page('/dashboard/stories/s-amended');
    expect(then.status).toBe(200);
    expect(then.html).not.toBe(now.html);
    // told later: no spread page then
    expect((await page('/dashboard/stories/s-later?asOf=2021-03-04')).status).toBe(404);
  });

  it('the dashboard\'s CSV as of a date has that day\'s figures, its links keep the date, and the download is audited now', async () => {
    const d = await page('/dashboard?window=all&asOf=2021-03-04');
    const csvLinks = [...d.doc.querySelectorAll('main a[href^="/dashboard/export.csv"]')].map((a) => a.getAttribute('href') ?? '');
    expect(csvLinks.length).toBeGreaterThan(0);
    for (const href of csvLinks) expect(href).toContain('asOf=2021-03-04');
    const res = await h.app.request('/dashboard/export.csv?table=stories&window=all&asOf=2021-03-04', { headers: { Cookie: leader.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    expect(csv).toContain('"The first words"');
    expect(csv).not.toContain('corrected');
    const today = await (await h.app.request('/dashboard/export.csv?table=stories&window=all', { headers: { Cookie: leader.cookie } })).text();
    expect(today).toContain('"The corrected words"');
    const exported = (await h.store.readAll({ after: 0 })).filter((e) => e.type === 'DataExported');
    const asOfExport = exported.find((e) => String((e.data as { detail: string }).detail).includes('as it stood on 2021-03-04'));
    expect(asOfExport).toBeDefined();
    // recorded at the real time, not on 4 March 2021
    expect(Date.parse(asOfExport!.metadata.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a date that is not a date is answered 422 with the reason and the date control, nothing appended', async () => {
    await flushReads(h);
    const head = await h.store.headPosition();
    for (const bad of ['2021-02-30', '4 March 2021', '2021-3-4', '20210304', '1969-12-31', '<script>x</script>']) {
      const p = await page(`/timelines?asOf=${encodeURIComponent(bad)}`);
      expect(p.status, bad).toBe(422);
      expect(p.doc.querySelector('[role="alert"]')?.textContent).toMatch(/not a date/);
      expect(p.doc.querySelector('form.as-of-control input[name="asOf"]')).not.toBeNull();
      expect(p.doc.querySelector('main a[href="/timelines"]')?.textContent).toBe('See this page as it stands today');
      expect(p.html).not.toContain('<script>x');
    }
    await flushReads(h);
    expect(await h.store.headPosition()).toBe(head);
  });

  it('a date after today is answered 422 "has not happened yet"; today itself is shown with the banner', async () => {
    const tomorrow = utcDate(new Date(h.clock().getTime() + 86_400_000));
    const future = await page(`/stories/s-amended?asOf=${tomorrow}`);
    expect(future.status).toBe(422);
    expect(future.doc.querySelector('[role="alert"]')?.textContent).toContain('has not happened yet');
    const today = await page(`/stories/s-amended?asOf=${utcDate(h.clock())}`);
    expect(today.status).toBe(200);
    expect(today.doc.querySelector('h1')?.textContent).toContain('The corrected words');
    expect(today.doc.querySelector('.as-of-banner')).not.toBeNull();
    // asOf= left empty is today's page
    expect((await page('/stories/s-amended?asOf=')).doc.querySelector('.as-of-banner')).toBeNull();
  });

  it('the access table is unchanged: the dashboard as of a date is for leaders, every page needs a session', async () => {
    expect((await page('/dashboard?asOf=2021-03-04', employee.cookie)).status).toBe(403);
    expect((await page('/dashboard/stories/s-amended?asOf=2021-03-04', employee.cookie)).status).toBe(403);
    const anonymous = await h.app.request('/stories/s-amended?asOf=2021-03-04');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/sign-in');
    // a retracted story today stays retracted for an employee; as it stood, it is theirs to read again
    expect((await page('/stories/s-retracted?asOf=2021-03-04', employee.cookie)).status).toBe(200);
  });

  it('opening a story as it stood records no read', async () => {
    const settled = async () => {
      await flushReads(h);
      return h.store.headPosition();
    };
    // not the teller, not yet a reader, and already an employee on 4 March (so the read would be
    // allowed then as well as today)
    await put('employee-emp-early', 'EmployeeJoined', { employeeId: 'emp-early', name: 'Early Reader', email: 'early@example.test', departmentId: 'd-ops', joinedOn: '2020-01-01' }, '2021-03-01T08:00:00.000Z');
    const reader = { cookie: await cookieFor(h, 'emp-early') };
    const before = await settled();
    expect((await page('/stories/s-amended?asOf=2021-03-04', reader.cookie)).status).toBe(200);
    expect(await settled()).toBe(before);
    // while opening it today does (the check above could fail)
    await page('/stories/s-amended', reader.cookie);
    expect(await settled()).toBeGreaterThan(before);
  });
});
