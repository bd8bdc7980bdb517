import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../events/seed/seed-types.ts';
import { parseAsOf, utcDate } from '../../src/asof/date.ts';
import { AsOfSnapshots } from '../../src/asof/snapshots.ts';
import { storyFiguresAsOf } from '../../src/asof/figures.ts';
import { keepDate, pagesAtCut, partPagesAtCut, searchPagesAtCut, timelinePagesAtCut } from '../../src/http/as-of.tsx';
import { flushReads } from '../../src/circulation/record-read.ts';
import { storyFigures } from '../../src/read/spread.ts';
import { cookieFor } from '../auth-helpers.ts';
import { testHallway } from '../helpers.ts';
import { DAY, randomLog, START, VIEWER } from './as-of-log.ts';
import type { LogEvent } from './as-of-log.ts';

type H = Awaited<ReturnType<typeof testHallway>>;

async function appendAll(h: H, events: LogEvent[]): Promise<void> {
  for (const e of events) {
    const { stream, ...ev } = e;
    const r = await h.store.append(stream, [ev]);
    await h.runtime.waitFor(r.position);
  }
}

/** htmx asking for search's results only (src/http/search.tsx) */
const HTMX = { 'HX-Request': 'true' };
/** `hx:` asks as htmx's "more" element does: only the next page's items */
const get = async (h: H, path: string, cookie: string, headers: Record<string, string> = {}) => {
  const hx = path.startsWith('hx:');
  const res = await h.app.request(hx ? path.slice(3) : path, { headers: { Cookie: cookie, ...headers, ...(hx ? HTMX : {}) } });
  return { status: res.status, html: await res.text() };
};

/** The as-of page without its banner (the fresh Hallway's page has none). */
const withoutBanner = (html: string): string => html.replace(/<aside class="as-of-banner"[\s\S]*?<\/aside>/, '');
/**
 * The fresh Hallway's page without the teller's receipt: a receipt proves what the log holds now
 * (its position and chain link in today's log), so a page of the archive as it stood shows none.
 */
const withoutReceipt = (html: string): string => html.replace(/<section class="story-receipt"[\s\S]*?<\/section>/, '');

/**
 * Searches of a date (src/asof/search-cut.ts): words found in first texts and in amendments, pages
 * of results, theme and department filters, no words, an empty search, a bad filter.
 */
const SEARCHES = [
  '/search?q=leader&page=2', '/search?q=depot', '/search?q=happened&page=2', '/search?q=listened%20twice', '/search?q=night&dept=d-ops',
  '/search?q=plant&theme=th-craft', '/search?theme=th-care', '/search?dept=d-eng&page=2', '/search', '/search?q=', '/search?dept=no%20such',
];
/** htmx's fragment of results, as typing in the search box asks it */
const FRAGMENTS = ['/search?q=leader', '/search?q=depot&page=2', '/search?q=happ&theme=th-craft'];

/** The pages compared, for a log's stories (the story pages last: opening one today records a read). */
function pagesOf(events: LogEvent[]): string[] {
  const stories = events.filter((e) => e.type === 'StorySubmitted').map((e) => e.data['storyId'] as string);
  // every person's timeline (joined late, left, erased: their page as of a date says so)
  const people = [...new Set(events.filter((e) => e.type === 'EmployeeJoined').map((e) => e.data['employeeId'] as string))];
  return [
    '/timelines', '/timelines?page=2', 'hx:/timelines?page=2&after=2020', '/themes/th-care', '/themes/th-craft', 'hx:/themes/th-care?page=2',
    ...people.map((p) => `/leaders/people/${p}`), '/leaders/Maren%20Holt', '/departments/d-eng', '/departments/d-ops',
    '/search?q=leader', '/search?q=amended', '/search?q=imported&theme=th-care', '/dashboard?window=all',
    // searches of a date (src/asof/search-cut.ts): words found in first texts and in amendments, pages
    // of results, theme and department filters, no words, an empty search, a bad filter
    ...SEARCHES, '/dashboard', '/dashboard?window=7',
    // a window of dates ending after some of the dates asked (nothing after the cutoff counts)
    '/dashboard?from=2021-03-03&to=2021-03-20',
    ...['stories', 'flows', 'departments', 'themes'].map((t) => `/dashboard/export.csv?table=${t}&window=all`),
    '/dashboard/export.csv?table=stories&window=7',
    ...stories.flatMap((s) => [`/dashboard/stories/${s}`, `/stories/${s}`]),
  ];
}

describe('the archive as it stood on a date equals a Hallway rebuilt from the log cut there', () => {
  // how the dates were answered, over all logs (src/asof/snapshots.ts): each way must be checked
  const answered = { live: 0, stoppedAtCut: 0, wholeLog: 0, figuresDirect: 0, figuresBuilt: 0, secondPages: 0 };
  // each seed: one random log, four dates: the day of its latest event (answered from the live read
  // models until a CSV download is recorded after it), its first day, and two at random in it or
  // after its end; `at` goes back now and then
  // in the logs of seeds 3 and 42, never in those marked ordered (every cut is then a prefix)
  // seed 8: the org and review setting change too (departments renamed and closed, people leaving),
  // with groups of 3 so that departments are shown by name and people leaving fold them
  // seed 35: leaders linked and moved, stories returned and amended back, themes described and
  // retired, a person erased (the rebuild then reads the log as the store gives it now: an erased
  // person's sealed fields as markers), and long enough for a second timeline page
  for (const [seed, ordered, org, links] of [[3, false, false, false], [42, false, false, false], [5, true, false, false], [8, true, true, false], [35, true, true, true]] as const) {
    it(`random log ${seed}${ordered ? ' (ordered)' : ''}${org ? ' (org changes)' : ''}${links ? ' (links, returns, erasure)' : ''}: every as-of page and figure is the rebuilt Hallway's`, async () => {
      const events = randomLog(seed, links ? 240 : 70, { ordered, org, links });
      const env: Record<string, string> = org ? { HALLWAY_MIN_GROUP: '3' } : {};
      const latest = Math.max(...events.map((e) => Date.parse(e.metadata.at)));
      const lastCutoff = Date.parse(utcDate(new Date(latest))) + DAY;
      // the viewer signs in just after the log's last event (the session's events are then the last
      // day's too, and the whole log is before that day's end), and reads after that day has ended
      let now = latest + 1000;
      const live = await testHallway({ clock: () => new Date(now), env });
      try {
        await appendAll(live, events);
        const liveCookie = await cookieFor(live, VIEWER);
        now = lastCutoff + 3_600_000;
        const rnd = prng(seed * 7);
        // the last day first: a CSV downloaded as of a date is recorded now, after that day's end
        // (the long log of seed 35: dates anywhere in it)
        const span = links ? (latest - START) / DAY : 12;
        const dates = [utcDate(new Date(latest)), ...[0, 1, 2].map((i) => utcDate(new Date(START + Math.floor((i === 0 ? 0 : rnd() * span) * DAY))))];
        // the figures below are read as `hallway spread --as-of` reads them, with the live read
        // models beside, and from pages of 7 events so that a build can stop before the log's end
        const snapshots = new AsOfSnapshots(live.store, { live: live.runtime, pageSize: 7 });
        let nonMonotonicCut = false;
        for (const date of dates) {
          const parsed = parseAsOf(date, new Date());
          if (!parsed.ok) throw new Error(parsed.message);
          const cutoff = parsed.asOf.cutoffMs;
          const ids = new Set(events.map((e) => e.id));
          const kept = (links ? (await live.store.readAll({ after: 0, limit: 1_000_000 })).filter((e) => ids.has(e.id)).map(({ stream, id, type, data, metadata }) => ({ stream, id, type, data, metadata }) as LogEvent) : events)
            .filter((e) => Date.parse(e.metadata.at) < cutoff);
          // the cut is not a prefix of the log when an event left out comes before one kept
          const firstOut = events.findIndex((e) => Date.parse(e.metadata.at) >= cutoff);
          if (firstOut >= 0 && events.slice(firstOut).some((e) => Date.parse(e.metadata.at) < cutoff)) nonMonotonicCut = true;
          const fresh = await testHallway({ clock: () => new Date(cutoff), env });
          try {
            await appendAll(fresh, kept);
            // the rebuilt figures before any page is opened there (opening a story page today records a read)
            const storyIds = events.filter((x) => x.type === 'StorySubmitted').map((x) => x.data['storyId'] as string);
            const rebuiltFigures = new Map(storyIds.map((id) => [id, storyFigures(fresh.runtime.db, id)]));
            // `hallway spread --as-of` reads the same snapshot: SPREAD.md's figures, story by story
            // (before the pages: the last day's are then read from the live read models)
            for (const id of storyIds) {
              const figures = await snapshots.use(parsed.asOf, (s) => storyFigures(s.db, id));
              expect(figures, `${id} as of ${date}`).toEqual(rebuiltFigures.get(id));
              // and without building: the live cascade cut at the date, when the cut is a prefix of the log
              const direct = await storyFiguresAsOf(live.store, live.runtime, parsed.asOf, id);
              if (direct === 'build') answered.figuresBuilt += 1;
              else {
                answered.figuresDirect += 1;
                expect(direct, `${id} as of ${date}, from the live cascade`).toEqual(rebuiltFigures.get(id));
              }
            }
            const freshCookie = await cookieFor(fresh, VIEWER);
            for (const path of pagesOf(events)) {
              const sep = path.includes('?') ? '&' : '?';
              const asOf = await get(live, `${path}${sep}asOf=${date}`, liveCookie);
              const rebuilt = await get(fresh, path, freshCookie);
              expect({ path, status: asOf.status }).toEqual({ path, status: rebuilt.status });
              expect(withoutBanner(asOf.html), `${path} as of ${date}`).toBe(keepDate(withoutReceipt(rebuilt.html), date));
              // a second page of stories was compared (not only empty ones)
              if (path.includes('page=2') && asOf.html.includes('href="/stories/')) answered.secondPages += 1;
            }
            // htmx's fragment of results, as typing in the search box asks it
            for (const path of FRAGMENTS) {
              const asOf = await get(live, `${path}&asOf=${date}`, liveCookie, HTMX);
              const rebuilt = await get(fresh, path, freshCookie, HTMX);
              expect({ path, status: asOf.status }).toEqual({ path, status: rebuilt.status });
              expect(asOf.html, `${path} (fragment) as of ${date}`).toBe(keepDate(rebuilt.html, date));
            }
            await flushReads(fresh);
          } finally {
            await fresh.dispose();
          }
        }
        answered.live += snapshots.counts.live;
        answered.stoppedAtCut += snapshots.counts.stoppedAtCut;
        // a build that read the whole log: more events read than the log holds before each cut
        if (snapshots.counts.eventsRead >= events.length) answered.wholeLog += 1;
        snapshots.close();
        // the generator dates some events before ones already in the log; at least one seed's cut shows it
        if (seed === 42) expect(nonMonotonicCut).toBe(true);
        if (ordered) expect(nonMonotonicCut).toBe(false);
      } finally {
        await live.dispose();
      }
    }, 120_000);
  }

  // many stories told in order (every date's cut is a prefix of the log), review and the org
  // changing: searches of dates in the log find pages of results, all from the search model at the cut
  it('random log 11 (ordered, many stories): every search of a date is the rebuilt Hallway\'s, made from the search model at the cut', async () => {
    const events = randomLog(11, 260, { ordered: true, org: true });
    const latest = Math.max(...events.map((e) => Date.parse(e.metadata.at)));
    let now = latest + 1000;
    const live = await testHallway({ clock: () => new Date(now) });
    try {
      await appendAll(live, events);
      const liveCookie = await cookieFor(live, VIEWER);
      now = Date.parse(utcDate(new Date(latest))) + DAY + 3_600_000;
      const before = searchPagesAtCut.count;
      let asked = 0;
      let paged = 0;
      for (const day of [4, 9, 14]) {
        const date = utcDate(new Date(START + day * DAY));
        const cutoff = Date.parse(date) + DAY;
        expect(cutoff).toBeLessThan(latest);
        const fresh = await testHallway({ clock: () => new Date(cutoff) });
        try {
          await appendAll(fresh, events.filter((e) => Date.parse(e.metadata.at) < cutoff));
          const freshCookie = await cookieFor(fresh, VIEWER);
          for (const [path, headers] of [...['/search?q=leader', ...SEARCHES].map((p) => [p, {}] as const), ...FRAGMENTS.map((p) => [p, HTMX] as const)]) {
            const sep = path.includes('?') ? '&' : '?';
            const asOf = await get(live, `${path}${sep}asOf=${date}`, liveCookie, headers);
            const rebuilt = await get(fresh, path, freshCookie, headers);
            asked += 1;
            expect({ path, status: asOf.status }).toEqual({ path, status: rebuilt.status });
            expect(withoutBanner(asOf.html), `${path} as of ${date}`).toBe(keepDate(rebuilt.html, date));
            if (/showing 11–/.test(asOf.html)) paged += 1;
          }
        } finally {
          await fresh.dispose();
        }
      }
      // every one answered from the search model at the cut, and some were second pages of results
      expect(searchPagesAtCut.count - before).toBe(asked);
      expect(paged).toBeGreaterThan(0);
    } finally {
      await live.dispose();
    }
  }, 120_000);

  it('answered dates each way: from the live read models, by a build stopped at the cut, by a build reading the whole log; figures from the live cascade cut at the date', () => {
    expect(answered.live, JSON.stringify(answered)).toBeGreaterThan(0);
    expect(answered.stoppedAtCut).toBeGreaterThan(0);
    expect(answered.wholeLog).toBeGreaterThan(0);
    // `hallway spread --as-of`'s figures from the live cascade, and built where the cut is not a prefix
    expect(answered.figuresDirect).toBeGreaterThan(0);
    expect(answered.figuresBuilt).toBeGreaterThan(0);
    expect(answered.secondPages).toBeGreaterThan(0);
    // /dashboard/stories/:id, /dashboard (every window) and its CSV tables of a date whose cut is a
    // prefix: the live read models cut there, no build (src/asof/cut.ts, src/asof/dashboard-cut.ts)
    expect(pagesAtCut.count).toBeGreaterThan(0);
    expect(pagesAtCut['dashboard-story'], JSON.stringify(pagesAtCut)).toBeGreaterThan(0);
    expect(pagesAtCut.dashboard).toBeGreaterThan(0);
    expect(pagesAtCut['dashboard-csv']).toBeGreaterThan(0);
    // /stories/:id of such a date: the page's part of the cut through the projections (src/asof/story-cut.ts), no build
    expect(partPagesAtCut.story, JSON.stringify(partPagesAtCut)).toBeGreaterThan(0);
    // /timelines, /themes/:id, /leaders/:name, /leaders/people/:id, /departments/:id: the stories
    // model as it stood at the cut (src/asof/timeline-cut.ts), no build
    expect(timelinePagesAtCut, JSON.stringify(timelinePagesAtCut)).toEqual({ all: expect.any(Number), theme: expect.any(Number), person: expect.any(Number), leader: expect.any(Number), department: expect.any(Number) });
    for (const n of Object.values(timelinePagesAtCut)) expect(n).toBeGreaterThan(0);
    // /search of such a date, with words, filters, paging and as htmx's fragment: the search model at
    // the cut (src/asof/search-cut.ts), no build
    for (const n of Object.values(searchPagesAtCut)) expect(n, JSON.stringify(searchPagesAtCut)).toBeGreaterThan(0);
  });
});
