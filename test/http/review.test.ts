import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { signedIn } from '../auth-helpers.ts';
import { countEvents, dom, get, givenTheme, post, settledHead, storyFields } from './stories-given.ts';
import { flushReads } from '../../src/circulation/record-read.ts';
import { exportEvents } from '../../src/cli/export.ts';
import { importLines } from '../../src/importer.ts';
import { awaitingReviewBy, getStory, reviewQueue, timeline } from '../../src/read/stories.ts';
import { issueApiToken } from '../../src/auth/api-tokens.ts';
import { dashboard } from '../../src/projections/spread-dashboard.ts';

/**
 * Review before publishing (issue 12, section 1), through the real app, store and projections:
 * the setting, who sees a story awaiting review on which page, the queue (approve, return with a
 * note, amend, back in the queue), circulation refused, anonymity, the audit and the waiting time.
 */
describe('review before publishing', () => {
  let now = new Date('2026-03-02T09:00:00.000Z');
  let h: Awaited<ReturnType<typeof testHallway>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  let curator: Awaited<ReturnType<typeof signedIn>>;
  let teller: Awaited<ReturnType<typeof signedIn>>;
  let other: Awaited<ReturnType<typeof signedIn>>;
  let leader: Awaited<ReturnType<typeof signedIn>>;
  let before: string;
  let waiting: string;
  let anonymous: string;

  const tell = async (cookie: string, over: Record<string, string> = {}): Promise<string> => {
    const res = await post(h.app, '/stories', cookie, storyFields({ themes: 'ownership', happenedIn: 'dept-ops', ...over }));
    expect(res.status).toBe(303);
    return /\/stories\/([^?]+)/.exec(res.headers.get('location')!)![1]!;
  };
  const text = async (path: string, cookie: string) => {
    const res = await get(h.app, path, cookie);
    return { status: res.status, body: await res.text() };
  };

  beforeAll(async () => {
    h = await testHallway({ clock: () => now });
    admin = await signedIn(h, { name: 'Ada Admin', roles: ['admin'] });
    curator = await signedIn(h, { name: 'Cora Curator', roles: ['curator'] });
    teller = await signedIn(h, { name: 'Tess Teller', departmentId: 'dept-ops' });
    other = await signedIn(h, { name: 'Omar Other', departmentId: 'dept-ops' });
    leader = await signedIn(h, { name: 'Lee Leader', roles: ['leader'] });
    await givenTheme(h, 'ownership', 'Ownership');
    before = await tell(teller.cookie, { title: 'Told before review', body: 'The kettle speech.' });
  });
  afterAll(async () => h.dispose());

  it('is off by default, and only an admin turns it on (bad input 422, nothing appended)', async () => {
    const page = await text('/admin/settings', admin.cookie);
    expect(page.status).toBe(200);
    expect(dom(page.body).querySelector('input[value="off"]')!.hasAttribute('checked')).toBe(true);
    expect(getStory(h.runtime.db, before)!.review).toBeNull();

    const head = await settledHead(h);
    expect((await post(h.app, '/admin/settings', curator.cookie, { reviewBeforePublishing: 'on' })).status).toBe(403);
    expect((await get(h.app, '/admin/settings', curator.cookie)).status).toBe(403);
    expect((await post(h.app, '/admin/settings', admin.cookie, { reviewBeforePublishing: 'maybe' })).status).toBe(422);
    expect(await h.store.headPosition()).toBe(head);

    const on = await post(h.app, '/admin/settings', admin.cookie, { reviewBeforePublishing: 'on' });
    expect(on.status).toBe(303);
    expect(await countEvents(h, 'ArchiveSettingsChanged')).toBe(1);
    // setting it to what it is records nothing
    expect((await post(h.app, '/admin/settings', admin.cookie, { reviewBeforePublishing: 'on' })).status).toBe(303);
    expect(await countEvents(h, 'ArchiveSettingsChanged')).toBe(1);
    const after = dom((await text('/admin/settings', admin.cookie)).body);
    expect(after.querySelector('input[value="on"]')!.hasAttribute('checked')).toBe(true);
  });

  it('applies to stories told after the change: the earlier one stays published', async () => {
    waiting = await tell(teller.cookie, { title: 'Cell number drift', body: 'She gave the NOC her own cell number.', leader: 'Grace Hopper' });
    anonymous = await tell(teller.cookie, { title: 'Quiet anonymous one', body: 'Nobody should know who told this.', anonymous: 'on' });
    expect(getStory(h.runtime.db, before)!.review).toBeNull();
    expect(getStory(h.runtime.db, waiting)!.review).toBe('waiting');
    expect(timeline(h.runtime.db, { kind: 'all' }).items.map((s) => s.storyId)).toEqual([before]);
    // the settings page says how many wait, and that turning review off would not publish them
    const settings = dom((await text('/admin/settings', admin.cookie)).body).querySelector('.settings-form')!.textContent!.replace(/\s+/g, ' ');
    expect(settings).toContain('2 stories are waiting for review. Turning review off does not publish them');
  });

  it('its page: the teller and curators see it, marked; anyone else (a leader too) gets 404', async () => {
    for (const who of [teller, curator]) {
      const page = await text(`/stories/${waiting}`, who.cookie);
      expect(page.status).toBe(200);
      expect(dom(page.body).querySelector('.awaiting-review')!.textContent).toContain('Awaiting review');
      // no circulation panel while it waits
      expect(dom(page.body).querySelector('form[action$="/heard"]')).toBeNull();
    }
    for (const who of [other, leader, admin]) expect((await get(h.app, `/stories/${waiting}`, who.cookie)).status).toBe(404);
  });

  it('no timeline, theme, leader, department, search, home, dashboard or API shows it, to anyone', async () => {
    const pages = ['/timelines', '/themes/ownership', '/leaders/Grace%20Hopper', '/departments/dept-ops', '/search?q=cell', '/', '/leaders'];
    for (const who of [teller, curator, other, leader]) {
      for (const p of pages) {
        const page = await text(p, who.cookie);
        expect(page.status, p).toBe(200);
        // the teller's own home lists it under "Your stories awaiting review" (checked below), nowhere else
        const d = dom(page.body);
        d.querySelector('section.awaiting-review')?.remove();
        expect(d.body.textContent, `${p} as ${who.name}`).not.toContain('number drift');
      }
    }
    const mine = dom((await text('/', teller.cookie)).body).querySelector('section.awaiting-review')!;
    expect(mine.textContent).toContain('Cell number drift');
    expect(dom((await text('/', other.cookie)).body).querySelector('section.awaiting-review')).toBeNull();
    // the earlier story is on those pages: the check above could fail
    expect((await text('/themes/ownership', other.cookie)).body).toContain('Told before review');
    expect((await text('/search?q=kettle', other.cookie)).body).toContain('Told before review');

    expect((await text('/dashboard', leader.cookie)).body).not.toContain('Cell number drift');
    // nor its counts: stories told in the window, by department and theme, count the published one only
    const figures = dashboard(h.runtime.db, { fromMs: null, toMs: now.getTime() + 86_400_000 }, 1);
    expect(figures.departments.reduce((n, d) => n + d.told, 0)).toBe(1);
    expect(figures.themes.find((t) => t.name === 'Ownership')!.told).toBe(1);
    expect((await get(h.app, `/dashboard/stories/${waiting}`, leader.cookie)).status).toBe(404);
    expect((await get(h.app, `/dashboard/stories/${before}`, leader.cookie)).status).toBe(200);
    const issued = await issueApiToken(h, admin.employeeId, leader.employeeId, 'test');
    if (!('token' in issued)) throw new Error(issued.message);
    const { token } = issued;
    const api = (id: string) => h.app.request(`/api/stories/${id}/spread`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await api(waiting)).status).toBe(404);
    expect((await api(before)).status).toBe(200);
  });

  it('no circulation can be recorded for it (422), not even by its teller or a curator; it cannot be retold yet', async () => {
    const head = await settledHead(h);
    for (const who of [other, curator]) {
      expect((await post(h.app, `/stories/${waiting}/heard`, who.cookie, { setting: 'conversation' })).status).toBe(422);
    }
    expect((await post(h.app, `/stories/${waiting}/share`, teller.cookie, { toId: other.employeeId })).status).toBe(422);
    // opening the page records no read
    await get(h.app, `/stories/${waiting}`, curator.cookie);
    await flushReads(h);
    const retold = await post(h.app, '/stories', other.cookie, storyFields({ title: 'My retelling', retellingOf: waiting }));
    expect(retold.status).toBe(422);
    expect(await h.store.headPosition()).toBe(head);
  });

  it('the queue: for curators, longest waiting first, with the waiting time; anonymous tellers named to curators only', async () => {
    expect((await get(h.app, '/review', other.cookie)).status).toBe(403);
    expect((await get(h.app, '/review', admin.cookie)).status).toBe(403);
    now = new Date(now.getTime() + 3 * 86_400_000 + 3_600_000);
    const page = dom((await text('/review', curator.cookie)).body);
    const items = [...page.querySelectorAll('.review-item')];
    expect(items.map((i) => i.querySelector('h2')!.textContent)).toEqual(['Cell number drift', 'Quiet anonymous one']);
    expect(items[0]!.querySelector('.waited')!.textContent).toBe('Waiting 3 days');
    // the curator sees who told the anonymous one, marked as kept anonymous to others
    expect(items[1]!.textContent).toContain('Tess Teller');
    expect(items[1]!.textContent).toContain('kept anonymous to others');
  });

  it('return with a note: refused without one (422); the teller sees the note on home and on the story; amending puts it back in the queue', async () => {
    const head = await settledHead(h);
    const empty = await post(h.app, `/review/${waiting}/return`, curator.cookie, { note: '   ' });
    expect(empty.status).toBe(422);
    expect(dom(await empty.text()).querySelector(`#note-${waiting}-error`)!.textContent).toContain('is required');
    expect(await h.store.headPosition()).toBe(head);

    const back = await post(h.app, `/review/${waiting}/return`, curator.cookie, { note: 'Which weeks? <b>Say when</b> the calls came.' });
    expect(back.status).toBe(303);
    expect(reviewQueue(h.runtime.db).map((s) => s.storyId)).toEqual([anonymous]);
    // returning it again while it is with the teller: 409
    expect((await post(h.app, `/review/${waiting}/return`, curator.cookie, { note: 'again' })).status).toBe(409);

    const home = dom((await text('/', teller.cookie)).body);
    const note = home.querySelector('.awaiting-review .returned blockquote')!;
    expect(note.textContent).toBe('Which weeks? <b>Say when</b> the calls came.');
    expect(note.querySelector('b')).toBeNull();
    expect(home.querySelector(`.awaiting-review a[href="/stories/${waiting}/amend"]`)).not.toBeNull();
    const story = dom((await text(`/stories/${waiting}`, teller.cookie)).body);
    expect(story.querySelector('.notice.returned blockquote')!.textContent).toContain('Which weeks?');
    // someone else's home says nothing of it; still hidden from them
    expect((await text('/', other.cookie)).body).not.toContain('Which weeks?');
    expect((await get(h.app, `/stories/${waiting}`, other.cookie)).status).toBe(404);

    const s = getStory(h.runtime.db, waiting)!;
    now = new Date(now.getTime() + 3_600_000);
    const amended = await post(h.app, `/stories/${waiting}/amend`, teller.cookie, {
      title: s.title, body: 'She gave the NOC her own cell number, and took calls for two weeks.', reason: 'said when', expectedRevision: String(s.revision),
    });
    expect(amended.status).toBe(303);
    expect(getStory(h.runtime.db, waiting)!.review).toBe('waiting');
    // back in the queue, counted from the amendment
    expect(reviewQueue(h.runtime.db).map((s) => s.storyId)).toEqual([anonymous, waiting]);
    expect(awaitingReviewBy(h.runtime.db, teller.employeeId).every((x) => x.review === 'waiting')).toBe(true);
  });

  it('approve: published on every page, circulation allowed; approving again is a 409; amending it later does not hide it', async () => {
    const ok = await post(h.app, `/review/${waiting}/approve`, curator.cookie, {});
    expect(ok.status).toBe(303);
    expect((await post(h.app, `/review/${waiting}/approve`, curator.cookie, {})).status).toBe(409);
    expect((await post(h.app, `/review/${before}/approve`, curator.cookie, {})).status).toBe(409);
    expect((await post(h.app, `/review/${waiting}/approve`, other.cookie, {})).status).toBe(403);
    for (const p of ['/timelines', '/themes/ownership', '/departments/dept-ops', '/search?q=cell', '/']) {
      expect(dom((await text(p, other.cookie)).body).body.textContent, p).toContain('number drift');
    }
    expect((await get(h.app, `/stories/${waiting}`, other.cookie)).status).toBe(200);
    expect((await post(h.app, `/stories/${waiting}/heard`, other.cookie, { setting: 'conversation' })).status).toBe(303);
    expect((await get(h.app, `/dashboard/stories/${waiting}`, leader.cookie)).status).toBe(200);

    const s = getStory(h.runtime.db, waiting)!;
    await post(h.app, `/stories/${waiting}/amend`, teller.cookie, { title: 'Cell number drift, amended', body: s.body, reason: 'title', expectedRevision: String(s.revision) });
    expect(getStory(h.runtime.db, waiting)!.review).toBeNull();
    expect((await text('/timelines', other.cookie)).body).toContain('Cell number drift, amended');
  });

  it('an approved anonymous story stays anonymous to everyone but curators', async () => {
    expect((await post(h.app, `/review/${anonymous}/approve`, curator.cookie, {})).status).toBe(303);
    const seen = dom((await text(`/stories/${anonymous}`, other.cookie)).body);
    expect(seen.querySelector('.story-meta .anonymous')!.textContent).toBe('anonymous');
    expect(seen.body.textContent).not.toContain('Tess Teller');
  });

  it('the audit lists the setting, the approvals and the returns, without naming the teller', async () => {
    const page = dom((await text('/admin/audit?action=review', admin.cookie)).body);
    const rows = [...page.querySelectorAll('tr[data-kind]')].map((r) => [r.getAttribute('data-kind'), r.textContent ?? '']);
    expect(rows.map((r) => r[0])).toEqual(['story-approved', 'story-approved', 'story-returned', 'review-setting']);
    expect(rows[2]![1]).toContain('Which weeks?');
    expect(rows[2]![1]).toContain('Cora Curator');
    expect(rows[0]![1]).toContain('Quiet anonymous one');
    expect(rows.map((r) => r[1]).join(' ')).not.toContain('Tess Teller');
  });

  it('export → import into an empty archive replays the review the same way (log order, imports included)', async () => {
    const lines: string[] = [];
    await exportEvents(h.store, async (chunk) => void lines.push(chunk));
    const copy = await testHallway();
    try {
      await importLines(copy.store, lines.join('').split('\n').filter(Boolean));
      await copy.runtime.waitFor(await copy.store.headPosition());
      for (const id of [before, waiting, anonymous]) {
        const a = getStory(h.runtime.db, id)!;
        const b = getStory(copy.runtime.db, id)!;
        expect([b.review, b.title, b.revision]).toEqual([a.review, a.title, a.revision]);
      }
      expect(timeline(copy.runtime.db, { kind: 'all' }).total).toBe(timeline(h.runtime.db, { kind: 'all' }).total);
    } finally {
      await copy.dispose();
    }
  });
});

describe('review before publishing and import', () => {
  const line = (type: string, data: Record<string, unknown>, at: string, v?: number) => JSON.stringify({ type, data, metadata: { at, ...(v ? { v } : {}) } });
  const story = (storyId: string, at: string) =>
    line('StorySubmitted', { storyId, title: storyId, body: 'b', tellerId: 'e1', leader: 'L', occurredOn: '2020', themes: [], relation: 'witnessed', anonymous: false }, at, 2);
  const org = [
    line('DepartmentOpened', { departmentId: 'd1', name: 'D' }, '2024-01-01T00:00:00Z'),
    line('EmployeeJoined', { employeeId: 'e1', name: 'E', departmentId: 'd1', joinedOn: '2020-01-01' }, '2024-01-01T00:00:01Z'),
  ];

  it('follows log order inside an imported file, and a setting already in the log applies to imported stories', async () => {
    const h = await testHallway();
    try {
      await importLines(h.store, [
        ...org,
        story('before', '2024-01-02T00:00:00Z'),
        line('ArchiveSettingsChanged', { reviewBeforePublishing: true }, '2024-01-03T00:00:00Z'),
        story('after', '2024-01-04T00:00:00Z'),
        line('ArchiveSettingsChanged', { reviewBeforePublishing: false }, '2024-01-05T00:00:00Z'),
        story('later', '2024-01-06T00:00:00Z'),
      ]);
      await h.runtime.waitFor(await h.store.headPosition());
      expect(['before', 'after', 'later'].map((id) => getStory(h.runtime.db, id)!.review)).toEqual([null, 'waiting', null]);

      await importLines(h.store, [line('ArchiveSettingsChanged', { reviewBeforePublishing: true }, '2024-01-07T00:00:00Z')]);
      await importLines(h.store, [story('imported', '2024-01-08T00:00:00Z'), line('StoryApproved', { storyId: 'after' }, '2024-01-08T00:00:01Z')]);
      await h.runtime.waitFor(await h.store.headPosition());
      expect(getStory(h.runtime.db, 'imported')!.review).toBe('waiting');
      expect(getStory(h.runtime.db, 'after')!.review).toBeNull();
    } finally {
      await h.dispose();
    }
  });

  it('refuses an approval or a return of a story the log does not hold, and appends nothing', async () => {
    const h = await testHallway();
    try {
      const head = await h.store.headPosition();
      await expect(importLines(h.store, [...org, line('StoryReturned', { storyId: 'ghost', note: 'n' }, '2024-01-02T00:00:00Z')])).rejects.toThrow('line 3');
      await expect(importLines(h.store, [...org, line('StoryApproved', { storyId: 'ghost' }, '2024-01-02T00:00:00Z')])).rejects.toThrow('story ghost does not exist');
      expect(await h.store.headPosition()).toBe(head);
    } finally {
      await h.dispose();
    }
  });
});
