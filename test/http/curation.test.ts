import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { signedIn } from '../auth-helpers.ts';
import { countEvents, dom, get, givenStory, post, storyFields, settledHead } from './stories-given.ts';
import { applyPickOp, slugFor } from '../../src/http/curation.tsx';

describe('curation: themes and Start here picks', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let curator: Awaited<ReturnType<typeof signedIn>>;
  let employee: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    h = await testHallway();
    curator = await signedIn(h, { name: 'Cora Curator', roles: ['curator'] });
    employee = await signedIn(h, { name: 'Emma Employee' });
  });
  afterAll(async () => h.dispose());

  it('is for curators only', async () => {
    const head = await settledHead(h);
    expect((await get(h.app, '/curation', employee.cookie)).status).toBe(403);
    expect((await post(h.app, '/curation/themes', employee.cookie, { name: 'Sneaky', description: '' })).status).toBe(403);
    expect((await post(h.app, '/curation/start-here', employee.cookie, { storyIds: [] })).status).toBe(403);
    expect(await h.store.headPosition()).toBe(head);
    expect((await get(h.app, '/curation', curator.cookie)).status).toBe(200);
  });

  it('defines a theme (id made from the name), refuses a duplicate with 409 and bad input with 422', async () => {
    const ok = await post(h.app, '/curation/themes', curator.cookie, { name: 'Customer first', description: 'The customer is in the room.' });
    expect(ok.status).toBe(303);
    const theme = await get(h.app, '/themes/customer-first', employee.cookie);
    expect(theme.status).toBe(200);
    expect(dom(await theme.text()).querySelector('.description')!.textContent).toBe('The customer is in the room.');

    const head = await settledHead(h);
    const dup = await post(h.app, '/curation/themes', curator.cookie, { name: 'Customer First', description: 'again' });
    expect(dup.status).toBe(409);
    expect(dom(await dup.text()).querySelector('#new-themeId-error')!.textContent).toContain('already exists');
    const bad = await post(h.app, '/curation/themes', curator.cookie, { name: '', themeId: 'bad id!', description: '' });
    expect(bad.status).toBe(422);
    const d = dom(await bad.text());
    expect(d.querySelector('#new-name-error')!.textContent).toContain('is required');
    expect(d.querySelector('#new-themeId-error')!.textContent).toContain('letters, digits');
    expect(d.querySelector('#new-themeId')!.getAttribute('value')).toBe('bad id!');
    expect(await h.store.headPosition()).toBe(head);
  });

  it('refuses a second theme whose name differs only in case (another id): 422 beside the name, nothing appended', async () => {
    // <form method="post" action="/curation/themes"> name=" customer FIRST", themeId="cf-2"
    const head = await settledHead(h);
    const res = await post(h.app, '/curation/themes', curator.cookie, { name: ' customer FIRST', themeId: 'cf-2', description: 'twice' });
    expect(res.status).toBe(422);
    expect(dom(await res.text()).querySelector('#new-name-error')!.textContent).toContain('Another theme already has this name');
    expect(await h.store.headPosition()).toBe(head);
    expect((await get(h.app, '/themes/cf-2', employee.cookie)).status).toBe(404);
  });

  it('describes a theme (ThemeDescribed) and answers 409 to a stale form', async () => {
    await post(h.app, '/curation/themes', curator.cookie, { name: 'Vision', themeId: 'vision', description: 'old words' });
    const res = await post(h.app, '/curation/themes/vision', curator.cookie, { name: 'A shared vision', description: 'Where we go, together.', expectedRevision: '0' });
    expect(res.status).toBe(303);
    expect(await countEvents(h, 'ThemeDescribed')).toBe(1);
    const doc = dom(await (await get(h.app, '/themes/vision', employee.cookie)).text());
    expect(doc.querySelector('h1')!.textContent).toBe('A shared vision');
    expect(doc.querySelector('.description')!.textContent).toBe('Where we go, together.');
    const stale = await post(h.app, '/curation/themes/vision', curator.cookie, { name: 'Vision!', description: 'mine', expectedRevision: '0' });
    expect(stale.status).toBe(409);
    const s = dom(await stale.text());
    expect(s.querySelector('#t-vision-form-error')!.textContent).toContain('Another curator');
    expect(s.querySelector('#t-vision-description')!.textContent).toBe('mine');
    expect(await countEvents(h, 'ThemeDescribed')).toBe(1);
  });

  it('retires a theme only after the confirm step, then says so beside the theme', async () => {
    await post(h.app, '/curation/themes', curator.cookie, { name: 'Old <ways>', themeId: 'old-ways', description: '' });
    // the page links to the question, not straight to the retirement
    const cur = dom(await (await get(h.app, '/curation', curator.cookie)).text());
    const link = cur.querySelector('#theme-old-ways a.retire-link')!;
    expect(link.getAttribute('href')).toBe('/curation/themes/old-ways/retire');
    expect(link.getAttribute('hx-get')).toBe('/curation/themes/old-ways/retire');
    const question = await get(h.app, '/curation/themes/old-ways/retire', curator.cookie);
    expect(question.status).toBe(200);
    const q = await question.text();
    expect(q).toContain('Retire “Old &lt;ways&gt;”?');
    expect(dom(q).querySelector('form[action="/curation/themes/old-ways/retire"] input[name="confirm"][value="yes"]')).not.toBeNull();
    // htmx gets the question alone, to put in the theme's row
    const frag = await (await h.app.request('/curation/themes/old-ways/retire', { headers: { Cookie: curator.cookie, 'HX-Request': 'true' } })).text();
    expect(frag).not.toContain('<html');
    expect(frag).toContain('Yes, retire');
    // a post without the confirm step's yes asks the question and retires nothing
    const head = await settledHead(h);
    const unconfirmed = await post(h.app, '/curation/themes/old-ways/retire', curator.cookie, {});
    expect(unconfirmed.status).toBe(200);
    expect(await unconfirmed.text()).toContain('Retire “Old &lt;ways&gt;”?');
    expect(await settledHead(h)).toBe(head);
    const yes = await post(h.app, '/curation/themes/old-ways/retire', curator.cookie, { confirm: 'yes' });
    expect(yes.status).toBe(303);
    expect(yes.headers.get('location')).toBe('/curation?done=retired&theme=old-ways#theme-old-ways');
    const after = dom(await (await get(h.app, yes.headers.get('location')!, curator.cookie)).text());
    const status = after.querySelector('#theme-old-ways [role="status"]')!;
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toContain('Retired “Old <ways>”.');
    const form = dom(await (await get(h.app, '/stories/new', employee.cookie)).text());
    expect(form.querySelector('input[name="themes"][value="old-ways"]')).toBeNull();
    expect(form.querySelector('input[name="themes"][value="vision"]')).not.toBeNull();
    const told = await post(h.app, '/stories', employee.cookie, storyFields({ themes: ['old-ways'] }));
    expect(told.status).toBe(422);
    expect((await get(h.app, '/themes/old-ways', employee.cookie)).status).toBe(200);
  });

  it('picks and orders stories for Start here with plain form buttons', async () => {
    const a = await givenStory(h, { tellerId: employee.employeeId, title: 'Alpha' });
    const b = await givenStory(h, { tellerId: employee.employeeId, title: 'Bravo' });
    const page = async () => dom(await (await get(h.app, '/curation', curator.cookie)).text());
    const picks = async () => [...(await page()).querySelectorAll('.picks-form ol li a')].map((x) => x.textContent);
    const submit = async (op: string, add?: string) => {
      const doc = await page();
      const form = doc.querySelector('.picks-form')!;
      const storyIds = [...form.querySelectorAll('input[name="storyIds"]')].map((i) => i.getAttribute('value')!);
      const expectedRevision = form.querySelector('input[name="expectedRevision"]')!.getAttribute('value')!;
      return post(h.app, '/curation/start-here', curator.cookie, { storyIds, expectedRevision, op, add });
    };
    expect((await submit('add', a)).status).toBe(303);
    expect((await submit('add', b)).status).toBe(303);
    expect(await picks()).toEqual(['Alpha', 'Bravo']);
    expect((await submit(`up:${b}`)).status).toBe(303);
    expect(await picks()).toEqual(['Bravo', 'Alpha']);
    expect((await submit(`remove:${b}`)).status).toBe(303);
    expect(await picks()).toEqual(['Alpha']);

    // a form based on an older list: 409, nothing changed
    const stale = await post(h.app, '/curation/start-here', curator.cookie, { storyIds: [a], expectedRevision: '0', op: 'add', add: b });
    expect(stale.status).toBe(409);
    expect(await picks()).toEqual(['Alpha']);
    const unknown = await post(h.app, '/curation/start-here', curator.cookie, { storyIds: ['no-such-story'], expectedRevision: '2' });
    expect(unknown.status).toBe(422);
    expect(await picks()).toEqual(['Alpha']);
  });

  it('makes theme ids from names and applies pick buttons', () => {
    expect(slugFor('  Customer First! ')).toBe('customer-first');
    expect(slugFor('Équipe & Co')).toBe('equipe-co');
    expect(applyPickOp(['a', 'b', 'c'], 'up:c', '')).toEqual(['a', 'c', 'b']);
    expect(applyPickOp(['a', 'b', 'c'], 'up:a', '')).toEqual(['a', 'b', 'c']);
    expect(applyPickOp(['a', 'b', 'c'], 'down:a', '')).toEqual(['b', 'a', 'c']);
    expect(applyPickOp(['a', 'b'], 'remove:a', '')).toEqual(['b']);
    expect(applyPickOp(['a'], 'add', 'a')).toEqual(['a']);
    expect(applyPickOp(['a'], 'add', 'b')).toEqual(['a', 'b']);
    expect(applyPickOp(['a'], 'add:b', '')).toEqual(['a', 'b']);
    expect(applyPickOp(['a'], 'add:a', '')).toEqual(['a']);
  });

  it('finds picks with a search box: suggestions for htmx, the same in the page without JavaScript, and says what was added', async () => {
    const c = await givenStory(h, { tellerId: employee.employeeId, title: 'Charlie & the <night> shift' });
    // no 43-item list: the page offers a search box, not a select of every story
    const page = dom(await (await get(h.app, '/curation', curator.cookie)).text());
    expect(page.querySelector('#add-pick')).toBeNull();
    expect(page.querySelector('#pick-q')!.getAttribute('hx-get')).toBe('/curation/stories');
    const frag = await (await h.app.request('/curation/stories?pickq=night', { headers: { Cookie: curator.cookie, 'HX-Request': 'true' } })).text();
    expect(frag).not.toContain('<html');
    expect(frag).toContain('Add “Charlie &amp; the &lt;night&gt; shift”');
    expect(dom(frag).querySelector(`button[name="op"][value="add:${c}"]`)).not.toBeNull();
    // without JavaScript the search box's form asks the page itself
    const plain = await get(h.app, '/curation/stories?pickq=night', curator.cookie);
    expect(plain.status).toBe(303);
    expect(plain.headers.get('location')).toBe('/curation?pickq=night#picks');
    const found = dom(await (await get(h.app, '/curation?pickq=NIGHT', curator.cookie)).text());
    const button = found.querySelector(`#pick-suggestions button[value="add:${c}"]`)!;
    expect(button).not.toBeNull();
    const form = button.closest('form')!;
    const storyIds = [...form.querySelectorAll('input[name="storyIds"]')].map((i) => i.getAttribute('value')!);
    const expectedRevision = form.querySelector('input[name="expectedRevision"]')!.getAttribute('value')!;
    const added = await post(h.app, '/curation/start-here', curator.cookie, { storyIds, expectedRevision, op: `add:${c}` });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe(`/curation?done=pick-added&story=${c}#picks`);
    const after = dom(await (await get(h.app, added.headers.get('location')!, curator.cookie)).text());
    expect(after.querySelector('#picks [role="status"]')!.textContent).toBe('Added “Charlie & the <night> shift” to the picks.');
    expect([...after.querySelectorAll('.picks-form ol li a')].map((x) => x.textContent)).toContain('Charlie & the <night> shift');
    // nothing matches: said plainly
    const none = await (await h.app.request('/curation/stories?pickq=zzzz', { headers: { Cookie: curator.cookie, 'HX-Request': 'true' } })).text();
    expect(none).toContain('No story title holds “zzzz”');
  });

  it('confirms a defined and a saved theme beside its form', async () => {
    const defined = await post(h.app, '/curation/themes', curator.cookie, { name: 'Listening', description: '' });
    expect(defined.headers.get('location')).toBe('/curation?done=defined&theme=listening#define');
    const page = dom(await (await get(h.app, defined.headers.get('location')!, curator.cookie)).text());
    const status = page.querySelector('#define + [role="status"]')!;
    expect(status.textContent).toContain('Theme “Listening” defined.');
    const saved = await post(h.app, '/curation/themes/listening', curator.cookie, { name: 'Listening', description: 'ears', expectedRevision: '0' });
    expect(saved.headers.get('location')).toBe('/curation?done=saved&theme=listening#theme-listening');
    const again = dom(await (await get(h.app, saved.headers.get('location')!, curator.cookie)).text());
    expect(again.querySelector('#theme-listening [role="status"]')!.textContent).toBe('Saved “Listening”.');
    // a made-up notice code or an unknown theme shows nothing
    const odd = await (await get(h.app, '/curation?done=%3Cscript%3E&theme=nope', curator.cookie)).text();
    expect(odd).not.toContain('<script>');
    expect(dom(odd).querySelectorAll('.notice.done')).toHaveLength(0);
  });

  it('lets an admin without the curator role define themes (the first admin need not grant themselves curator), but not set picks', async () => {
    const admin = await signedIn(h, { name: 'Ada Admin', roles: ['admin'] });
    const res = await get(h.app, '/curation', admin.cookie);
    expect(res.status).toBe(200);
    const page = dom(await res.text());
    expect(page.querySelector('#picks')).toBeNull();
    expect(page.querySelector('form[action="/curation/themes"]')).not.toBeNull();
    const defined = await post(h.app, '/curation/themes', admin.cookie, { name: 'Admin made', description: '' });
    expect(defined.status).toBe(303);
    expect((await get(h.app, '/themes/admin-made', employee.cookie)).status).toBe(200);
    expect((await post(h.app, '/curation/start-here', admin.cookie, { storyIds: [] })).status).toBe(403);
    expect((await get(h.app, '/curation/stories?pickq=a', admin.cookie)).status).toBe(403);
  });

  it('confirms a theme added to or removed from a story beside the theme editor on the story page', async () => {
    await post(h.app, '/curation/themes', curator.cookie, { name: 'Care & <craft>', themeId: 'care', description: '' });
    const storyId = await givenStory(h, { tellerId: employee.employeeId, title: 'Themed later' });
    const added = await post(h.app, `/stories/${storyId}/themes`, curator.cookie, { themeId: 'care' });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe(`/stories/${storyId}?themed=added&theme=care#retheme-heading`);
    const page = await (await get(h.app, added.headers.get('location')!, curator.cookie)).text();
    const status = dom(page).querySelector('#retheme-heading + [role="status"]')!;
    expect(status.textContent).toBe('Added the theme “Care & <craft>”.');
    expect(page).toContain('Added the theme “Care &amp; &lt;craft&gt;”.');
    const removed = await post(h.app, `/stories/${storyId}/themes/remove`, curator.cookie, { themeId: 'care' });
    const after = dom(await (await get(h.app, removed.headers.get('location')!, curator.cookie)).text());
    expect(after.querySelector('#retheme-heading + [role="status"]')!.textContent).toBe('Removed the theme “Care & <craft>”.');
    // a made-up query says nothing
    const odd = dom(await (await get(h.app, `/stories/${storyId}?themed=added&theme=nope`, curator.cookie)).text());
    expect(odd.querySelector('#retheme-heading + [role="status"]')!.textContent).toBe('');
  });
});
