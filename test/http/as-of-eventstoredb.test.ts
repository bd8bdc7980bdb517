import { describe, expect, it } from 'vitest';
import { prng } from '../../events/seed/seed-types.ts';
import { parseAsOf, utcDate } from '../../src/asof/date.ts';
import { flushReads } from '../../src/circulation/record-read.ts';
import { pagesAtCut, partPagesAtCut, searchPagesAtCut, timelinePagesAtCut } from '../../src/http/as-of.tsx';
import { cookieFor } from '../auth-helpers.ts';
import { testHallway } from '../helpers.ts';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';
import { DAY, randomLog, START, VIEWER } from './as-of-log.ts';
import { appendAll, asOfPagesOf, expectSamePages } from './as-of-compare.ts';

/**
 * The archive as it stood on a date with the events in EventStoreDB: the same comparison as
 * test/http/as-of.test.ts (every as-of page against a fresh Hallway holding only the log before the
 * date's end), with the live Hallway's log in the wire-level EventStoreDB server (test/support/
 * esdb-wire-server.ts). As on the embedded store, a date after the whole log is read from the live
 * read models; a date whose cut is a prefix of the log is read from them cut at the date (its end
 * from where the asof-order model saw the day start, the streams folded there read with their log
 * positions, as EventStoreDB 22.6 and later give them); any other date is built from the log. The fresh Hallways are embedded:
 * the pages must not depend on the store. Always the wire server, even when EVENTSTORE_URL is set: a
 * real server's log holds other tests' events, which these pages would show.
 */
describe('the archive as it stood on a date, events in EventStoreDB', () => {
  // seed 42: `at` goes back now and then (an import of older stories), so some cuts are not a
  // prefix of the log; seed 8: `at` never goes back, and the org and the review setting change
  const cutBefore = { ...pagesAtCut };
  const partsBefore = { ...partPagesAtCut };
  const timelinesBefore = { ...timelinePagesAtCut };
  const searchBefore = { ...searchPagesAtCut };
  for (const [seed, org] of [[42, false], [8, true]] as const) {
    it(`random log ${seed}: every as-of page is the rebuilt Hallway's`, async () => {
      const events = randomLog(seed, 60, { org, ordered: org }).map((e) => ({ ...e, id: crypto.randomUUID() }));
      const env: Record<string, string> = org ? { HALLWAY_MIN_GROUP: '3' } : {};
      const latest = Math.max(...events.map((e) => Date.parse(e.metadata.at)));
      let now = latest + 1000;
      // a wire server and a data directory of its own per log (the pages show every story the log holds)
      const server = await EsdbWireServer.start();
      const live = await testHallway({ clock: () => new Date(now), env: { ...env, EVENTSTORE_URL: server.url } });
      try {
        expect(live.store.kind).toBe('eventstoredb');
        await appendAll(live, events);
        const liveCookie = await cookieFor(live, VIEWER);
        now = Date.parse(utcDate(new Date(latest))) + DAY + 3_600_000;
        const rnd = prng(seed * 11);
        // the last day (the whole log: read from the live read models), the first day, one at random
        const dates = [utcDate(new Date(latest)), utcDate(new Date(START)), utcDate(new Date(START + Math.floor((1 + rnd() * 10) * DAY)))];
        for (const date of dates) {
          const parsed = parseAsOf(date, new Date());
          if (!parsed.ok) throw new Error(parsed.message);
          const kept = events.filter((e) => Date.parse(e.metadata.at) < parsed.asOf.cutoffMs);
          const fresh = await testHallway({ clock: () => new Date(parsed.asOf.cutoffMs), env });
          try {
            await appendAll(fresh, kept);
            await expectSamePages(live, liveCookie, fresh, await cookieFor(fresh, VIEWER), asOfPagesOf(events), date);
            await flushReads(fresh);
          } finally {
            await fresh.dispose();
          }
        }
      } finally {
        await live.dispose();
        await server.stop();
      }
    }, 120_000);
  }

  it('a server whose stream reads carry no positions (before 22.6): the date is built, and the pages are the same', async () => {
    const events = randomLog(8, 50, { org: true, ordered: true }).map((e) => ({ ...e, id: crypto.randomUUID() }));
    const latest = Math.max(...events.map((e) => Date.parse(e.metadata.at)));
    const server = await EsdbWireServer.start({ streamReadPositions: false });
    const env = { HALLWAY_MIN_GROUP: '3' };
    let now = latest + 1000;
    const live = await testHallway({ clock: () => new Date(now), env: { ...env, EVENTSTORE_URL: server.url } });
    try {
      await appendAll(live, events);
      const liveCookie = await cookieFor(live, VIEWER);
      now = Date.parse(utcDate(new Date(latest))) + DAY + 3_600_000;
      const date = utcDate(new Date(START + 4 * DAY));
      const parsed = parseAsOf(date, new Date());
      if (!parsed.ok) throw new Error(parsed.message);
      const fresh = await testHallway({ clock: () => new Date(parsed.asOf.cutoffMs), env });
      try {
        await appendAll(fresh, events.filter((e) => Date.parse(e.metadata.at) < parsed.asOf.cutoffMs));
        const cut = pagesAtCut.count;
        const parts = Object.values(partPagesAtCut).reduce((a, b) => a + b, 0);
        const timelines = Object.values(timelinePagesAtCut).reduce((a, b) => a + b, 0);
        const story = events.find((e) => e.type === 'StorySubmitted' && Date.parse(e.metadata.at) < parsed.asOf.cutoffMs)!.data['storyId'] as string;
        await expectSamePages(live, liveCookie, fresh, await cookieFor(fresh, VIEWER), ['/dashboard?window=all', `/stories/${story}`, `/dashboard/stories/${story}`, '/themes/th-care'], date);
        // nothing was read at the cut: the store could not say where its streams' events sit in the log
        expect(pagesAtCut.count).toBe(cut);
        expect(Object.values(partPagesAtCut).reduce((a, b) => a + b, 0)).toBe(parts);
        expect(Object.values(timelinePagesAtCut).reduce((a, b) => a + b, 0)).toBe(timelines);
        await flushReads(fresh);
      } finally {
        await fresh.dispose();
      }
    } finally {
      await live.dispose();
      await server.stop();
    }
  }, 120_000);

  it('read dates at their cut from the live read models on EventStoreDB too, without building them', () => {
    // the dashboard, a story's spread, a story page from its part of the cut, timelines from the stories model at the cut
    expect(pagesAtCut.dashboard, JSON.stringify(pagesAtCut)).toBeGreaterThan(cutBefore.dashboard);
    expect(pagesAtCut['dashboard-story']).toBeGreaterThan(cutBefore['dashboard-story']);
    expect(partPagesAtCut.story, JSON.stringify(partPagesAtCut)).toBeGreaterThan(partsBefore.story);
    expect(timelinePagesAtCut.theme, JSON.stringify(timelinePagesAtCut)).toBeGreaterThan(timelinesBefore.theme);
    // and /search from the search model at the cut
    expect(searchPagesAtCut.words, JSON.stringify(searchPagesAtCut)).toBeGreaterThan(searchBefore.words);
  });
});
