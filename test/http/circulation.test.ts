import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testHallway } from '../helpers.ts';
import { cookieFor, formHeaders, givenEmployee, signedIn } from '../auth-helpers.ts';
import { flushReads, recordRead } from '../../src/circulation/record-read.ts';
import { facts } from '../../src/circulation/record.ts';
import { circulationCounters, storyFigures } from '../../src/read/spread.ts';
import { unreadSentTo } from '../../src/read/reading.ts';
import { SharedWithMe } from '../../views/fragments/shared-with-me.tsx';
import { CirculationPanel } from '../../views/fragments/circulation-panel.tsx';

type H = Awaited<ReturnType<typeof testHallway>>;

describe('recording circulation from the story page', () => {
  let h: H;
  let now = new Date('2026-03-02T10:00:00.000Z');
  let reader: Awaited<ReturnType<typeof signedIn>>;
  let teller: Awaited<ReturnType<typeof signedIn>>;
  let bart: Awaited<ReturnType<typeof givenEmployee>>;
  const events = async (type: string) => (await h.store.readStream('circulation-s1')).filter((e) => e.type === type);
  const htmx = (cookie: string) => ({ ...formHeaders(cookie), 'HX-Request': 'true' });

  beforeAll(async () => {
    h = await testHallway({ clock: () => now });
    teller = await signedIn(h, { departmentId: 'eng', name: 'Tessa Teller' });
    reader = await signedIn(h, { departmentId: 'ops', name: 'Rhea Reader' });
    bart = await givenEmployee(h, { departmentId: 'ops', name: 'Bartholomew Quince' });
    await givenEmployee(h, { departmentId: 'ops', name: 'Barty Crouch' });
    const r = await h.store.append('story-s1', [{
      id: randomUUID(), type: 'StorySubmitted',
      data: { storyId: 's1', title: 'The open door', body: 'B', tellerId: teller.employeeId, leader: 'L', occurredOn: '2024', themes: [], relation: 'witnessed', anonymous: false },
      metadata: { at: now.toISOString() },
    }]);
    await h.runtime.waitFor(r.position);
  });
  afterAll(async () => h.dispose());

  it('records a read at most once per reader, story and day, and never for the teller', async () => {
    const user = (p: { employeeId: string; name: string; departmentId: string }) => ({ ...p, joinedOn: '2020-01-01', roles: [], via: 'session' as const });
    recordRead(h, user(reader), 's1', teller.employeeId);
    recordRead(h, user(reader), 's1', teller.employeeId);
    recordRead(h, user(teller), 's1', teller.employeeId);
    await flushReads(h);
    expect((await events('StoryRead')).map((e) => e.data)).toEqual([{ storyId: 's1', readerId: reader.employeeId }]);
    now = new Date('2026-03-03T09:00:00.000Z');
    recordRead(h, user(reader), 's1', teller.employeeId);
    await flushReads(h);
    expect(await events('StoryRead')).toHaveLength(2);
    expect(storyFigures(h.runtime.db, 's1')).toMatchObject({ size: 2, touches: 2 });
  });

  it('"I\'ve heard this one" records StoryHeard with where and from whom, and answers with updated counters', async () => {
    // <form hx-post="/stories/s1/heard" hx-target="#circulation" hx-swap="outerHTML"><select name="setting">…<input type="radio" name="fromId">
    const res = await h.app.request('/stories/s1/heard', { method: 'POST', headers: htmx(reader.cookie), body: new URLSearchParams({ setting: 'meeting', fromId: bart.employeeId }) });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<section id="circulation"/);
    expect(html).toContain('<strong class="count-reached">2</strong>'); // reader, and Bart who told them
    expect((await events('StoryHeard')).map((e) => e.data)).toEqual([{ storyId: 's1', listenerId: reader.employeeId, fromId: bart.employeeId, setting: 'meeting' }]);
  });

  it('sends a story to a colleague found by name, and it shows on their home page only', async () => {
    // <form hx-post="/stories/s1/share"><input type="search" name="toIdQ" hx-get="/colleagues">
    const res = await h.app.request('/stories/s1/share', { method: 'POST', headers: htmx(reader.cookie), body: new URLSearchParams({ toIdQ: 'quince' }) });
    expect(res.status).toBe(200);
    expect((await events('StoryShared')).map((e) => e.data)).toEqual([{ storyId: 's1', fromId: reader.employeeId, toId: bart.employeeId }]);
    // the recipient sees it at the top of their home page, with who sent it (they may know it)
    const mine = String(await SharedWithMe({ items: unreadSentTo(h.runtime.db, bart.employeeId) }));
    expect(mine).toContain('The open door');
    expect(mine).toMatch(/from <span class="sender">Rhea Reader<\/span>/);
    expect(await SharedWithMe({ items: unreadSentTo(h.runtime.db, teller.employeeId) })).toBeNull();
    expect(await SharedWithMe({ items: unreadSentTo(h.runtime.db, reader.employeeId) })).toBeNull();
    // leaders see circulation by department, never who sent what to whom
    const leader = await signedIn(h, { departmentId: 'exec', name: 'Lea Leader', roles: ['leader'] });
    for (const path of ['/dashboard', '/dashboard/stories/s1', '/api/stories/s1/spread', '/dashboard/export.csv?table=stories']) {
      const page = await h.app.request(path, { headers: { Cookie: leader.cookie } });
      expect(page.status).toBe(200);
      const text = await page.text();
      expect(text).not.toContain('Rhea');
      expect(text).not.toContain('Bartholomew');
    }
  });

  it('shows "Sent to you" at the top of the recipient\'s home page while unread, with the sender', async () => {
    const bartIn = { cookie: await cookieFor(h, bart.employeeId), ...bart };
    const home = await (await h.app.request('/', { headers: { Cookie: bartIn.cookie } })).text();
    const sent = home.indexOf('Sent to you');
    expect(sent).toBeGreaterThan(-1);
    expect(sent).toBeLessThan(home.indexOf('Recently told'));
    expect(home).toContain('Rhea Reader');
    // once Bart opens the story it is read, and it leaves "Sent to you"
    expect((await h.app.request('/stories/s1', { headers: { Cookie: bartIn.cookie } })).status).toBe(200);
    await flushReads(h);
    const after = await (await h.app.request('/', { headers: { Cookie: bartIn.cookie } })).text();
    expect(after).not.toContain('Sent to you');
    expect(after).not.toContain('Rhea Reader');
  });

  it('asks to choose when a typed name matches several colleagues (422, matches beside the field), appending nothing', async () => {
    const before = await h.store.headPosition();
    const res = await h.app.request('/stories/s1/share', { method: 'POST', headers: htmx(reader.cookie), body: new URLSearchParams({ toIdQ: 'bart' }) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/id="share-to-error">several colleagues match: choose one/);
    expect(html).toContain('Bartholomew Quince');
    expect(html).toContain('Barty Crouch');
    expect(await h.store.headPosition()).toBe(before);
  });

  it('refuses sending to oneself, a bad setting, and someone who has left, with messages beside the fields', async () => {
    const before = await h.store.headPosition();
    const self = await h.app.request('/stories/s1/share', { method: 'POST', headers: htmx(reader.cookie), body: new URLSearchParams({ toId: reader.employeeId }) });
    expect(self.status).toBe(422);
    expect(await self.text()).toMatch(/id="share-to-error">choose a colleague other than yourself/);
    const bad = await h.app.request('/stories/s1/heard', { method: 'POST', headers: htmx(reader.cookie), body: new URLSearchParams({ setting: 'dream' }) });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="heard-setting-error">choose where you heard it/);
    expect(await h.store.headPosition()).toBe(before);

    const gone = await givenEmployee(h, { departmentId: 'ops', name: 'Gone Person' });
    const r = await h.store.append(`employee-${gone.employeeId}`, [{ id: randomUUID(), type: 'EmployeeLeft', data: { employeeId: gone.employeeId }, metadata: { at: now.toISOString() } }]);
    await h.runtime.waitFor(r.position);
    const left = await h.app.request('/stories/s1/share', { method: 'POST', headers: htmx(reader.cookie), body: new URLSearchParams({ toId: gone.employeeId }) });
    expect(left.status).toBe(422);
    expect(await left.text()).toContain('the colleague has left the company');
    const unknown = await h.app.request('/stories/nope/heard', { method: 'POST', headers: htmx(reader.cookie), body: new URLSearchParams({ setting: 'other' }) });
    expect(unknown.status).toBe(404);
    expect(await h.store.headPosition()).toBe(r.position);
  });

  it('searches colleagues by name for the picker, leaving out the person asking', async () => {
    const res = await h.app.request('/colleagues?toIdQ=r', { headers: { Cookie: reader.cookie, 'HX-Request': 'true' } });
    const html = await res.text();
    expect(html).toContain(`value="${bart.employeeId}"`);
    expect(html).not.toContain(reader.employeeId);
  });

  it('redirects back to the story without htmx, and asks strangers to sign in', async () => {
    const res = await h.app.request('/stories/s1/heard', { method: 'POST', headers: formHeaders(reader.cookie), body: new URLSearchParams({ setting: 'other' }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/stories/s1');
    const anon = await h.app.request('/stories/s1/heard', { method: 'POST', headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'setting=other' });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toMatch(/^\/sign-in/);
  });

  it('renders the panel with a retell link pre-linked to the story', async () => {
    const html = String(await CirculationPanel({ counters: circulationCounters(h.runtime.db, 's1'), storyId: 's1' }));
    expect(html).toContain('href="/stories/new?retellingOf=s1"');
    expect(html).toContain('hx-post="/stories/s1/share"');
  });
});

describe('what recording circulation checks, while the spread lane lags', () => {
  it('takes the story and the people from the main lane (stories, org), so a story a page shows can be circulated before spread has it', async () => {
    const h = await testHallway();
    try {
      const teller = await givenEmployee(h, { departmentId: 'eng', name: 'Lane Teller' });
      const reader = await givenEmployee(h, { departmentId: 'ops', name: 'Lane Reader' });
      const r = await h.store.append('story-lag', [{
        id: randomUUID(), type: 'StorySubmitted',
        data: { storyId: 'lag', title: 'Told during an import', body: 'B', tellerId: teller.employeeId, leader: 'L', occurredOn: '2024', themes: [], relation: 'witnessed', anonymous: false },
        metadata: { at: new Date().toISOString(), actor: teller.employeeId, v: 2 },
      }], { expectedRevision: 'no_stream' });
      await h.runtime.waitFor(r.position);
      const db = h.runtime.db;
      // the spread lane behind the main lane: its tables without the story and the people (rolled back after)
      db.exec('SAVEPOINT lag');
      try {
        db.prepare('DELETE FROM spread_stories WHERE story_id = ?').run('lag');
        db.prepare('DELETE FROM spread_people WHERE employee_id IN (?, ?)').run(teller.employeeId, reader.employeeId);
        expect(facts(db, 'lag', [reader.employeeId, teller.employeeId, 'nobody'])).toEqual({
          tellerId: teller.employeeId,
          standing: { [reader.employeeId]: 'active', [teller.employeeId]: 'active', nobody: 'unknown' },
        });
      } finally {
        db.exec('ROLLBACK TO lag; RELEASE lag');
      }
      expect(facts(db, 'no-such-story', [reader.employeeId]).tellerId).toBeNull();
    } finally {
      await h.dispose();
    }
  });
});
