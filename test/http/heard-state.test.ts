import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { formHeaders, givenEmployee, signedIn } from '../auth-helpers.ts';
import { dom, givenRead, givenStory, settledHead } from './stories-given.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

/** "I've heard this one" is a state; a refused form without JavaScript; the teller's own reach. */
describe('heard as a state, and how far a story went', () => {
  let h: H;
  let now = new Date('2026-03-02T10:00:00.000Z');
  let teller: Awaited<ReturnType<typeof signedIn>>;
  let reader: Awaited<ReturnType<typeof signedIn>>;
  let storyId: string;
  const title = 'The open <i>door</i>';
  const htmx = (cookie: string) => ({ ...formHeaders(cookie), 'HX-Request': 'true' });
  const heardEvents = async () => (await h.store.readStream(`circulation-${storyId}`)).filter((e) => e.type === 'StoryHeard');

  beforeAll(async () => {
    h = await testHallway({ clock: () => now });
    teller = await signedIn(h, { departmentId: 'eng', name: 'Tessa Teller' });
    reader = await signedIn(h, { departmentId: 'ops', name: 'Rhea Reader' });
    storyId = await givenStory(h, { tellerId: teller.employeeId, title });
  });
  afterAll(async () => h.dispose());

  it('records "heard" once a UTC day: a second click the same day records nothing and says so; the page says you heard it', async () => {
    const post = () => h.app.request(`/stories/${storyId}/heard`, { method: 'POST', headers: htmx(reader.cookie), body: new URLSearchParams({ setting: 'meeting' }) });
    const first = await post();
    expect(first.status).toBe(200);
    const firstHtml = await first.text();
    expect(firstHtml).toContain('noted that you had heard it');
    expect(firstHtml).toContain('You have heard this one');
    expect(await heardEvents()).toHaveLength(1);

    now = new Date('2026-03-02T23:59:00.000Z');
    const again = await post();
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('nothing new was recorded');
    expect(await heardEvents()).toHaveLength(1);

    // the story page, opened later, says so
    const page = dom(await (await h.app.request(`/stories/${storyId}`, { headers: { Cookie: reader.cookie } })).text());
    expect(page.querySelector('#circulation .heard-state')!.textContent).toContain('You have heard this one');
    // someone else's page does not
    const other = await signedIn(h, { departmentId: 'ops', name: 'Otto Other' });
    const theirs = dom(await (await h.app.request(`/stories/${storyId}`, { headers: { Cookie: other.cookie } })).text());
    expect(theirs.querySelector('#circulation .heard-state')).toBeNull();

    now = new Date('2026-03-03T00:01:00.000Z');
    expect((await post()).status).toBe(200);
    expect(await heardEvents()).toHaveLength(2);
  });

  it('without JavaScript, a refused "heard" shows the whole story page with the message once (422), appending nothing', async () => {
    const before = await settledHead(h);
    // <form method="post" action="/stories/ID/heard"><select name="setting"><input type="search" name="fromIdQ">
    const res = await h.app.request(`/stories/${storyId}/heard`, { method: 'POST', headers: formHeaders(reader.cookie), body: new URLSearchParams({ setting: 'meeting', fromIdQ: 'Nobody Atall' }) });
    expect(res.status).toBe(422);
    const html = await res.text();
    const doc = dom(html);
    expect(doc.querySelector('h1')!.textContent).toBe(title);
    expect(doc.querySelector('.story-body, article.story')).not.toBeNull();
    expect(html.match(/nobody here matches/gi)).toHaveLength(1);
    expect(doc.querySelector('#heard-from-error')!.textContent).toBe('nobody here matches “Nobody Atall”');
    expect(doc.querySelector('#heard-from-q')!.getAttribute('value')).toBe('Nobody Atall');
    expect(await h.store.headPosition()).toBe(before);
  });

  it('shows the teller how far their story went, in numbers only, and nobody else', async () => {
    const sales = await givenEmployee(h, { departmentId: 'sales', name: 'Sam Sales' });
    const eng = await givenEmployee(h, { departmentId: 'eng', name: 'Eve Engineer' });
    await givenRead(h, storyId, sales.employeeId);
    await givenRead(h, storyId, eng.employeeId);
    const mine = dom(await (await h.app.request(`/stories/${storyId}`, { headers: { Cookie: teller.cookie } })).text());
    const reach = mine.querySelector('#circulation .reach')!;
    // Rhea (ops), Otto (ops), Sam (sales), Eve (eng: the teller's own department, reached through someone else)
    expect(reach.querySelector('.reach-people')!.textContent).toBe('4 people');
    expect(reach.querySelector('.reach-departments')!.textContent).toBe('3 departments');
    for (const name of ['Rhea', 'Otto', 'Sam', 'Eve']) expect(reach.textContent).not.toContain(name);
    const theirs = dom(await (await h.app.request(`/stories/${storyId}`, { headers: { Cookie: reader.cookie } })).text());
    expect(theirs.querySelector('#circulation .reach')).toBeNull();
  });
});
