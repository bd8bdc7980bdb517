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

  it('retires a theme: the form stops offering it and a story can no longer take it', async () => {
    await post(h.app, '/curation/themes', curator.cookie, { name: 'Old ways', description: '' });
    expect((await post(h.app, '/curation/themes/old-ways/retire', curator.cookie, {})).status).toBe(303);
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
  });
});
