import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { testHallway } from '../helpers.ts';
import { signedIn } from '../auth-helpers.ts';
import { importFile } from '../../src/importer.ts';
import { seedOrg } from '../../events/seed/org.ts';
import { seedStories } from '../../events/seed/stories.ts';
import { DEMO_STORIES } from '../../events/seed/story-content.ts';

const demoFile = fileURLToPath(new URL('../../events/seed/demo.jsonl', import.meta.url));

describe('searching the demo archive', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let cookie: string;
  beforeAll(async () => {
    h = await testHallway();
    const report = await importFile(h, demoFile);
    await h.runtime.waitFor(await h.store.headPosition());
    expect(report).toBeTruthy();
    cookie = (await signedIn(h, { name: 'Demo Reader' })).cookie;
  });
  afterAll(async () => h.dispose());

  const hrefs = async (q: string): Promise<string[]> => {
    const res = await h.app.request(`/search?${q}`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const doc = parseHTML(await res.text()).document;
    return [...doc.querySelectorAll('.search-hit-title a')].map((a) => a.getAttribute('href') ?? '');
  };

  it('finds the open-house story by what the founder did', async () => {
    const found = await hrefs('q=personal%20cell%20number');
    expect(found[0]).toBe('/stories/story-open-house');
  });

  it('filters the archive by theme: every story of the theme, and only those', async () => {
    const expected = DEMO_STORIES.filter((s) => s.themes.includes('theme-safety')).map((s) => `/stories/story-${s.key}`).sort();
    expect(expected.length).toBeGreaterThan(0);
    const res = await h.app.request('/search?theme=theme-safety', { headers: { Cookie: cookie } });
    const doc = parseHTML(await res.text()).document;
    expect(doc.querySelector('.search-count')?.textContent).toContain(`${expected.length} stor`);
    const shown = [...doc.querySelectorAll('.search-hit-title a')].map((a) => a.getAttribute('href') ?? '');
    expect(shown.length).toBe(Math.min(10, expected.length));
    for (const href of shown) expect(expected).toContain(href);
  });

  it('never names the teller of an anonymous demo story', async () => {
    const stories = seedStories(seedOrg());
    const org = seedOrg();
    const anonymous = DEMO_STORIES.filter((s) => s.anonymous);
    expect(anonymous.length).toBeGreaterThan(0);
    for (const s of anonymous) {
      const tellerId = stories.stories.find((x) => x.storyId === `story-${s.key}`)!.tellerId;
      const name = org.employees.find((e) => e.employeeId === tellerId)!.name;
      const res = await h.app.request(`/search?q=${encodeURIComponent(s.title)}`, { headers: { Cookie: cookie } });
      const html = await res.text();
      expect(html, s.key).toContain(`/stories/story-${s.key}`);
      expect(html, s.key).not.toContain(name);
    }
  });

  it('tells each demo story by someone in its department who had joined by then', () => {
    const org = seedOrg();
    for (const s of seedStories(org).stories) {
      const content = DEMO_STORIES.find((c) => `story-${c.key}` === s.storyId)!;
      const teller = org.employees.find((e) => e.employeeId === s.tellerId)!;
      const dept = teller.departments.filter((d) => d.from <= s.at).at(-1)?.departmentId;
      expect(dept, s.storyId).toBe(content.tellerDept);
      expect(teller.joinedOn <= s.at.slice(0, 10), s.storyId).toBe(true);
      expect(s.at.slice(0, 10)).toBe(content.toldAt);
    }
  });

  it('lists each demo leader once on /leaders, as a person (every demo story links its leader)', async () => {
    const doc = parseHTML(await (await h.app.request('/leaders', { headers: { Cookie: cookie } })).text()).document;
    const entries = [...doc.querySelectorAll('ul.leaders > li')].map((li) => `${li.querySelector('a')!.textContent} ${li.querySelector('a + .muted')!.textContent}`);
    expect(entries.filter((e) => e.startsWith('Marta Ilves'))).toEqual(['Marta Ilves (9 stories)']);
    expect(doc.querySelectorAll('ul.leaders a[href^="/leaders/people/"]').length).toBe(entries.length);
  });
});
