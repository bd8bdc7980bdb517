import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { givenDepartment, signedIn } from '../auth-helpers.ts';
import { countEvents, dom, get, givenRetiredTheme, givenStory, givenTheme, htmx, post, storyFields, settledHead } from './stories-given.ts';
import { flushReads } from '../../src/circulation/record-read.ts';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(1)>';

describe('telling and reading stories', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let teller: Awaited<ReturnType<typeof signedIn>>;
  let other: Awaited<ReturnType<typeof signedIn>>;
  let curator: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    h = await testHallway();
    await givenDepartment(h, 'noc', 'Network operations');
    await givenDepartment(h, 'old', 'Old department');
    const closed = await h.store.append('department-old', [{ id: h.newId(), type: 'DepartmentClosed', data: { departmentId: 'old' }, metadata: { at: h.clock().toISOString() } }]);
    await h.runtime.waitFor(closed.position);
    await givenTheme(h, 'customer-first', 'Customer first');
    await givenTheme(h, 'vision', 'A shared vision');
    await givenTheme(h, 'gone', 'Gone');
    await givenRetiredTheme(h, 'gone');
    teller = await signedIn(h, { name: 'Tina Teller', departmentId: 'noc' });
    other = await signedIn(h, { name: 'Otto Other' });
    curator = await signedIn(h, { name: 'Cora Curator', roles: ['curator'] });
  });
  afterAll(async () => h.dispose());

  it('serves the form with an idempotency key and every field EVENTS.md names', async () => {
    const res = await get(h.app, '/stories/new', teller.cookie);
    expect(res.status).toBe(200);
    const doc = dom(await res.text());
    const form = doc.querySelector('form#story-form')!;
    expect(form.getAttribute('action')).toBe('/stories');
    expect(form.getAttribute('hx-post')).toBe('/stories');
    for (const name of ['title', 'body', 'leader', 'happenedIn', 'occurredOn', 'themes', 'relation', 'anonymous', 'idempotencyKey']) {
      expect(form.querySelector(`[name="${name}"]`), name).not.toBeNull();
    }
    expect(form.querySelector('[name="idempotencyKey"]')!.getAttribute('value')).toMatch(/^[0-9a-f-]{36}$/);
    // closed departments and retired themes are not offered
    expect(form.querySelector('option[value="old"]')).toBeNull();
    expect(form.querySelector('input[value="gone"]')).toBeNull();
  });

  it('tells a story: 303 to its page, which shows it with paragraphs kept', async () => {
    // <form method="post" action="/stories"> … <button type="submit">Tell the story</button>
    const res = await post(h.app, '/stories', teller.cookie, storyFields({ themes: ['customer-first', 'vision'], happenedIn: 'noc' }));
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/stories\/[0-9a-f-]{36}\?told=1$/);
    const page = await get(h.app, location, teller.cookie);
    expect(page.status).toBe(200);
    const doc = dom(await page.text());
    expect(doc.querySelector('h1')!.textContent).toBe('The open house');
    const paragraphs = [...doc.querySelectorAll('.story > .story-body p')].map((p) => p.textContent);
    expect(paragraphs).toEqual(['She listened.', 'Then she acted.']);
    const meta = doc.querySelector('.story-meta')!.textContent!;
    expect(meta).toContain('Tina Teller');
    // a thank-you and what happens next, for the teller only
    expect(doc.querySelector('.thanks h2')!.textContent).toBe('Thank you for telling it');
    expect(doc.querySelector('.thanks')!.textContent).toContain('how far it went');
    const plain = dom(await (await get(h.app, location.replace('?told=1', ''), teller.cookie)).text());
    expect(plain.querySelector('.thanks')).toBeNull();
    expect(meta).toContain('Grace Hopper');
    expect(meta).toContain('May 2019');
    expect(meta).toContain('Network operations');
    expect(meta).toContain('Customer first');
    expect(meta).toContain('A shared vision');
    expect(doc.querySelector('#circulation')).not.toBeNull();
  });

  it('makes one story from a double submit of the same form', async () => {
    const fields = storyFields({ title: 'Clicked twice' });
    const before = await countEvents(h, 'StorySubmitted');
    const [a, b] = await Promise.all([post(h.app, '/stories', teller.cookie, fields), post(h.app, '/stories', teller.cookie, fields)]);
    const c = await post(h.app, '/stories', teller.cookie, fields); // a retry after a timeout
    expect([a.status, b.status, c.status]).toEqual([303, 303, 303]);
    expect(b.headers.get('location')).toBe(a.headers.get('location'));
    expect(c.headers.get('location')).toBe(a.headers.get('location'));
    expect(await countEvents(h, 'StorySubmitted')).toBe(before + 1);
  });

  it('makes a new story when the same form comes back (Back button) edited, so the edit is not lost', async () => {
    const fields = storyFields({ title: 'First try' });
    const a = await post(h.app, '/stories', teller.cookie, fields);
    const b = await post(h.app, '/stories', teller.cookie, { ...fields, title: 'Second, edited' });
    expect(b.headers.get('location')).not.toBe(a.headers.get('location'));
    expect(await (await get(h.app, b.headers.get('location')!, teller.cookie)).text()).toContain('Second, edited');
  });

  it('refuses bad input with 422, the form re-rendered with messages beside the fields, and appends nothing', async () => {
    const head = await settledHead(h);
    const res = await post(h.app, '/stories', teller.cookie, storyFields({
      title: '', body: '   ', leader: 'x'.repeat(201), occurredOn: '2019-13', relation: '',
      themes: ['customer-first', 'nope', 'gone'], happenedIn: 'old', retellingOf: 'no-such-story',
    }));
    expect(res.status).toBe(422);
    const doc = dom(await res.text());
    const err = (f: string) => doc.querySelector(`#${f}-error`)?.textContent ?? '';
    expect(err('title')).toContain('is required');
    expect(err('body')).toContain('is required');
    expect(err('leader')).toContain('at most 200');
    expect(err('occurredOn')).toContain('YYYY');
    expect(err('relation')).toContain('choose');
    expect(doc.querySelector('#title')!.getAttribute('aria-describedby')).toBe('title-error');
    // what the person typed comes back
    expect((doc.querySelector('#leader') as unknown as { getAttribute(n: string): string }).getAttribute('value')).toBe('x'.repeat(201));
    expect(await h.store.headPosition()).toBe(head);

    // once the fields are well formed, the references are checked: every one beside its field
    const refs = await post(h.app, '/stories', teller.cookie, storyFields({ themes: ['customer-first', 'nope', 'gone'], happenedIn: 'old', retellingOf: 'no-such-story' }));
    expect(refs.status).toBe(422);
    const d2 = dom(await refs.text());
    expect(d2.querySelector('#themes-error')!.textContent).toContain('theme nope is not defined');
    expect(d2.querySelector('#themes-error')!.textContent).toContain('theme gone is retired');
    expect(d2.querySelector('#happenedIn-error')!.textContent).toContain('closed');
    expect(d2.querySelector('#retellingOf-error')!.textContent).toContain('not a story');
    const six = await post(h.app, '/stories', teller.cookie, storyFields({ themes: ['a', 'b', 'c', 'd', 'e', 'f'] }));
    expect(six.status).toBe(422);
    expect(dom(await six.text()).querySelector('#themes-error')!.textContent).toContain('at most 5');
    expect(await h.store.headPosition()).toBe(head);
  });

  it('with htmx: a 422 answers the form alone (swapped in place), success answers HX-Redirect', async () => {
    const bad = await post(h.app, '/stories', teller.cookie, storyFields({ title: '' }), htmx);
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).not.toContain('<html');
    expect(html).toMatch(/^<form id="story-form"/);
    const ok = await post(h.app, '/stories', teller.cookie, storyFields({ title: 'Told with htmx' }), htmx);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('hx-redirect')).toMatch(/^\/stories\/[0-9a-f-]{36}\?told=1$/);
    // read your own writes: the page is there at once
    const page = await get(h.app, ok.headers.get('hx-redirect')!, teller.cookie);
    expect(await page.text()).toContain('Told with htmx');
  });

  it('takes tellerId from the session, never from the form', async () => {
    const res = await post(h.app, '/stories', teller.cookie, { ...storyFields({ title: 'Whose is it' }), tellerId: other.employeeId });
    const page = dom(await (await get(h.app, res.headers.get('location')!, curator.cookie)).text());
    expect(page.querySelector('.story-meta')!.textContent).toContain('Tina Teller');
  });

  it('shows an XSS body as text on the story page, the timelines and the history', async () => {
    const res = await post(h.app, '/stories', teller.cookie, storyFields({ title: `T ${XSS}`, body: XSS, themes: ['customer-first'] }));
    const url = res.headers.get('location')!.split('?')[0]!;
    const storyId = url.split('/').pop()!;
    const check = (html: string) => {
      expect(html).not.toContain('<script>alert(1)');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    };
    const page = await (await get(h.app, url, teller.cookie)).text();
    check(page);
    expect(dom(page).querySelector('.story > .story-body p')!.textContent).toBe(XSS);
    check(await (await get(h.app, '/themes/customer-first', teller.cookie)).text());
    check(await (await get(h.app, '/timelines', teller.cookie)).text());
    // amend it so the XSS text becomes history's "earlier text"
    const amended = await post(h.app, `/stories/${storyId}/amend`, teller.cookie, { title: 'Safe now', body: 'Plain words.', reason: `fix ${XSS}`, expectedRevision: '0' });
    expect(amended.status).toBe(303);
    const after = await (await get(h.app, url, curator.cookie)).text();
    check(after);
    const doc = dom(after);
    expect(doc.querySelector('.history .earlier .story-body p')!.textContent).toBe(XSS);
    expect(doc.querySelector('.history .earlier-title')!.textContent).toBe(`T ${XSS}`);
  });

  it('keeps an anonymous teller from everyone but curators and the teller, in the history too', async () => {
    const res = await post(h.app, '/stories', teller.cookie, storyFields({ title: 'Nameless', anonymous: 'true' }));
    const url = res.headers.get('location')!.split('?')[0]!;
    const forOther = await (await get(h.app, url, other.cookie)).text();
    expect(forOther).not.toContain('Tina Teller');
    expect(dom(forOther).querySelector('.story-meta')!.textContent).toContain('anonymous');
    expect(dom(forOther).querySelector('.history')!.textContent).toContain('by the teller');
    const card = dom(await (await get(h.app, '/timelines', other.cookie)).text()).querySelector(`#story-${url.split('/').pop()}`)!;
    expect(card.textContent).toContain('anonymous');
    expect(card.textContent).not.toContain('Tina Teller');
    expect(await (await get(h.app, url, curator.cookie)).text()).toContain('Tina Teller');
    expect(await (await get(h.app, url, teller.cookie)).text()).toContain('Tina Teller');
  });

  it('two amendments from the same revision: one wins, the other gets a 409 that shows both versions and keeps its text', async () => {
    const url = (await post(h.app, '/stories', teller.cookie, storyFields({ title: 'Contested', body: 'First text.' }))).headers.get('location')!.split('?')[0]!;
    const storyId = url.split('/').pop()!;
    const form = dom(await (await get(h.app, `${url}/amend`, teller.cookie)).text());
    const revision = form.querySelector('input[name="expectedRevision"]')!.getAttribute('value')!;
    expect(revision).toBe('0');
    const head = await settledHead(h);
    const [a, b] = await Promise.all([
      post(h.app, `/stories/${storyId}/amend`, teller.cookie, { title: 'Contested', body: 'The teller’s version.', reason: 'more detail', expectedRevision: revision }),
      post(h.app, `/stories/${storyId}/amend`, curator.cookie, { title: 'Contested (edited)', body: 'The curator’s version.', reason: 'clarity', expectedRevision: revision }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    expect(await countEvents(h, 'StoryAmended')).toBeGreaterThanOrEqual(1);
    expect((await h.store.readStream(`story-${storyId}`)).filter((e) => e.type === 'StoryAmended')).toHaveLength(1);
    const loser = a.status === 409 ? a : b;
    const loserText = a.status === 409 ? 'The teller’s version.' : 'The curator’s version.';
    const winnerText = a.status === 409 ? 'The curator’s version.' : 'The teller’s version.';
    const doc = dom(await loser.text());
    expect(doc.querySelector('.conflict .version.current .story-body')!.textContent).toContain(winnerText);
    expect(doc.querySelector('textarea[name="body"]')!.textContent).toBe(loserText);
    expect(doc.querySelector('input[name="reason"]')!.getAttribute('value')).toBeTruthy();
    // the kept text is now based on the current revision: sending it again is accepted
    expect(doc.querySelector('input[name="expectedRevision"]')!.getAttribute('value')).toBe('1');
    expect(await h.store.headPosition()).toBe(head + 1);
  });

  it('lets only the teller and curators amend or retract (403 otherwise, nothing appended)', async () => {
    const url = (await post(h.app, '/stories', teller.cookie, storyFields({ title: 'Mine' }))).headers.get('location')!.split('?')[0]!;
    const head = await settledHead(h);
    expect((await get(h.app, `${url}/amend`, other.cookie)).status).toBe(403);
    expect((await post(h.app, `${url}/amend`, other.cookie, { title: 'Theirs', body: 'x', reason: 'y', expectedRevision: '0' })).status).toBe(403);
    expect((await post(h.app, `${url}/retract`, other.cookie, { reason: 'no' })).status).toBe(403);
    expect(await h.store.headPosition()).toBe(head);
    const page = dom(await (await get(h.app, url, other.cookie)).text());
    expect(page.querySelector(`a[href="${url}/amend"]`)).toBeNull();
    await flushReads(h); // opening the page records a StoryRead, appended off the request path
    const afterRead = await h.store.headPosition();
    const bad = await post(h.app, `${url}/amend`, teller.cookie, { title: 'Mine', body: '', reason: '', expectedRevision: '0' });
    expect(bad.status).toBe(422);
    const d = dom(await bad.text());
    expect(d.querySelector('#body-error')!.textContent).toContain('is required');
    expect(d.querySelector('#reason-error')!.textContent).toContain('is required');
    expect(await h.store.headPosition()).toBe(afterRead);
  });

  it('retracts: the story leaves timelines, says retracted to curators (with history) and 410 to others', async () => {
    const url = (await post(h.app, '/stories', teller.cookie, storyFields({ title: 'Soon gone', themes: ['vision'] }))).headers.get('location')!.split('?')[0]!;
    expect(await (await get(h.app, '/themes/vision', other.cookie)).text()).toContain('Soon gone');
    const missing = await post(h.app, `${url}/retract`, teller.cookie, { reason: '' });
    expect(missing.status).toBe(422);
    const res = await post(h.app, `${url}/retract`, teller.cookie, { reason: 'I got a detail wrong' });
    expect(res.status).toBe(303);
    expect((await get(h.app, url, other.cookie)).status).toBe(410);
    expect((await get(h.app, url, teller.cookie)).status).toBe(410);
    const forCurator = await get(h.app, url, curator.cookie);
    expect(forCurator.status).toBe(200);
    const doc = dom(await forCurator.text());
    expect(doc.querySelector('.retracted')!.textContent).toContain('I got a detail wrong');
    expect(doc.querySelector('.history')!.textContent).toContain('Retracted');
    expect(await (await get(h.app, '/themes/vision', other.cookie)).text()).not.toContain('Soon gone');
    expect(await (await get(h.app, '/timelines', curator.cookie)).text()).not.toContain('Soon gone');
    expect((await get(h.app, '/stories/no-such-story', other.cookie)).status).toBe(404);
  });

  it('retells: the form carries retellingOf, and each story links to the other', async () => {
    const original = await givenStory(h, { tellerId: other.employeeId, title: 'The original' });
    const form = dom(await (await get(h.app, `/stories/new?retellingOf=${original}`, teller.cookie)).text());
    expect(form.querySelector('input[name="retellingOf"]')!.getAttribute('value')).toBe(original);
    expect(form.querySelector('.notice')!.textContent).toContain('The original');
    const res = await post(h.app, '/stories', teller.cookie, storyFields({ title: 'My retelling', retellingOf: original }));
    expect(res.status).toBe(303);
    const retold = dom(await (await get(h.app, res.headers.get('location')!, other.cookie)).text());
    expect(retold.querySelector('.story-meta')!.textContent).toContain('The original');
    const orig = dom(await (await get(h.app, `/stories/${original}`, other.cookie)).text());
    expect(orig.querySelector('section[aria-labelledby="retellings-heading"]')!.textContent).toContain('My retelling');
  });

  it('retelling starts from the original: leader, date, place and active themes filled in, the original beside the form', async () => {
    const original = await givenStory(h, {
      tellerId: other.employeeId, title: 'The <em>first</em> telling', body: 'She fixed the <b>router</b> herself.', leader: 'Grace Hopper, admiral',
      occurredOn: '2019-03-05', themes: ['vision', 'customer-first'], happenedIn: 'noc',
    });
    await givenTheme(h, 'later-gone', 'Later gone');
    const doc = dom(await (await get(h.app, `/stories/new?retellingOf=${original}`, teller.cookie)).text());
    const form = doc.querySelector('form#story-form')!;
    expect(form.querySelector('#leader')!.getAttribute('value')).toBe('Grace Hopper, admiral');
    expect(form.querySelector('#occurredOn')!.getAttribute('value')).toBe('2019-03-05');
    expect([...form.querySelectorAll('input[name="themes"]')].filter((i) => i.hasAttribute('checked')).map((i) => i.getAttribute('value')).sort()).toEqual(['customer-first', 'vision']);
    expect(form.querySelector('#happenedIn option[selected]')!.getAttribute('value')).toBe('noc');
    expect(form.querySelector('#title')!.getAttribute('value') ?? '').toBe('');
    const aside = doc.querySelector('aside.original')!;
    expect(aside.querySelector('h2')!.textContent).toBe('The <em>first</em> telling');
    expect(aside.textContent).toContain('She fixed the <b>router</b> herself.');
    expect(aside.querySelector('em, b')).toBeNull();
    // a plain form has no original beside it
    expect(dom(await (await get(h.app, '/stories/new', teller.cookie)).text()).querySelector('aside.original')).toBeNull();
  });

  it('re-themes a story (curators only) and records it in the history', async () => {
    const storyId = await givenStory(h, { tellerId: teller.employeeId, title: 'To be themed', themes: ['vision'] });
    expect((await post(h.app, `/stories/${storyId}/themes`, other.cookie, { themeId: 'customer-first' })).status).toBe(403);
    expect((await post(h.app, `/stories/${storyId}/themes`, curator.cookie, { themeId: 'customer-first' })).status).toBe(303);
    expect((await post(h.app, `/stories/${storyId}/themes/remove`, curator.cookie, { themeId: 'vision' })).status).toBe(303);
    expect((await post(h.app, `/stories/${storyId}/themes`, curator.cookie, { themeId: 'gone' })).status).toBe(422);
    const doc = dom(await (await get(h.app, `/stories/${storyId}`, curator.cookie)).text());
    expect(doc.querySelector('.story-meta')!.textContent).toContain('Customer first');
    expect(doc.querySelector('.story-meta')!.textContent).not.toContain('A shared vision');
    const history = doc.querySelector('.history')!.textContent!;
    expect(history).toContain('“Customer first” added');
    expect(history).toContain('“A shared vision” removed');
    expect(await (await get(h.app, '/themes/vision', other.cookie)).text()).not.toContain('To be themed');
    expect(await (await get(h.app, '/themes/customer-first', other.cookie)).text()).toContain('To be themed');
  });

  it('sends people who are not signed in to sign in', async () => {
    const res = await h.app.request('/stories/new');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/sign-in');
  });
});
