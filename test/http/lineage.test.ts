import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { signedIn } from '../auth-helpers.ts';
import { dom, get, givenStory, post } from './stories-given.ts';
import { importFile } from '../../src/importer.ts';
import { getStory } from '../../src/read/stories.ts';

/**
 * How a story changed as it was retold (issue 12, section 3), through the real app: the lineage
 * page on a chain and a tree, who sees which telling, the story page's link, amendments word by
 * word in the history, and the demo's open-house story.
 */
describe('/stories/:id/lineage', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let reader: Awaited<ReturnType<typeof signedIn>>;
  let curator: Awaited<ReturnType<typeof signedIn>>;
  let alice: Awaited<ReturnType<typeof signedIn>>;
  let bob: Awaited<ReturnType<typeof signedIn>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await testHallway();
    reader = await signedIn(h, { name: 'Rita Reader' });
    curator = await signedIn(h, { name: 'Cora Curator', roles: ['curator'] });
    alice = await signedIn(h, { name: 'Alice Sales', departmentId: 'dept-sales' });
    bob = await signedIn(h, { name: 'Bob Noc', departmentId: 'dept-noc' });
    // root ← noc ← van (a chain), and root ← quiet (anonymous), root ← gone (retracted): a tree
    ids.root = await givenStory(h, { storyId: 'root', tellerId: alice.employeeId, title: 'The open house', body: 'She gave him her personal cell number and for about six weeks he called her.' });
    ids.noc = await givenStory(h, { storyId: 'noc', tellerId: bob.employeeId, title: 'NOC version', body: 'She gave him her own mobile number and for weeks he called her.', retellingOf: 'root', relation: 'heard' });
    ids.van = await givenStory(h, { storyId: 'van', tellerId: alice.employeeId, title: 'Van version', body: 'She gave him her own number and he called her at two in the morning for weeks.', retellingOf: 'noc', relation: 'heard' });
    ids.quiet = await givenStory(h, { storyId: 'quiet', tellerId: bob.employeeId, title: 'Quiet version', body: 'She gave him her number.', retellingOf: 'root', relation: 'heard', anonymous: true });
    ids.gone = await givenStory(h, { storyId: 'gone', tellerId: bob.employeeId, title: 'Gone version', body: 'A secret retracted wording.', retellingOf: 'root', relation: 'heard' });
    const gone = getStory(h.runtime.db, 'gone')!;
    expect((await post(h.app, '/stories/gone/retract', bob.cookie, { reason: 'wrong' })).status).toBe(303);
    expect(gone.storyId).toBe('gone');
    ids.lonely = await givenStory(h, { storyId: 'lonely', tellerId: alice.employeeId, title: 'Told once', body: 'Nobody retold this.' });
  });
  afterAll(async () => h.dispose());

  const page = async (path: string, cookie: string) => {
    const res = await get(h.app, path, cookie);
    return { status: res.status, d: dom(await res.text()) };
  };

  it('shows the tree from any member: the chain nested under the root, each retelling diffed against its own parent', async () => {
    for (const from of ['root', 'noc', 'van']) {
      const { status, d } = await page(`/stories/${from}/lineage`, reader.cookie);
      expect(status).toBe(200);
      expect(d.querySelector('li.telling.current')!.id).toBe(`telling-${from}`);
      // van is nested in noc, which is nested in root
      expect(d.querySelector('#telling-root #telling-noc #telling-van')).not.toBeNull();
      expect(d.querySelector('#telling-root > ul > #telling-quiet')).not.toBeNull();
    }
    const { d } = await page('/stories/van/lineage', reader.cookie);
    const noc = d.querySelector('#telling-noc > article')!;
    expect([...noc.querySelectorAll(':scope .word-diff del')].map((x) => x.textContent!.replace('[removed:]', '').trim())).toEqual(['personal cell', 'about six']);
    expect([...noc.querySelectorAll(':scope .word-diff ins')].map((x) => x.textContent!.replace('[added:]', '').trim())).toEqual(['own mobile']);
    // 15 words before, 11 kept in order
    expect(noc.querySelector('.word-diff-figure')!.textContent).toContain('73% of the words kept (11 of 15');
    const van = d.querySelector('#telling-van > article')!;
    expect(van.querySelector('.telling-meta')!.textContent).toContain('Retelling “NOC version”, told by Alice Sales, in dept-sales');
    expect(van.querySelector('.word-diff del')!.textContent).toContain('mobile');
    // the root shows its own text, no diff
    expect(d.querySelector('#telling-root > article .word-diff')).toBeNull();
  });

  it('anonymous stays anonymous (no department either); a retracted telling keeps its place without its text, except for curators', async () => {
    const { d } = await page('/stories/root/lineage', reader.cookie);
    const quiet = d.querySelector('#telling-quiet > article')!;
    expect(quiet.querySelector('.anonymous')!.textContent).toBe('anonymous');
    expect(quiet.textContent).not.toContain('Bob Noc');
    expect(quiet.textContent).not.toContain('dept-noc');
    expect(d.querySelector('#telling-gone > .telling-hidden')!.textContent).toBe('A telling not shown to you.');
    expect(d.body.textContent).not.toContain('secret retracted');
    expect(d.querySelector('.lineage .lead')!.textContent).toContain('4 tellings');

    const asCurator = (await page('/stories/root/lineage', curator.cookie)).d;
    expect(asCurator.querySelector('#telling-gone article .flag')!.textContent).toContain('Retracted');
    expect(asCurator.querySelector('#telling-quiet article')!.textContent).toContain('Bob Noc');
    // a retracted story's own lineage is not for others
    expect((await get(h.app, '/stories/gone/lineage', reader.cookie)).status).toBe(404);
    expect((await get(h.app, '/stories/nope/lineage', reader.cookie)).status).toBe(404);
  });

  it('escapes what tellers typed', async () => {
    await givenStory(h, { storyId: 'xss', tellerId: bob.employeeId, title: '<img src=x onerror=alert(1)>', body: 'She gave him <script>alert(1)</script> her number.', retellingOf: 'root', relation: 'heard' });
    const { d } = await page('/stories/xss/lineage', reader.cookie);
    expect(d.querySelector('main script, main img')).toBeNull();
    expect(d.querySelector('#telling-xss h2')!.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(d.querySelector('#telling-xss .word-diff ins')!.textContent).toContain('script');
  });

  it('the story page links to it only when the family has more than one telling', async () => {
    const { d } = await page('/stories/noc', reader.cookie);
    expect(d.querySelector('a[href="/stories/noc/lineage"]')!.textContent).toContain('5 tellings');
    expect((await page('/stories/lonely', reader.cookie)).d.querySelector('a[href$="/lineage"]')).toBeNull();
  });

  it("a telling's amendments are shown word by word in its history, with the share kept", async () => {
    const s = getStory(h.runtime.db, 'lonely')!;
    const res = await post(h.app, '/stories/lonely/amend', alice.cookie, { title: s.title, body: 'Nobody ever retold this one.', reason: 'clearer', expectedRevision: String(s.revision) });
    expect(res.status).toBe(303);
    const { d } = await page('/stories/lonely', reader.cookie);
    const changes = d.querySelector('.history details.changes')!;
    expect(changes.querySelector('summary')!.textContent).toContain('100% of the words kept');
    expect([...changes.querySelectorAll('ins')].map((x) => x.textContent!.replace('[added:]', '').trim())).toEqual(['ever', 'one']);
  });
});

describe('the demo: how the open-house story drifted', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let cookie: string;
  beforeAll(async () => {
    h = await testHallway();
    await importFile(h, fileURLToPath(new URL('../../events/seed/demo.jsonl', import.meta.url)));
    await h.runtime.waitFor(await h.store.headPosition());
    cookie = (await signedIn(h, { name: 'Demo Reader' })).cookie;
  });
  afterAll(async () => h.dispose());

  it('the NOC and repair-crew retellings lose the cell number and the six weeks', async () => {
    const res = await get(h.app, '/stories/story-open-house-repair/lineage', cookie);
    expect(res.status).toBe(200);
    const d = dom(await res.text());
    const removed = (id: string) => [...d.querySelectorAll(`#telling-${id} > article .word-diff del`)].map((x) => x.textContent).join(' ');
    const added = (id: string) => [...d.querySelectorAll(`#telling-${id} > article .word-diff ins`)].map((x) => x.textContent).join(' ');
    for (const id of ['story-open-house-noc', 'story-open-house-repair']) {
      expect(removed(id)).toContain('cell');
      expect(removed(id)).toContain('six');
    }
    expect(added('story-open-house-noc')).toContain('mobile');
    expect(d.querySelector('#telling-story-open-house > article .telling-meta')!.textContent).toContain('The original');
  });
});
