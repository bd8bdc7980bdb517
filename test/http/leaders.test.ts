import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { givenDepartment, givenEmployee, signedIn } from '../auth-helpers.ts';
import { dom, get, givenStory, htmx, post, settledHead, storyFields } from './stories-given.ts';
import { exportEvents } from '../../src/cli/export.ts';
import { importLines } from '../../src/importer.ts';
import { getStory, listLeaders } from '../../src/read/stories.ts';

/** The leader as a person: suggestions, leaderId on StorySubmitted, LeaderLinked, /leaders by person. */
describe('the leader is a person', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let teller: Awaited<ReturnType<typeof signedIn>>;
  let curator: Awaited<ReturnType<typeof signedIn>>;
  let marta: Awaited<ReturnType<typeof givenEmployee>>;
  let martaStory: string;

  beforeAll(async () => {
    h = await testHallway();
    await givenDepartment(h, 'exec', 'Executive Office');
    teller = await signedIn(h, { name: 'Tina Teller', departmentId: 'exec' });
    curator = await signedIn(h, { name: 'Cora Curator', roles: ['curator'], departmentId: 'exec' });
    marta = await givenEmployee(h, { name: 'Marta Ilves', departmentId: 'exec' });
    await givenEmployee(h, { name: 'Martin <b>Former</b>', departmentId: 'exec' }).then(async (p) => {
      const r = await h.store.append(`employee-${p.employeeId}`, [{ id: randomUUID(), type: 'EmployeeLeft', data: { employeeId: p.employeeId }, metadata: { at: h.clock().toISOString() } }]);
      await h.runtime.waitFor(r.position);
    });
  });
  afterAll(async () => h.dispose());

  it('suggests current and former colleagues as one types (htmx fragment), escaped, with "someone else"; the form carries a datalist', async () => {
    // <input name="leader" hx-get="/stories/new/leaders" hx-target="#leader-matches">
    const res = await get(h.app, '/stories/new/leaders?leader=mart', teller.cookie, htmx);
    expect(res.status).toBe(200);
    const html = await res.text();
    const doc = dom(html);
    const labels = [...doc.querySelectorAll('label.choice')].map((l) => l.textContent!.replace(/\s+/g, ' ').trim());
    expect(labels).toEqual(['Marta Ilves (Executive Office)', 'Martin <b>Former</b> (Executive Office, former colleague)', 'Someone else (outside the company, or not listed)']);
    expect(html).not.toContain('<b>Former</b>');
    expect(doc.querySelector(`input[value="${marta.employeeId}"]`)).not.toBeNull();
    const none = await (await get(h.app, '/stories/new/leaders?leader=zzz', teller.cookie, htmx)).text();
    expect(none).toContain('No colleague matches');

    const form = dom(await (await get(h.app, '/stories/new', teller.cookie)).text());
    expect(form.querySelector('#leader')!.getAttribute('list')).toBe('leader-people');
    expect(form.querySelector('#leader')!.getAttribute('hx-get')).toBe('/stories/new/leaders');
    const options = [...form.querySelectorAll('datalist#leader-people option')].map((o) => o.getAttribute('value'));
    expect(options).toContain('Marta Ilves');
    expect(options).toContain('Martin <b>Former</b>');
  });

  it('records leaderId for a chosen person (a partly typed name becomes theirs), for an exact name without JavaScript, and none for someone else', async () => {
    const chosen = await post(h.app, '/stories', teller.cookie, storyFields({ title: 'Chosen', leader: 'marta', leaderId: marta.employeeId }));
    expect(chosen.status).toBe(303);
    const a = getStory(h.runtime.db, chosen.headers.get('location')!.split('?')[0]!.split('/').pop()!)!;
    expect([a.leader, a.leaderId]).toEqual(['Marta Ilves', marta.employeeId]);

    const typed = await post(h.app, '/stories', teller.cookie, storyFields({ title: 'Typed', leader: '  marta   ILVES ' }));
    const b = getStory(h.runtime.db, typed.headers.get('location')!.split('?')[0]!.split('/').pop()!)!;
    expect(b.leaderId).toBe(marta.employeeId);

    const outside = await post(h.app, '/stories', teller.cookie, storyFields({ title: 'Outside', leader: 'Marta Ilves', leaderId: 'outside' }));
    const c = getStory(h.runtime.db, outside.headers.get('location')!.split('?')[0]!.split('/').pop()!)!;
    expect([c.leader, c.leaderId]).toEqual(['Marta Ilves', null]);

    const events = (await h.store.readAll()).filter((e) => e.type === 'StorySubmitted').map((e) => e.data as { title: string; leaderId?: string });
    expect(events.find((e) => e.title === 'Chosen')!.leaderId).toBe(marta.employeeId);
    expect('leaderId' in events.find((e) => e.title === 'Outside')!).toBe(false);
    martaStory = a.storyId;
  });

  it('refuses a leaderId that is nobody here (422 beside the leader field), appending nothing', async () => {
    const before = await settledHead(h);
    const res = await post(h.app, '/stories', teller.cookie, storyFields({ title: 'Ghost', leaderId: 'emp-nobody' }));
    expect(res.status).toBe(422);
    const doc = dom(await res.text());
    expect(doc.querySelector('#leader-error')!.textContent).toContain('is not someone who works or worked here');
    expect(doc.querySelector('#leader')!.getAttribute('aria-invalid')).toBe('true');
    expect(await h.store.headPosition()).toBe(before);
  });

  it('lists a linked leader once on /leaders, however the tellers spelled the name; a curator links a free-text name (LeaderLinked)', async () => {
    await givenStory(h, { tellerId: teller.employeeId, title: 'As founder', leader: 'Marta Ilves, founder and CEO' });
    await givenStory(h, { tellerId: teller.employeeId, title: 'As founder again', leader: 'marta ilves,  founder and CEO' });
    const before = dom(await (await get(h.app, '/leaders', curator.cookie)).text());
    const entries = () => [...before.querySelectorAll('ul.leaders > li > span > a')].map((a) => `${a.textContent} ${a.getAttribute('href')}`);
    // the unlinked spelling first (no person), then the person, then the other spelling
    expect(entries()).toEqual([
      `Marta Ilves /leaders/${encodeURIComponent('Marta Ilves')}`,
      `Marta Ilves /leaders/people/${marta.employeeId}`,
      `Marta Ilves, founder and CEO /leaders/${encodeURIComponent('Marta Ilves, founder and CEO')}`,
    ]);
    // only curators get the link form
    expect(before.querySelector('form[action="/leaders/link"]')).not.toBeNull();
    const plain = dom(await (await get(h.app, '/leaders', teller.cookie)).text());
    expect(plain.querySelector('form[action="/leaders/link"]')).toBeNull();
    expect((await post(h.app, '/leaders/link', teller.cookie, { leader: 'Marta Ilves, founder and CEO', person: 'Marta Ilves' })).status).toBe(403);

    // a name nobody has: 422, nothing appended
    const head = await settledHead(h);
    const wrong = await post(h.app, '/leaders/link', curator.cookie, { leader: 'Marta Ilves, founder and CEO', person: 'Nobody <i>Here</i>' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Nobody &lt;i&gt;Here&lt;/i&gt;');
    expect(await h.store.headPosition()).toBe(head);

    // <form method="post" action="/leaders/link"><input type="hidden" name="leader"><input name="person" list="leader-people">
    const linked = await post(h.app, '/leaders/link', curator.cookie, { leader: 'Marta Ilves, founder and CEO', person: 'marta ilves' });
    expect(linked.status).toBe(303);
    expect(linked.headers.get('location')).toBe(`/leaders?linked=${marta.employeeId}`);
    const events = (await h.store.readAll()).filter((e) => e.type === 'LeaderLinked');
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.stream === `story-${(e.data as { storyId: string }).storyId}` && (e.data as { leaderId: string }).leaderId === marta.employeeId)).toBe(true);
    // linking again changes nothing
    const again = await post(h.app, '/leaders/link', curator.cookie, { leader: 'Marta Ilves, founder and CEO', person: 'Marta Ilves' });
    expect(again.status).toBe(303);
    expect((await h.store.readAll()).filter((e) => e.type === 'LeaderLinked')).toHaveLength(2);

    const after = dom(await (await get(h.app, linked.headers.get('location')!, curator.cookie)).text());
    expect(after.querySelector('[role="status"]')!.textContent).toContain('Linked to Marta Ilves');
    const marts = listLeaders(h.runtime.db).filter((l) => l.leader.startsWith('Marta'));
    expect(marts).toEqual([
      { leader: 'Marta Ilves', leaderId: null, stories: 1 },
      { leader: 'Marta Ilves', leaderId: marta.employeeId, stories: 4 },
    ]);
    const timeline = dom(await (await get(h.app, `/leaders/people/${marta.employeeId}`, teller.cookie)).text());
    expect([...timeline.querySelectorAll('.story-card h3 a')].map((a) => a.textContent).sort()).toEqual(['As founder', 'As founder again', 'Chosen', 'Typed']);
    // the story page links its leader to the person's timeline, the teller's words kept
    const page = dom(await (await get(h.app, `/stories/${martaStory}`, teller.cookie)).text());
    expect(page.querySelector(`.story-meta a[href="/leaders/people/${marta.employeeId}"]`)!.textContent).toBe('Marta Ilves');
    expect((await get(h.app, '/leaders/people/emp-nobody', teller.cookie)).status).toBe(404);
  });

  it('round-trips leaderId and LeaderLinked through export and import into an empty archive', async () => {
    let out = '';
    await exportEvents(h.store, async (chunk) => void (out += chunk));
    const lines = out.split('\n').filter((l) => l.trim() !== '');
    expect(lines.some((l) => l.includes('"type":"LeaderLinked"'))).toBe(true);
    expect(lines.some((l) => l.includes('"leaderId"'))).toBe(true);
    const b = await testHallway();
    try {
      const report = await importLines(b.store, lines);
      expect(report.appended).toBe(lines.length);
      await b.runtime.waitFor(await b.store.headPosition());
      expect(listLeaders(b.runtime.db)).toEqual(listLeaders(h.runtime.db));
      expect(getStory(b.runtime.db, martaStory)!.leaderId).toBe(marta.employeeId);
      // a LeaderLinked naming nobody is refused at its line, and nothing from the file is appended
      const head = await b.store.headPosition();
      const bad = JSON.stringify({ type: 'LeaderLinked', data: { storyId: martaStory, leaderId: 'emp-nobody' }, metadata: { at: '2030-01-01T00:00:00.000Z' } });
      await expect(importLines(b.store, [bad])).rejects.toThrow(/line 1: .*employee emp-nobody has not joined/);
      expect(await b.store.headPosition()).toBe(head);
    } finally {
      await b.dispose();
    }
  });
});
