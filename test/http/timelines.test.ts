import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { givenDepartment, givenEmployee, signedIn } from '../auth-helpers.ts';
import { dom, get, givenRead, givenStory, givenTheme, htmx, post } from './stories-given.ts';
import { isNewHire } from '../../src/http/timelines.tsx';

describe('timelines and the home page', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let reader: Awaited<ReturnType<typeof signedIn>>;
  let curator: Awaited<ReturnType<typeof signedIn>>;
  let newHire: Awaited<ReturnType<typeof signedIn>>;
  const now = new Date('2026-06-01T12:00:00Z');

  beforeAll(async () => {
    h = await testHallway({ clock: () => now });
    await givenDepartment(h, 'sales', 'Sales');
    await givenTheme(h, 'serve', 'Leaders who serve', 'They carry the bags.');
    await givenTheme(h, 'vision', 'A shared vision', 'Where we are going, together.');
    reader = await signedIn(h, { name: 'Rita Reader', joinedOn: '2015-01-01' });
    curator = await signedIn(h, { name: 'Cora Curator', roles: ['curator'], joinedOn: '2015-01-01' });
    newHire = await signedIn(h, { name: 'Nick New', joinedOn: '2026-05-01' });
  });
  afterAll(async () => h.dispose());

  const titles = (html: string): string[] => [...dom(html).querySelectorAll('.story-card h3 a')].map((a) => a.textContent ?? '');
  const years = (html: string): string[] => [...dom(html).querySelectorAll('h2.year')].map((y) => y.textContent ?? '');

  it('sorts by occurredOn (a year before its months and days) and groups by year', async () => {
    const t = reader.employeeId;
    await givenStory(h, { tellerId: t, title: 'L-2019-03-05', leader: 'Lena Sort', occurredOn: '2019-03-05' });
    await givenStory(h, { tellerId: t, title: 'L-2019', leader: 'Lena Sort', occurredOn: '2019' });
    await givenStory(h, { tellerId: t, title: 'L-2021-11', leader: 'lena  SORT', occurredOn: '2021-11' });
    await givenStory(h, { tellerId: t, title: 'L-2019-03', leader: 'Lena Sort', occurredOn: '2019-03' });
    await givenStory(h, { tellerId: t, title: 'L-2008', leader: 'Lena Sort', occurredOn: '2008' });
    const html = await (await get(h.app, '/leaders/Lena%20Sort', reader.cookie)).text();
    // a leader's timeline gathers the ways tellers spell the name
    expect(titles(html)).toEqual(['L-2008', 'L-2019', 'L-2019-03', 'L-2019-03-05', 'L-2021-11']);
    expect(years(html)).toEqual(['2008', '2019', '2021']);
  });

  it('finds a leader whose name holds a slash, a question mark or accents', async () => {
    await givenStory(h, { tellerId: reader.employeeId, title: 'Odd name', leader: 'Zoë / Ana? #1' });
    const list = dom(await (await get(h.app, '/timelines', reader.cookie)).text());
    const href = list.querySelector('a[href^="/leaders/Zo"]')!.getAttribute('href')!;
    expect(href).toBe(`/leaders/${encodeURIComponent('Zoë / Ana? #1')}`);
    const res = await get(h.app, href, reader.cookie);
    expect(res.status).toBe(200);
    expect(titles(await res.text())).toEqual(['Odd name']);
  });

  it('pages: htmx scrolls in the next page, plain links page without JavaScript, one heading per year', async () => {
    await givenTheme(h, 'many', 'Many');
    for (let i = 0; i < 25; i++) {
      await givenStory(h, { tellerId: reader.employeeId, title: `M${String(i).padStart(2, '0')}`, occurredOn: i < 22 ? '2010' : '2011', themes: ['many'] });
    }
    const first = await get(h.app, '/themes/many', reader.cookie);
    const html = await first.text();
    expect(titles(html)).toHaveLength(20);
    const more = dom(html).querySelector('.more')!;
    expect(more.getAttribute('hx-trigger')).toBe('revealed');
    expect(more.getAttribute('hx-swap')).toBe('outerHTML');
    expect(more.getAttribute('hx-get')).toBe('/themes/many?page=2&after=2010');
    expect(more.querySelector('a')!.getAttribute('href')).toBe('/themes/many?page=2');

    // htmx: only the items, no repeated 2010 heading, no further "more"
    const frag = await (await get(h.app, more.getAttribute('hx-get')!, reader.cookie, htmx)).text();
    expect(frag).not.toContain('<html');
    expect(titles(frag)).toEqual(['M20', 'M21', 'M22', 'M23', 'M24']);
    expect(years(frag)).toEqual(['2011']);
    expect(dom(frag).querySelector('.more')).toBeNull();

    // without JavaScript: a whole page, with its own headings and a link back
    const page2 = await (await get(h.app, '/themes/many?page=2', reader.cookie)).text();
    expect(page2).toContain('<html');
    expect(years(page2)).toEqual(['2010', '2011']);
    expect(dom(page2).querySelector('a[href="/themes/many?page=1"]')).not.toBeNull();
  });

  it('marks the most circulated stories', async () => {
    await givenTheme(h, 'popular', 'Popular');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await givenStory(h, { tellerId: reader.employeeId, title: `P${i}`, themes: ['popular'] }));
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await givenEmployee(h, { name: `Listener ${i}` }));
    // P3 reaches 4 people, P1 3, P4 2 (read twice by one: counted once), P0 none; the teller's own read counts for nothing
    for (const p of people) await givenRead(h, ids[3]!, p.employeeId);
    for (const p of people.slice(0, 3)) await givenRead(h, ids[1]!, p.employeeId);
    for (const p of [people[0]!, people[0]!, people[1]!]) await givenRead(h, ids[4]!, p.employeeId);
    await givenRead(h, ids[0]!, reader.employeeId);
    const doc = dom(await (await get(h.app, '/themes/popular', reader.cookie)).text());
    const marked = [...doc.querySelectorAll('.story-card.most-circulated h3 a')].map((a) => a.textContent).sort();
    expect(marked).toEqual(['P1', 'P3', 'P4']);
    expect(doc.querySelector(`#story-${ids[3]} .badge`)!.textContent).toBe('Most circulated');
  });

  it('lists departments, leaders and themes on /timelines, and a department timeline holds its stories', async () => {
    await givenStory(h, { tellerId: reader.employeeId, title: 'In sales', happenedIn: 'sales', leader: 'Sal Boss' });
    const doc = dom(await (await get(h.app, '/timelines', reader.cookie)).text());
    expect(doc.querySelector('a[href="/departments/sales"]')).not.toBeNull();
    expect(doc.querySelector('a[href="/themes/serve"]')).not.toBeNull();
    expect(doc.querySelector('a[href="/leaders/Sal%20Boss"]')).not.toBeNull();
    expect(titles(await (await get(h.app, '/departments/sales', reader.cookie)).text())).toEqual(['In sales']);
    expect((await get(h.app, '/departments/nowhere', reader.cookie)).status).toBe(404);
    expect((await get(h.app, '/themes/nothing', reader.cookie)).status).toBe(404);
  });

  it('lists themes with their descriptions on /themes and leaders on /leaders', async () => {
    const themes = dom(await (await get(h.app, '/themes', reader.cookie)).text());
    const serve = themes.querySelector('a[href="/themes/serve"]')!;
    expect(serve.textContent).toBe('Leaders who serve');
    expect(serve.closest('li')!.querySelector('p')!.textContent).toBe('They carry the bags.');
    const leaders = dom(await (await get(h.app, '/leaders', reader.cookie)).text());
    expect(leaders.querySelector('a[href="/leaders/Sal%20Boss"]')!.textContent).toBe('Sal Boss');
  });

  it('knows a new hire by the app clock: joined less than 90 days ago', () => {
    expect(isNewHire('2026-03-04', now)).toBe(true);
    expect(isNewHire('2026-03-03', now)).toBe(false);
    expect(isNewHire('2015-01-01', now)).toBe(false);
  });

  it('shows new hires Start here first, as a path (test/http/start-here.test.ts walks the path itself)', async () => {
    const picked = await givenStory(h, { tellerId: reader.employeeId, title: 'Picked one' });
    const set = await post(h.app, '/curation/start-here', curator.cookie, { storyIds: [picked], expectedRevision: '-1' });
    expect(set.status).toBe(303);

    const home = dom(await (await get(h.app, '/', newHire.cookie)).text());
    const sections = [...home.querySelectorAll('main h2')].map((x) => x.textContent);
    expect(sections.indexOf('Start here')).toBeLessThan(sections.indexOf('Recently told'));
    expect(home.querySelector('ol.path li a')!.textContent).toBe('Picked one');

    const old = dom(await (await get(h.app, '/', reader.cookie)).text());
    const oldSections = [...old.querySelectorAll('main h2')].map((x) => x.textContent);
    expect(oldSections.indexOf('Start here')).toBeGreaterThan(oldSections.indexOf('Recently told'));
  });
});
