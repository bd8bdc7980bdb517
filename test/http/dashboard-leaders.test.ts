import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testHallway } from '../helpers.ts';
import { givenDepartment, givenEmployee, signedIn } from '../auth-helpers.ts';
import { dom } from './stories-given.ts';
import { GLOSSARY } from '../../views/components/term.tsx';

type H = Awaited<ReturnType<typeof testHallway>>;

/**
 * Issue 11, leaders: the dashboard opens with sentences a leader would say out loud, made from the
 * figures below it; every figure's name explains itself on hover and focus; a quiet default
 * window says so and offers the window that has activity.
 */
describe('the dashboard for leaders, issue 11', () => {
  let h: H;
  let leader: Awaited<ReturnType<typeof signedIn>>;
  const NOW = Date.parse('2026-06-30T12:00:00.000Z');
  const day = 86_400_000;
  const ago = (days: number): string => new Date(NOW - days * day).toISOString();
  const put = async (stream: string, type: string, data: Record<string, unknown>, at: string) =>
    h.store.append(stream, [{ id: randomUUID(), type, data, metadata: { at, actor: 'test' } }]);
  const page = async (path: string) => {
    const res = await h.app.request(path, { headers: { Cookie: leader.cookie } });
    expect(res.status).toBe(200);
    return dom(await res.text());
  };

  beforeAll(async () => {
    h = await testHallway({ env: { HALLWAY_MIN_GROUP: '2' }, clock: () => new Date(NOW) });
    await givenDepartment(h, 'eng', 'Engineering');
    await givenDepartment(h, 'ops', 'Operations <& Co>');
    await givenDepartment(h, 'fin', 'Finance');
    for (const [id, dept] of [['a1', 'eng'], ['a2', 'eng'], ['b1', 'ops'], ['b2', 'ops'], ['c1', 'fin'], ['c2', 'fin']] as const) {
      await givenEmployee(h, { employeeId: `emp-${id}`, name: `Person ${id}`, departmentId: dept });
    }
    leader = await signedIn(h, { roles: ['leader'], departmentId: 'fin', name: 'Lee Leader' });
    const story = (id: string, teller: string, title: string, at: string) =>
      put(`story-${id}`, 'StorySubmitted', { storyId: id, title, body: 'It happened.', tellerId: teller, leader: 'Maren', occurredOn: '2024', themes: [], relation: 'witnessed', anonymous: false }, at);
    // long ago (outside the last 30 days, inside 90): eng -> ops twice, eng read once
    await story('open-house', 'emp-a1', 'The open <house>', ago(70));
    await put('circulation-open-house', 'StoryShared', { storyId: 'open-house', fromId: 'emp-a1', toId: 'emp-b1' }, ago(69));
    await put('circulation-open-house', 'StoryShared', { storyId: 'open-house', fromId: 'emp-a1', toId: 'emp-b2' }, ago(68));
    await put('circulation-open-house', 'StoryRead', { storyId: 'open-house', readerId: 'emp-a2' }, ago(67));
    await story('small', 'emp-b1', 'A small fix', ago(66));
    const r = await put('circulation-small', 'StoryRead', { storyId: 'small', readerId: 'emp-b2' }, ago(65));
    await h.runtime.waitFor(r.position);
  });
  afterAll(async () => h.dispose());

  it('with nothing in the last 30 days, says so and offers the 30 days that had activity', async () => {
    const d = await page('/dashboard');
    const notice = d.querySelector('.notice[role="status"]')!;
    expect(notice.textContent).toContain('Nothing new in this window (the last 30 days): no story reached anyone.');
    const link = notice.querySelector('a')!;
    const latest = new Date(NOW - 65 * day).toISOString().slice(0, 10);
    expect(link.getAttribute('href')).toBe(`/dashboard?from=${new Date(NOW - 65 * day - 29 * day).toISOString().slice(0, 10)}&to=${latest}`);
    // and that window does show the stories
    const offered = await page(link.getAttribute('href')!);
    expect(offered.querySelector('#in-short')).not.toBeNull();
    expect(offered.querySelector('.notice[role="status"]')).toBeNull();
  });

  it('opens with plain sentences made from the figures below', async () => {
    const d = await page('/dashboard?window=90');
    const said = [...d.querySelectorAll('.headlines li')].map((li) => li.textContent!.replace(/\s+/g, ' ').replace(' See the figures for this', '').trim());
    expect(said).toEqual([
      '“The open <house>” travelled furthest in the last 90 days: 3 people heard it for the first time, and it reached Operations <& Co> for the first time.',
      'Next came “A small fix”, with 1 person.',
      'Stories crossed most often from Engineering to Operations <& Co>: twice.',
      'Engineering and Finance heard nothing from outside their own departments.',
    ]);
    // the same numbers as the tables: people reached, the flow cell, the quiet corner
    const row = [...d.querySelectorAll('#circulating ~ * tbody tr, section[aria-labelledby="circulating"] tbody tr')][0]!;
    expect(row.querySelectorAll('td')[1]!.textContent).toBe('3');
    expect([...d.querySelectorAll('tr.quiet')].map((tr) => tr.querySelector('td')!.textContent)).toEqual(['Engineering', 'Finance']);
    // typed names are escaped
    const html = await (await h.app.request('/dashboard?window=90', { headers: { Cookie: leader.cookie } })).text();
    expect(html).toContain('Operations &lt;&amp; Co&gt;');
    expect(html).not.toContain('Operations <& Co>');
  });

  it('gives every figure a plain name and a one-line explanation tied to it for hover, focus and screen readers', async () => {
    const d = await page('/dashboard?window=90');
    const terms = [...d.querySelectorAll('button.term')];
    expect(terms.length).toBeGreaterThanOrEqual(10);
    for (const t of terms) {
      expect(t.getAttribute('type')).toBe('button'); // focusable, does nothing when pressed
      const tip = d.getElementById(t.getAttribute('aria-describedby')!)!;
      expect(tip.getAttribute('role')).toBe('tooltip');
      expect(tip.textContent!.length).toBeGreaterThan(20);
    }
    // ids are unique on the page
    const ids = terms.map((t) => t.getAttribute('aria-describedby'));
    expect(new Set(ids).size).toBe(ids.length);
    // the jargon is explained, and no figure is named by jargon alone
    const heads = [...d.querySelectorAll('th')].map((th) => th.textContent);
    expect(heads.some((x) => x!.includes('Word-of-mouth score'))).toBe(true);
    expect(d.getElementById('tip-s-virality')!.textContent).toBe(GLOSSARY.virality.explain);
    expect(d.getElementById('tip-d-ei')!.textContent).toBe(GLOSSARY.ei.explain);
    // the story page too
    const s = await page('/dashboard/stories/open-house');
    const dts = [...s.querySelectorAll('dl.figures dt')];
    expect(dts.length).toBeGreaterThan(8);
    for (const dt of dts) expect(dt.querySelector('button.term'), dt.textContent!).not.toBeNull();
  });
});
