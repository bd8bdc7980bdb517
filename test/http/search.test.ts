import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { testHallway } from '../helpers.ts';
import { givenDepartment, signedIn } from '../auth-helpers.ts';
import { searchStories, toMatchQuery } from '../../src/read/search.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

let seq = 0;
/** Appends events to a story's (or theme's) stream through the real store and waits for the projections. */
async function given(h: H, stream: string, type: string, data: Record<string, unknown>): Promise<void> {
  seq += 1;
  const r = await h.store.append(stream, [{ id: `${stream}-${type}-${seq}`, type, data, metadata: { at: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(), actor: 'system' } }]);
  await h.runtime.waitFor(r.position);
}

const story = (h: H, storyId: string, fields: Record<string, unknown>) =>
  given(h, `story-${storyId}`, 'StorySubmitted', {
    storyId,
    title: 'A title',
    body: 'A body',
    leader: 'A leader',
    occurredOn: '2020',
    themes: [],
    relation: 'witnessed',
    anonymous: false,
    ...fields,
  });

describe('search', () => {
  let h: H;
  let cookie: string;
  let tellerName: string;
  let tellerId: string;
  const get = async (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    h.app.request(path, { headers: { Cookie: cookie, ...headers } });
  const dom = async (res: Response) => parseHTML(await res.text()).document;

  beforeAll(async () => {
    h = await testHallway();
    const me = await signedIn(h, { name: 'Searcher One' });
    cookie = me.cookie;
    const teller = await signedIn(h, { name: 'Quentin Tellerson', departmentId: 'dept-noc' });
    tellerName = teller.name;
    tellerId = teller.employeeId;
    await givenDepartment(h, 'dept-noc', 'Network operations centre');
    await givenDepartment(h, 'dept-sales', 'Sales');
    await given(h, 'theme-theme-customer', 'ThemeDefined', { themeId: 'theme-customer', name: 'Customer first', description: '' });
    await given(h, 'theme-theme-safety', 'ThemeDefined', { themeId: 'theme-safety', name: 'Safety before speed', description: '' });
    await story(h, 's-open-house', {
      title: 'The CIO at the open house',
      body: 'He gave the furious customer his personal cell number and took his calls day and night.\n\nYears later the repair teams still told it.',
      leader: 'Marta Ilves, founder',
      tellerId,
      happenedIn: 'dept-noc',
      themes: ['theme-customer'],
    });
    await story(h, 's-ladder', {
      title: 'Carrying the ladder',
      body: 'She stopped the climb because the pole was rotten. Safety first, always.',
      leader: 'Joe Barros',
      tellerId,
      happenedIn: 'dept-sales',
      themes: ['theme-safety'],
      anonymous: true,
    });
    await story(h, 's-xss', {
      title: 'Script <b>bold</b> story',
      body: '<script>alert(1)</script><img src=x onerror=alert(1)> xsscanary',
      leader: 'Mallory <i>Markup</i>',
      tellerId,
    });
  });
  afterAll(async () => h.dispose());

  it('asks who you are first', async () => {
    const res = await h.app.request('/search?q=cell');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?next=%2Fsearch%3Fq%3Dcell');
  });

  it('finds a story by a word of its body, its title or its leader, and marks the match', async () => {
    for (const q of ['personal cell', 'open house', 'Marta']) {
      const doc = await dom(await get(`/search?q=${encodeURIComponent(q)}`));
      const links = [...doc.querySelectorAll('.search-hit-title a')].map((a) => a.getAttribute('href'));
      expect(links, q).toEqual(['/stories/s-open-house']);
      expect(doc.querySelectorAll('#search-results mark').length, q).toBeGreaterThan(0);
    }
    const doc = await dom(await get('/search?q=cell'));
    expect([...doc.querySelectorAll('mark')].map((m) => m.textContent)).toContain('cell');
    expect(doc.querySelector('.search-hit-meta')?.textContent).toContain(tellerName);
  });

  it('finds a word still being typed (prefix on the last word) and word forms (porter)', async () => {
    const typing = await dom(await get('/search?q=furi'));
    expect(typing.querySelector('.search-hit-title a')?.getAttribute('href')).toBe('/stories/s-open-house');
    const forms = await dom(await get('/search?q=call%20'));
    expect(forms.querySelector('.search-hit-title a')?.getAttribute('href')).toBe('/stories/s-open-house');
  });

  it('shows markup typed into a story as text, with the match still marked', async () => {
    const res = await get('/search?q=alert');
    const html = await res.text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold');
    expect(html).not.toContain('<i>Markup');
    expect(html).toContain('&lt;script&gt;');
    const doc = parseHTML(html).document;
    expect(doc.querySelectorAll('#search-results script, #search-results img, #search-results b, #search-results i').length).toBe(0);
    expect([...doc.querySelectorAll('mark')].map((m) => m.textContent)).toContain('alert');
    const byLeader = await dom(await get('/search?q=Mallory'));
    expect(byLeader.querySelector('.search-hit-meta')?.textContent).toContain('Mallory <i>Markup</i>');
  });

  it('never shows who told an anonymous story', async () => {
    const res = await get('/search?q=ladder');
    const html = await res.text();
    expect(html).toContain('/stories/s-ladder');
    expect(html).toContain('told anonymously');
    expect(html).not.toContain(tellerName);
    expect(html).not.toContain(tellerId);
  });

  it('answers every query without a syntax error, whatever is typed', async () => {
    for (const q of ['"', 'AND', 'OR NOT', '*', '(', 'title:cell', 'NEAR(a b', '-cell', '^cell', "cell's", 'a"b', '\uE000cell\uE001', '💥']) {
      const res = await get(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: 'grapheme' }), (q) => {
        const r = searchStories(h.runtime.db, { q, page: 1 });
        return r === null || r.total >= 0;
      }),
      { numRuns: 300 },
    );
    expect(toMatchQuery('  ')).toBeNull();
    expect(toMatchQuery('cell "numb')).toBe('"cell" "numb"*');
    expect(toMatchQuery('cell AND ')).toBe('"cell" "AND"');
    expect(toMatchQuery('"personal cell" numb')).toBe('"personal cell" "numb"*');
    expect(toMatchQuery('numb "personal ce')).toBe('"numb" "personal ce"*');
    expect(toMatchQuery('"personal cell"')).toBe('"personal cell"');
    expect(toMatchQuery('""  "" ')).toBeNull();
  });

  it('keeps words in double quotes together as a phrase', async () => {
    expect(await get('/search?q=%22personal%20cell%22').then((r) => r.text())).toContain('/stories/s-open-house');
    expect(await get('/search?q=%22cell%20personal%22').then((r) => r.text())).not.toContain('/stories/s-open-house');
    expect(await get('/search?q=%22personal%20ce').then((r) => r.text())).toContain('/stories/s-open-house');
  });

  it('says clearly when nothing matches', async () => {
    const doc = await dom(await get('/search?q=zebracorn'));
    expect(doc.querySelector('.search-none')?.textContent).toContain('No stories match “zebracorn”');
    expect(doc.querySelectorAll('.search-hit').length).toBe(0);
  });

  it('filters by theme and by the department where it happened', async () => {
    const byTheme = await dom(await get('/search?q=&theme=theme-safety'));
    expect([...byTheme.querySelectorAll('.search-hit-title a')].map((a) => a.getAttribute('href'))).toEqual(['/stories/s-ladder']);
    expect(byTheme.querySelector('#theme option[selected]')?.getAttribute('value')).toBe('theme-safety');
    const byDept = await dom(await get('/search?q=the&dept=dept-noc'));
    expect([...byDept.querySelectorAll('.search-hit-title a')].map((a) => a.getAttribute('href'))).toEqual(['/stories/s-open-house']);
    const none = await dom(await get('/search?q=ladder&theme=theme-customer'));
    expect(none.querySelector('.search-none')?.textContent).toContain('with these filters');
  });

  it('follows amendments, re-theming and retractions', async () => {
    await story(h, 's-change', { title: 'Before the edit', body: 'The original wording mentions a teapot.', leader: 'Ines', tellerId });
    expect((await get('/search?q=teapot').then((r) => r.text()))).toContain('/stories/s-change');
    await given(h, 'story-s-change', 'StoryAmended', { storyId: 's-change', body: 'The corrected wording mentions a kettle.', reason: 'it was a kettle' });
    expect(await get('/search?q=teapot').then((r) => r.text())).not.toContain('/stories/s-change');
    expect(await get('/search?q=kettle').then((r) => r.text())).toContain('/stories/s-change');
    await given(h, 'story-s-change', 'StoryThemed', { storyId: 's-change', themeId: 'theme-customer' });
    expect(await get('/search?q=kettle&theme=theme-customer').then((r) => r.text())).toContain('/stories/s-change');
    await given(h, 'story-s-change', 'StoryUnthemed', { storyId: 's-change', themeId: 'theme-customer' });
    expect(await get('/search?q=kettle&theme=theme-customer').then((r) => r.text())).not.toContain('/stories/s-change');
    await given(h, 'story-s-change', 'StoryRetracted', { storyId: 's-change', reason: 'told in error' });
    expect(await get('/search?q=kettle').then((r) => r.text())).not.toContain('/stories/s-change');
    expect(await get('/search?q=Before').then((r) => r.text())).not.toContain('/stories/s-change');
    // an amendment after the retraction does not bring it back
    await given(h, 'story-s-change', 'StoryAmended', { storyId: 's-change', title: 'Kettle again', reason: 'late edit' });
    expect(await get('/search?q=kettle').then((r) => r.text())).not.toContain('/stories/s-change');
  });

  it('answers htmx with the results fragment only, and the page otherwise', async () => {
    // <input type="search" name="q" hx-get="/search" hx-target="#search-results" hx-include="closest form">
    const frag = await get('/search?q=cell', { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
    const html = await frag.text();
    expect(frag.status).toBe(200);
    expect(html).not.toContain('<html');
    expect(html).not.toContain('<form');
    expect(html).toContain('/stories/s-open-house');
    expect(html).toContain('hx-swap-oob="true"');
    const restore = await get('/search?q=cell', { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true' });
    expect(await restore.text()).toContain('<html');
    const page = await (await get('/search?q=cell')).text();
    expect(page).toContain('<html');
    expect(page).toContain('hx-trigger="input changed delay:300ms, search"');
    expect(page).toContain('id="search-results"');
  });

  it('refuses an over-long query or a bad filter with 422 and the message beside the field', async () => {
    const res = await get(`/search?q=${'a'.repeat(201)}&dept=no%20such`);
    expect(res.status).toBe(422);
    const doc = parseHTML(await res.text()).document;
    expect(doc.querySelector('#q-error')?.textContent).toContain('at most 200 characters');
    expect(doc.querySelector('#dept-error')?.textContent).toContain('not one of the choices');
    expect(doc.querySelector('#q')?.getAttribute('aria-invalid')).toBe('true');
    expect(doc.querySelectorAll('.search-hit').length).toBe(0);
    const frag = await get(`/search?q=${'a'.repeat(201)}`, { 'HX-Request': 'true' });
    expect(frag.status).toBe(422);
    expect(parseHTML(await frag.text()).document.querySelector('#q-error')?.textContent).toContain('at most 200 characters');
  });

  it('pages through many results', async () => {
    for (let i = 0; i < 12; i++) await story(h, `s-many-${i}`, { title: `Umbrella story ${i}`, body: 'umbrella', leader: 'Someone', tellerId });
    const one = await dom(await get('/search?q=umbrella'));
    expect(one.querySelectorAll('.search-hit').length).toBe(10);
    expect(one.querySelector('.search-count')?.textContent).toContain('12 stories');
    const next = one.querySelector('.pager a[rel=next]')?.getAttribute('href');
    expect(next).toBe('/search?q=umbrella&page=2');
    const two = await dom(await get(next!));
    expect(two.querySelectorAll('.search-hit').length).toBe(2);
    expect(two.querySelector('.pager a[rel=prev]')).not.toBeNull();
    const ids = new Set([...one.querySelectorAll('.search-hit-title a'), ...two.querySelectorAll('.search-hit-title a')].map((a) => a.getAttribute('href')));
    expect(ids.size).toBe(12);
  });
});
