import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from '../../src/store/sqlite-driver.ts';
import { testHallway } from '../helpers.ts';
import { signedIn } from '../auth-helpers.ts';
import { dom, get, givenRead, givenStory, givenTheme, post } from './stories-given.ts';
import { keptSize, keptUntilViewsChange, keptUntilViewsChangeAsync, viewsVersion } from '../../src/read/kept.ts';
import { perspectiveOf } from '../../src/http/shared-parts.ts';
import { flushReads } from '../../src/circulation/record-read.ts';
import type { AppContext } from '../../src/http/env.ts';

/**
 * Pages keep what they read from the read models, and shared parts of pages, until the read
 * models change (src/read/kept.ts, src/http/shared-parts.ts). These tests check that every change
 * is on the page at once (after the projections have applied it), and that a part kept for one
 * person is never shown to another who may not see it.
 */

const meta = (ctx: AppContext, actor: string) => ({ at: ctx.clock().toISOString(), actor });

async function appendAndWait(ctx: AppContext, stream: string, type: string, data: Record<string, unknown>, actor = 'system'): Promise<void> {
  const r = await ctx.store.append(stream, [{ id: randomUUID(), type, data, metadata: meta(ctx, actor) }]);
  await ctx.runtime.waitFor(r.position);
}

describe('values kept until the read models change', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  beforeAll(async () => {
    h = await testHallway();
  });
  afterAll(async () => h.dispose());

  it('computes a kept value once while views.db is unchanged, and again after the projections apply an event', async () => {
    let computed = 0;
    const read = () => keptUntilViewsChange(h.runtime.db, 'test:themes', () => ({ n: ++computed }));
    expect(read().n).toBe(1);
    expect(read().n).toBe(1);
    await givenTheme(h, 'kept-theme', 'Kept theme');
    expect(read().n).toBe(2);
    expect(read().n).toBe(2);
  });

  it('moves the version at once when another connection writes to views.db (the projections in a worker thread, a CLI command)', async () => {
    const before = viewsVersion(h.runtime.db);
    const other = new Database(`${h.dir}/views.db`);
    other.prepare("INSERT INTO applied_event_ids (projection, id) VALUES ('kept-test', 'x')").run();
    other.close();
    // at once (the projections run on their own connection in serve's worker thread)
    await Promise.resolve();
    expect(viewsVersion(h.runtime.db)).not.toBe(before);
  });

  it('computes an asynchronous value once for everyone who asks while it is being computed', async () => {
    let computed = 0;
    const ask = () =>
      keptUntilViewsChangeAsync(h.runtime.db, 'test:async', async () => {
        computed += 1;
        await new Promise((r) => setTimeout(r, 5));
        return `value ${computed}`;
      });
    const answers = await Promise.all([ask(), ask(), ask()]);
    expect(answers).toEqual(['value 1', 'value 1', 'value 1']);
    expect(await ask()).toBe('value 1');
    expect(computed).toBe(1);
    await givenTheme(h, 'async-theme', 'Async theme');
    expect(await ask()).toBe('value 2');
  });

  it('keeps at most 5,000 values and 16 million characters of text', () => {
    const db = h.runtime.db;
    for (let i = 0; i < 5200; i++) keptUntilViewsChange(db, `test:many:${i}`, () => i);
    expect(keptSize(db).entries).toBeLessThanOrEqual(5000);
    const big = 'x'.repeat(9_000_000);
    keptUntilViewsChange(db, 'test:big:1', () => `${big}1`);
    keptUntilViewsChange(db, 'test:big:2', () => `${big}2`);
    expect(keptSize(db).chars).toBeLessThanOrEqual(16_000_000);
    expect(keptUntilViewsChange(db, 'test:big:2', () => 'computed again')).toBe(`${big}2`);
  });

  it('freezes what it keeps, so that no caller changes it for everyone', () => {
    const v = keptUntilViewsChange(h.runtime.db, 'test:frozen', () => ({ list: [{ a: 1 }] }));
    expect(() => v.list.push({ a: 2 })).toThrow(TypeError);
    expect(() => {
      v.list[0]!.a = 3;
    }).toThrow(TypeError);
  });
});

describe('a perspective', () => {
  const viewer = { employeeId: 'e-1', name: 'Ann', departmentId: 'd', joinedOn: '2024-01-01', roles: ['curator' as const], via: 'session' as const, sessionId: 's' };
  it('keeps the roles and leaves out name, department, start date and session', () => {
    const p = perspectiveOf(viewer, []);
    expect(p.viewer).toEqual({ employeeId: '', name: '', departmentId: '', joinedOn: '', roles: ['curator'], via: 'session' });
    expect(p.key).not.toContain('e-1');
  });
  it('keeps the id only of a viewer involved in what is shown', () => {
    const p = perspectiveOf(viewer, ['e-2', 'e-1']);
    expect(p.viewer.employeeId).toBe('e-1');
    expect(p.key).toContain('e-1');
  });
});

describe('the story page, kept between changes', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let teller: Awaited<ReturnType<typeof signedIn>>;
  let reader: Awaited<ReturnType<typeof signedIn>>;
  let second: Awaited<ReturnType<typeof signedIn>>;
  let curator: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    h = await testHallway();
    await givenTheme(h, 'care', 'Care');
    await givenTheme(h, 'craft', 'Craft');
    teller = await signedIn(h, { name: 'Tina Teller' });
    reader = await signedIn(h, { name: 'Rita Reader' });
    second = await signedIn(h, { name: 'Sam Second' });
    curator = await signedIn(h, { name: 'Cora Curator', roles: ['curator'] });
  });
  afterAll(async () => h.dispose());

  const page = async (path: string, cookie: string) => {
    const res = await get(h.app, path, cookie);
    return { status: res.status, doc: dom(await res.text()) };
  };

  it('shows an amendment at once, to a reader who saw the page before', async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId, title: 'Before', body: 'Old text.' });
    expect((await page(`/stories/${id}`, reader.cookie)).doc.querySelector('h1')!.textContent).toBe('Before');
    await appendAndWait(h, `story-${id}`, 'StoryAmended', { storyId: id, title: 'After', body: 'New text.', reason: 'a typo' }, teller.employeeId);
    const { doc } = await page(`/stories/${id}`, reader.cookie);
    expect(doc.querySelector('h1')!.textContent).toBe('After');
    expect(doc.querySelector('.story > .story-body')!.textContent).toContain('New text.');
    expect(doc.querySelector('.history')!.textContent).toContain('a typo');
  });

  it('answers 410 at once after a retraction', async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId, title: 'Soon gone' });
    expect((await page(`/stories/${id}`, reader.cookie)).status).toBe(200);
    await appendAndWait(h, `story-${id}`, 'StoryRetracted', { storyId: id, reason: 'told in confidence' }, teller.employeeId);
    expect((await page(`/stories/${id}`, reader.cookie)).status).toBe(410);
  });

  it('shows a theme added, and a theme renamed, at once', async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId, themes: ['care'] });
    const chips = async () => (await page(`/stories/${id}`, reader.cookie)).doc.querySelector('.story-meta')!.textContent!;
    expect(await chips()).toContain('Care');
    expect(await chips()).not.toContain('Craft');
    await appendAndWait(h, `story-${id}`, 'StoryThemed', { storyId: id, themeId: 'craft' }, curator.employeeId);
    expect(await chips()).toContain('Craft');
    await appendAndWait(h, 'theme-care', 'ThemeDescribed', { themeId: 'care', name: 'Care for people', description: 'Renamed.' });
    expect(await chips()).toContain('Care for people');
  });

  it('lists a new retelling on the story it retells at once', async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId, title: 'The original' });
    expect((await page(`/stories/${id}`, reader.cookie)).doc.body.textContent).toContain('No one has retold it yet.');
    await givenStory(h, { tellerId: second.employeeId, title: 'Told again', retellingOf: id });
    const { doc } = await page(`/stories/${id}`, reader.cookie);
    expect(doc.querySelector('[aria-labelledby="retellings-heading"]')!.textContent).toContain('Told again');
  });

  it('moves the circulation counters at once when someone comes across the story', async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId });
    const reached = async () => (await page(`/stories/${id}`, teller.cookie)).doc.querySelector('.count-reached')!.textContent;
    expect(await reached()).toBe('0');
    await givenRead(h, id, second.employeeId);
    expect(await reached()).toBe('1');
    // the page's own read (queued off the request path) counts once it is in
    await page(`/stories/${id}`, reader.cookie);
    await flushReads(h);
    expect(await reached()).toBe('2');
  });

  it("never shows an anonymous teller's name to a reader, whoever saw the story first", async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId, title: 'Quietly told', anonymous: true });
    const tellerLine = async (cookie: string) => (await page(`/stories/${id}`, cookie)).doc.querySelector('.story-meta dd')!.textContent!;
    // the teller and a curator first: they see the name
    expect(await tellerLine(teller.cookie)).toContain('Tina Teller');
    expect(await tellerLine(curator.cookie)).toContain('Tina Teller');
    // then readers, with those parts kept: they must not
    expect(await tellerLine(reader.cookie)).toContain('anonymous');
    expect(await tellerLine(reader.cookie)).not.toContain('Tina Teller');
    expect(await tellerLine(second.cookie)).not.toContain('Tina Teller');
    // and the teller again, after the readers
    expect(await tellerLine(teller.cookie)).toContain('Tina Teller');
  });

  it("hides an anonymous retelling's teller from readers, and shows it to the one who retold it", async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId, title: 'Told openly' });
    await givenStory(h, { tellerId: second.employeeId, title: 'Retold quietly', retellingOf: id, anonymous: true });
    const retellings = async (cookie: string) => (await page(`/stories/${id}`, cookie)).doc.querySelector('[aria-labelledby="retellings-heading"]')!.textContent!;
    expect(await retellings(second.cookie)).toContain('Sam Second');
    expect(await retellings(reader.cookie)).not.toContain('Sam Second');
    expect(await retellings(teller.cookie)).not.toContain('Sam Second');
    expect(await retellings(second.cookie)).toContain('Sam Second');
  });

  it('offers Amend only to the teller and curators, whoever saw the page first', async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId });
    const amend = async (cookie: string) => (await page(`/stories/${id}`, cookie)).doc.querySelector(`a[href="/stories/${id}/amend"]`);
    expect(await amend(teller.cookie)).not.toBeNull();
    expect(await amend(reader.cookie)).toBeNull();
    expect(await amend(curator.cookie)).not.toBeNull();
    expect(await amend(second.cookie)).toBeNull();
  });

  it("shows each person their own name in the menu on a kept page", async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId });
    for (const p of [reader, second]) {
      const { doc } = await page(`/stories/${id}`, p.cookie);
      expect(doc.querySelector('header .me')!.textContent).toContain(p.name);
    }
  });

  it('shows a story amended through the form at once (the command path waits for the projections)', async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId, title: 'Form before' });
    const form = (await page(`/stories/${id}/amend`, teller.cookie)).doc;
    await page(`/stories/${id}`, reader.cookie);
    const revision = form.querySelector('[name="expectedRevision"]')!.getAttribute('value')!;
    const res = await post(h.app, `/stories/${id}/amend`, teller.cookie, { title: 'Form after', body: 'Changed.', reason: 'clearer', expectedRevision: revision });
    expect(res.status).toBe(303);
    expect((await page(`/stories/${id}`, reader.cookie)).doc.querySelector('h1')!.textContent).toBe('Form after');
  });
});

describe('home, timelines, search and the dashboard, kept between changes', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let teller: Awaited<ReturnType<typeof signedIn>>;
  let reader: Awaited<ReturnType<typeof signedIn>>;
  let leader: Awaited<ReturnType<typeof signedIn>>;
  // half a minute past noon: the dashboard's window ends at the next whole minute
  const now = new Date('2026-03-02T12:00:30.000Z');

  beforeAll(async () => {
    h = await testHallway({ clock: () => now });
    await givenTheme(h, 'care', 'Care');
    teller = await signedIn(h, { name: 'Tina Teller' });
    reader = await signedIn(h, { name: 'Rita Reader' });
    leader = await signedIn(h, { name: 'Lena Leader', roles: ['leader'] });
    await givenStory(h, { tellerId: teller.employeeId, title: 'The first one', themes: ['care'] });
  });
  afterAll(async () => h.dispose());

  const html = async (path: string, cookie: string) => {
    const res = await get(h.app, path, cookie);
    expect(res.status, path).toBe(200);
    return res.text();
  };
  const text = async (path: string, cookie: string) => dom(await html(path, cookie)).body.textContent!;

  it('shows a new story at once on home, the timelines, its theme and search, to someone who saw them before', async () => {
    const paths = ['/', '/timelines', '/themes/care', '/search?q=lighthouse'];
    for (const p of paths) expect(await text(p, reader.cookie)).not.toContain('The lighthouse keeper');
    await givenStory(h, { tellerId: teller.employeeId, title: 'The lighthouse keeper', themes: ['care'] });
    for (const p of paths) expect(await text(p, reader.cookie), p).toContain('The lighthouse keeper');
  });

  it('takes a retracted story off home, the timelines and search at once', async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId, title: 'The short-lived one', themes: ['care'] });
    const paths = ['/', '/timelines', '/search?q=short-lived'];
    for (const p of paths) expect(await text(p, reader.cookie), p).toContain('The short-lived one');
    await appendAndWait(h, `story-${id}`, 'StoryRetracted', { storyId: id, reason: 'asked to' }, teller.employeeId);
    for (const p of paths) expect(await text(p, reader.cookie), p).not.toContain('The short-lived one');
  });

  it("never shows an anonymous teller's name on a timeline to others, whoever saw it first", async () => {
    const quiet = await signedIn(h, { name: 'Quinn Quiet' });
    await givenStory(h, { tellerId: quiet.employeeId, title: 'Told without a name', anonymous: true });
    expect(await html('/timelines', quiet.cookie)).toContain('Quinn Quiet');
    expect(await html('/timelines', reader.cookie)).not.toContain('Quinn Quiet');
    expect(await html('/timelines', teller.cookie)).not.toContain('Quinn Quiet');
    expect(await html('/timelines', quiet.cookie)).toContain('Quinn Quiet');
  });

  it('moves the dashboard at once when a story travels, and ends its window at the next whole minute', async () => {
    const id = await givenStory(h, { tellerId: teller.employeeId, title: 'Worth passing on' });
    const reached = async () => {
      const doc = dom(await html('/dashboard', leader.cookie));
      return [...doc.querySelectorAll('tr')].find((tr) => tr.textContent!.includes('Worth passing on'))?.textContent ?? '';
    };
    expect(await reached()).toBe('');
    await givenRead(h, id, reader.employeeId);
    expect(await reached()).toContain('Worth passing on');
    const csv = await (await get(h.app, '/dashboard/export.csv?table=stories', leader.cookie)).text();
    expect(csv).toContain('Worth passing on');
    // recorded a quarter of a minute after "now" (another process's clock): inside the window, which ends at 12:01
    const late = await givenStory(h, { tellerId: teller.employeeId, title: 'Recorded late in the minute' });
    const r = await h.store.append(`circulation-${late}`, [{ id: randomUUID(), type: 'StoryRead', data: { storyId: late, readerId: reader.employeeId }, metadata: { at: '2026-03-02T12:00:45.000Z', actor: reader.employeeId } }]);
    await h.runtime.waitFor(r.position);
    expect(await html('/dashboard', leader.cookie)).toContain('Recorded late in the minute');
  });
});

describe('home, one part for everyone, with the name and what was sent to each person put in per request', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  const now = new Date('2026-03-02T12:00:00.000Z');
  beforeAll(async () => {
    h = await testHallway({ clock: () => now });
  });
  afterAll(async () => h.dispose());

  const home = async (cookie: string) => dom(await (await get(h.app, '/', cookie)).text());

  it("greets each new hire by their own name, escaped, whoever opened home first", async () => {
    const first = await signedIn(h, { name: `Ann <b>"O'Neil"</b> & Co`, joinedOn: '2026-02-20' });
    const second = await signedIn(h, { name: 'Bo Second', joinedOn: '2026-02-21' });
    for (const [p, name] of [[first, `Ann <b>"O'Neil"</b> & Co`], [second, 'Bo Second'], [first, `Ann <b>"O'Neil"</b> & Co`]] as const) {
      const doc = await home(p.cookie);
      expect(doc.querySelector('h1')!.textContent).toBe(`Welcome, ${name}`);
      expect(doc.querySelector('h1 b')).toBeNull();
    }
  });

  it('shows what was sent to a person only to that person', async () => {
    const from = await signedIn(h, { name: 'Sender' });
    const to = await signedIn(h, { name: 'Recipient' });
    const other = await signedIn(h, { name: 'Bystander' });
    const id = await givenStory(h, { tellerId: from.employeeId, title: 'Pass this on' });
    await appendAndWait(h, `circulation-${id}`, 'StoryShared', { storyId: id, fromId: from.employeeId, toId: to.employeeId }, from.employeeId);
    const sent = async (cookie: string) => (await home(cookie)).querySelector('.shared-with-me')?.textContent ?? '';
    expect(await sent(other.cookie)).toBe('');
    expect(await sent(to.cookie)).toContain('Pass this on');
    expect(await sent(other.cookie)).toBe('');
  });
});

describe("pages kept while the projections run in serve's worker thread (their own views.db connection)", () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let teller: Awaited<ReturnType<typeof signedIn>>;
  let reader: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    h = await testHallway({ projectIn: 'worker' });
    await givenTheme(h, 'care', 'Care');
    teller = await signedIn(h, { name: 'Tina Teller' });
    reader = await signedIn(h, { name: 'Rita Reader' });
  });
  afterAll(async () => h.dispose());

  const text = async (path: string) => {
    const res = await get(h.app, path, reader.cookie);
    return { status: res.status, text: dom(await res.text()).body.textContent! };
  };

  it('shows a new story, an amendment and a retraction as soon as waitFor resolves', async () => {
    expect((await text('/timelines')).text).not.toContain('Worker story');
    const id = await givenStory(h, { tellerId: teller.employeeId, title: 'Worker story', themes: ['care'] });
    expect((await text('/timelines')).text).toContain('Worker story');
    expect((await text(`/stories/${id}`)).text).toContain('Worker story');
    await appendAndWait(h, `story-${id}`, 'StoryAmended', { storyId: id, title: 'Worker story, amended', reason: 'clearer' }, teller.employeeId);
    expect((await text(`/stories/${id}`)).text).toContain('Worker story, amended');
    expect((await text('/')).text).toContain('Worker story, amended');
    await appendAndWait(h, `story-${id}`, 'StoryRetracted', { storyId: id, reason: 'asked to' }, teller.employeeId);
    expect((await text(`/stories/${id}`)).status).toBe(410);
    expect((await text('/timelines')).text).not.toContain('Worker story');
  });

  it('shows a story told through the form on the page the form redirects to', async () => {
    const res = await post(h.app, '/stories', teller.cookie, { idempotencyKey: randomUUID(), title: 'Told in the worker', body: 'It happened.', leader: 'Grace', occurredOn: '2020', relation: 'witnessed' });
    expect(res.status).toBe(303);
    const page = await get(h.app, res.headers.get('location')!, reader.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Told in the worker');
  });
});
