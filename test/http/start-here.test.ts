import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { givenEmployee, signedIn } from '../auth-helpers.ts';
import { dom, get, givenRead, givenStory, givenTheme, post } from './stories-given.ts';
import { buildPath } from '../../src/read/start-here.ts';
import type { Story } from '../../src/read/stories.ts';

/** Start here as a path: picks first, one story per theme, none twice, the reader's own progress. */
describe('Start here, a path for new hires', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let teller: Awaited<ReturnType<typeof signedIn>>;
  let curator: Awaited<ReturnType<typeof signedIn>>;
  let nina: Awaited<ReturnType<typeof signedIn>>;
  let noah: Awaited<ReturnType<typeof signedIn>>;
  const now = new Date('2026-06-01T12:00:00Z');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await testHallway({ clock: () => now });
    await givenTheme(h, 'serve', 'Leaders who serve');
    await givenTheme(h, 'vision', 'A shared vision');
    await givenTheme(h, 'care', 'Care');
    await givenTheme(h, 'empty', 'Nothing yet');
    teller = await signedIn(h, { name: 'Tom Teller', joinedOn: '2015-01-01' });
    curator = await signedIn(h, { name: 'Cora Curator', roles: ['curator'], joinedOn: '2015-01-01' });
    nina = await signedIn(h, { name: 'Nina New', joinedOn: '2026-05-01' });
    noah = await signedIn(h, { name: 'Noah New', joinedOn: '2026-05-02' });
    // "wide" carries three themes and is the most circulated in each: without the rule, it would
    // show under all three
    ids['wide'] = await givenStory(h, { tellerId: teller.employeeId, title: 'Wide', themes: ['serve', 'vision', 'care'] });
    ids['serve2'] = await givenStory(h, { tellerId: teller.employeeId, title: 'Serve two', themes: ['serve'] });
    ids['vision2'] = await givenStory(h, { tellerId: teller.employeeId, title: 'Vision two', themes: ['vision'] });
    ids['picked'] = await givenStory(h, { tellerId: teller.employeeId, title: 'Picked <b>one</b>', themes: ['care'] });
    const fans = [];
    for (let i = 0; i < 3; i++) fans.push(await givenEmployee(h, { name: `Fan ${i}` }));
    for (const f of fans) await givenRead(h, ids['wide']!, f.employeeId);
    for (const f of fans.slice(0, 2)) await givenRead(h, ids['serve2']!, f.employeeId);
    await givenRead(h, ids['vision2']!, fans[0]!.employeeId);
  });
  afterAll(async () => h.dispose());

  const path = async (cookie: string) => {
    const home = dom(await (await get(h.app, '/', cookie)).text());
    return {
      titles: [...home.querySelectorAll('ol.path > li > a')].map((a) => a.textContent),
      read: [...home.querySelectorAll('ol.path > li.done > a')].map((a) => a.textContent),
      progress: home.querySelector('.path-progress strong')?.textContent,
      html: home.querySelector('.start-here')?.outerHTML ?? '',
    };
  };

  it('gives each theme one story, never the same story twice, and skips a theme with none', async () => {
    const p = await path(nina.cookie);
    // serve: Wide (the most circulated). vision and care are covered by Wide, so not repeated.
    expect(p.titles).toEqual(['Wide']);
    expect(new Set(p.titles).size).toBe(p.titles.length);
    expect(p.html).not.toContain('Nothing yet');
  });

  it('puts the curators\' picks first, then one story for each theme the path does not cover yet', async () => {
    const set = await post(h.app, '/curation/start-here', curator.cookie, { storyIds: [ids['picked']!, ids['vision2']!], expectedRevision: '-1' });
    expect(set.status).toBe(303);
    const p = await path(nina.cookie);
    // picks cover care and vision; serve's most circulated (Wide) comes next
    expect(p.titles).toEqual(['Picked <b>one</b>', 'Vision two', 'Wide']);
    expect(p.html).toContain('Picked &lt;b&gt;one&lt;/b&gt;');
    expect(p.html).toContain("curators' pick");
    expect(p.progress).toBe('0 of 3 read');
  });

  it('counts the reader\'s own reads ("1 of 3 read"), shown to them alone', async () => {
    const open = await get(h.app, `/stories/${ids['wide']}`, nina.cookie);
    expect(open.status).toBe(200);
    const { flushReads } = await import('../../src/circulation/record-read.ts');
    await flushReads(h);
    const mine = await path(nina.cookie);
    expect(mine.progress).toBe('1 of 3 read');
    expect(mine.read).toEqual(['Wide']);
    // Noah's path is the same, his progress his own
    const his = await path(noah.cookie);
    expect(his.titles).toEqual(mine.titles);
    expect(his.progress).toBe('0 of 3 read');
    expect(his.read).toEqual([]);
    const res = await get(h.app, '/', nina.cookie);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('buildPath: a theme whose every story is already on the path gets none', () => {
    const s = (id: string, themes: string[]): Story => ({ storyId: id, title: id, themes: themes.map((t) => ({ themeId: t, name: t })) }) as Story;
    const stories = new Map([['a', s('a', ['x'])], ['b', s('b', ['y'])]]);
    const byTheme: Record<string, string[]> = { x: ['a'], y: ['a', 'b'], z: ['a'] };
    const steps = buildPath([], [{ themeId: 'x', name: 'x' }, { themeId: 'y', name: 'y' }, { themeId: 'z', name: 'z' }], (t, n) => (byTheme[t] ?? []).slice(0, n), (id) => stories.get(id));
    expect(steps.map((st) => [st.story.storyId, st.because.kind === 'theme' ? st.because.theme.themeId : 'pick'])).toEqual([['a', 'x'], ['b', 'y']]);
  });
});
