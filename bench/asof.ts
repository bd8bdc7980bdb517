/**
 * The archive as it stood on a date (issue 12), at organisation size: bench/dashboard.ts's log
 * (5,000 employees, 50 departments, 20,000 stories, 2,000,000 exposures over three years; sizes
 * from BENCH_DASH_STORIES and BENCH_DASH_EXPOSURES) appended to an embedded store on disk, the live
 * read models built from it by the real projections (as `serve` has them), then as-of pages
 * answered by the real as-of middleware and page routes (session look-up left out, as in
 * bench/dashboard-app.ts): for three dates (the middle of the three years, a week before their last
 * day, and their last day), the first page of the date (which builds its snapshot, or reads the live
 * read models when the whole log is before the date's end) and each page after that (p50 and the
 * slowest of ten), how the date was answered, the bytes its snapshot holds, and the process's
 * memory. The stories asked for are ones told before each date, whatever the sizes. Aims (issue 12):
 * first page of a date < 1 s, after < 100 ms.
 * Each date starts with /dashboard/stories/:id and /stories/:id (a middle story, and the largest
 * cascade), which are read at the date's cut when the cut is a prefix of the log: the spread page from
 * the live read models (src/asof/cut.ts), the story page from its story's part of the cut
 * (src/asof/story-cut.ts); then /dashboard (all time, 30 and 7 days) and its stories CSV, read at the
 * date's cut from the live read models (src/asof/dashboard-cut.ts); BENCH_ASOF_BUILD=0 measures only
 * those (the other pages build the date).
 * BENCH_ASOF_CACHE=<dir> keeps the data directory (events.db and views.db, named by the sizes) there
 * and reuses it on later runs: generating and projecting two million exposures takes many minutes.
 * Run only it: npx tsx bench/run.ts asof
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEvent } from '../events/catalogue.ts';
import { loadConfig } from '../src/config.ts';
import { AsOfSnapshots } from '../src/asof/snapshots.ts';
import { asOfPages, pagesAtCut } from '../src/http/as-of.tsx';
import { openHallway } from '../src/services.ts';
import { openEmbeddedStore } from '../src/store/embedded.ts';
import type { BatchAppend } from '../src/store/port.ts';
import { leaderBenchApp, timedGet } from './dashboard-app.ts';
import { log as scaleLog, SCALE_NOW } from './dashboard.ts';
import type { Bench, BenchRow } from './types.ts';

const STORIES = Number(process.env['BENCH_DASH_STORIES'] ?? 20_000);
const EXPOSURES = Number(process.env['BENCH_DASH_EXPOSURES'] ?? 2_000_000);
const START = Date.UTC(2023, 0, 1);
const DAY = 86_400_000;

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

/** Appends the scale log to `dir`/events.db; returns when each story was told. */
async function generate(dir: string, logLine: (m: string) => void): Promise<void> {
  const store = openEmbeddedStore(join(dir, 'events.db'), { synchronous: 'NORMAL' });
  try {
    let batch: BatchAppend[] = [];
    let n = 0;
    const t0 = performance.now();
    for (const e of scaleLog(11)) {
      const v = e.type === 'StorySubmitted' ? 2 : 1;
      const parsed = parseEvent(e.type, e.data, v);
      if (!parsed.ok) throw new Error(`${e.type}: ${JSON.stringify(parsed.issues)}`);
      n += 1;
      batch.push({ stream: parsed.stream, expectedRevision: 'any', events: [{ id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, type: e.type, data: e.data, metadata: { at: e.metadata.at, actor: 'system', ...(v === 2 ? { v } : {}) } }] });
      if (batch.length >= 5000) {
        await store.appendBatch(batch);
        batch = [];
      }
    }
    if (batch.length) await store.appendBatch(batch);
    logLine(`appended ${n.toLocaleString('en-US')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s (load ${load()})`);
  } finally {
    await store.close();
  }
}

export const asOfBench: Bench = {
  name: 'asof',
  description: `as-of pages over ${STORIES.toLocaleString('en-US')} stories and ${EXPOSURES.toLocaleString('en-US')} exposures (load average ${load()} at start)`,
  async run(logLine) {
    const cache = process.env['BENCH_ASOF_CACHE'];
    const dir = cache ? join(cache, `asof-${STORIES}-${EXPOSURES}`) : mkdtempSync(join(tmpdir(), 'hallway-bench-asof-'));
    const generated = join(dir, 'generated');
    if (!existsSync(generated)) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await generate(dir, logLine);
      writeFileSync(generated, 'the log is complete\n');
    } else logLine(`log reused from ${dir}`);
    const t1 = performance.now();
    const hallway = await openHallway(loadConfig({ HALLWAY_DATA_DIR: dir, HALLWAY_MIN_GROUP: '5', HALLWAY_ASOF_WAIT_SECONDS: '600' }), { clock: () => new Date(SCALE_NOW), log: () => {}, projectIn: 'worker' });
    logLine(`live read models ready in ${((performance.now() - t1) / 1000).toFixed(1)} s (load ${load()})`);
    const snapshots = new AsOfSnapshots(hallway.store, { maxBytes: 2 ** 30, live: hallway.runtime });
    try {
      // stories told before each date: the middle one of them, and theme t1
      const told = hallway.runtime.db.prepare<[], { story_id: string; t0_ms: number }>('SELECT story_id, t0_ms FROM spread_stories ORDER BY t0_ms').all();
      const app = leaderBenchApp();
      app.use(asOfPages(hallway, snapshots));
      const timeIt = (path: string): Promise<number> => timedGet(app, path);

      const rows: BenchRow[] = [];
      const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
      const dates: [string, string][] = [
        ['middle', day(START + (SCALE_NOW - START) / 2)],
        ['a week before the end', day(SCALE_NOW - 1 - 7 * DAY)],
        ['last day', day(SCALE_NOW - 1)],
      ];
      // the largest cascade: the slowest story spread page read at a cut (it reads the story's nodes)
      const largest = hallway.runtime.db.prepare<[], string>('SELECT story_id FROM spread_stories ORDER BY size DESC LIMIT 1').pluck().get()!;
      for (const [name, date] of dates) {
        const cutoff = Date.parse(date) + DAY;
        const before = told.filter((s) => s.t0_ms < cutoff);
        const story = before[Math.floor(before.length / 2)]!.story_id;
        // one story's spread first: read at the date's cut when it is a prefix of the log, nothing built
        for (const [which, id] of [['a middle story', story], ['the largest cascade', largest]] as const) {
          if (!before.some((s) => s.story_id === id)) continue;
          const path = `/dashboard/stories/${id}?asOf=${date}`;
          const counts = { ...snapshots.counts };
          const loadAt = load();
          const first = await timeIt(path);
          const how = snapshots.counts.cut > counts.cut ? 'read at the cut' : snapshots.counts.live > counts.live ? 'from the live read models' : `built, ${(snapshots.counts.eventsRead - counts.eventsRead).toLocaleString('en-US')} events read`;
          logLine(`${name} (${date}): /dashboard/stories (${which}) first in ${first.toFixed(1)} ms, ${how} (load ${loadAt})`);
          rows.push({ measure: `${date} (${name}): /dashboard/stories/:id (${which}), ${which === 'a middle story' ? 'first page of the date' : 'first for this story'}, ${how} (aim < 1,000 ms; load ${loadAt})`, value: first, unit: 'ms' });
          const again: number[] = [];
          for (let i = 0; i < 10; i++) again.push(await timeIt(path));
          rows.push({ measure: `${date}: /dashboard/stories/:id (${which}) after, p50 (aim < 100 ms; load ${load()})`, value: percentile(again, 50), unit: 'ms' });
          rows.push({ measure: `${date}: /dashboard/stories/:id (${which}) after, slowest of 10`, value: Math.max(...again), unit: 'ms' });
          // the story's own page: its part of the cut through the projections into a small views database
          const storyPath = `/stories/${id}?asOf=${date}`;
          const countsBefore = { ...snapshots.counts };
          const storyLoad = load();
          const storyFirst = await timeIt(storyPath);
          const storyHow = snapshots.counts.part > countsBefore.part ? `its part of the cut, ${(snapshots.counts.eventsRead - countsBefore.eventsRead).toLocaleString('en-US')} events read` : snapshots.counts.live > countsBefore.live ? 'from the live read models' : `built, ${(snapshots.counts.eventsRead - countsBefore.eventsRead).toLocaleString('en-US')} events read`;
          logLine(`${name} (${date}): /stories/:id (${which}) first in ${storyFirst.toFixed(1)} ms, ${storyHow} (load ${storyLoad})`);
          rows.push({ measure: `${date} (${name}): /stories/:id (${which}), first for this story, ${storyHow} (aim < 1,000 ms; load ${storyLoad})`, value: storyFirst, unit: 'ms' });
          const storyAgain: number[] = [];
          for (let i = 0; i < 10; i++) storyAgain.push(await timeIt(storyPath));
          rows.push({ measure: `${date}: /stories/:id (${which}) after, p50 (aim < 100 ms; load ${load()})`, value: percentile(storyAgain, 50), unit: 'ms' });
          rows.push({ measure: `${date}: /stories/:id (${which}) after, slowest of 10`, value: Math.max(...storyAgain), unit: 'ms' });
        }
        // the dashboard, three windows, and its CSV: read at the date's cut from the live read models
        // (src/asof/dashboard-cut.ts) when the cut is a prefix of the log; the first also works out
        // what the cut's dashboards share (the org, themes and story themes then, the size buckets' medians)
        for (const path of [`/dashboard?window=all&asOf=${date}`, `/dashboard?asOf=${date}`, `/dashboard?window=7&asOf=${date}`, `/dashboard/export.csv?table=stories&window=all&asOf=${date}`]) {
          const name2 = path.split('&asOf')[0]!.split('?asOf')[0]!;
          const before = { ...snapshots.counts };
          const cutBefore = pagesAtCut.count;
          const l = load();
          const t = await timeIt(path);
          const how = pagesAtCut.count > cutBefore ? 'read at the cut' : snapshots.counts.live > before.live ? 'from the live read models' : `built, ${(snapshots.counts.eventsRead - before.eventsRead).toLocaleString('en-US')} events read`;
          logLine(`${name} (${date}): ${name2} first in ${t.toFixed(1)} ms, ${how} (load ${l})`);
          rows.push({ measure: `${date} (${name}): ${name2} first, ${how} (aim < 1,000 ms; load ${l})`, value: t, unit: 'ms' });
          const again: number[] = [];
          for (let i = 0; i < 10; i++) again.push(await timeIt(path));
          rows.push({ measure: `${date}: ${name2} after, p50 (aim < 100 ms; load ${load()})`, value: percentile(again, 50), unit: 'ms' });
          rows.push({ measure: `${date}: ${name2} after, slowest of 10`, value: Math.max(...again), unit: 'ms' });
        }
        // every timeline: read from the stories and org models materialized at the date's cut
        // (src/asof/timeline-cut.ts) when the cut is a prefix of the log; the first of the date
        // materializes the cut, the others (any kind, any page) read the cut kept
        const dept = hallway.runtime.db.prepare<[], string>('SELECT department_id FROM org_departments ORDER BY department_id LIMIT 1').pluck().get()!;
        const laterPage = Math.max(2, Math.floor(before.length / 20 / 2));
        for (const [label, path] of [
          ['/timelines', `/timelines?asOf=${date}`],
          [`/timelines page ${laterPage}`, `/timelines?page=${laterPage}&asOf=${date}`],
          ['/themes/t1', `/themes/t1?asOf=${date}`],
          ['/leaders/L', `/leaders/L?asOf=${date}`],
          [`/departments/${dept}`, `/departments/${dept}?asOf=${date}`],
        ] as const) {
          const c0 = { ...snapshots.counts };
          const l = load();
          const t = await timeIt(path);
          const c1 = snapshots.counts;
          const how = c1.timelineCuts > c0.timelineCuts ? 'the stories model materialized at the cut' : c1.timelines > c0.timelines ? "from the date's cut kept" : c1.live > c0.live ? 'from the live read models' : `built, ${(c1.eventsRead - c0.eventsRead).toLocaleString('en-US')} events read`;
          logLine(`${name} (${date}): ${label} first in ${t.toFixed(1)} ms, ${how} (load ${l})`);
          rows.push({ measure: `${date} (${name}): ${label} first, ${how} (aim < 1,000 ms; load ${l})`, value: t, unit: 'ms' });
          const again: number[] = [];
          for (let i = 0; i < 10; i++) again.push(await timeIt(path));
          rows.push({ measure: `${date}: ${label} after, p50 (aim < 100 ms; load ${load()})`, value: percentile(again, 50), unit: 'ms' });
          rows.push({ measure: `${date}: ${label} after, slowest of 10`, value: Math.max(...again), unit: 'ms' });
        }
        // /search: with words, a theme filter, and page 2, read from the search model at the date's cut
        // (src/asof/search-cut.ts) when the cut is a prefix of the log; the first makes it (every
        // story told before the date, its own full-text index), the others read it
        for (const path of [`/search?q=story&asOf=${date}`, `/search?q=story&theme=t1&asOf=${date}`, `/search?q=story&page=2&asOf=${date}`]) {
          const name2 = path.split('&asOf')[0]!;
          const before = { ...snapshots.counts };
          const l = load();
          const t = await timeIt(path);
          const how = snapshots.counts.searchMade > before.searchMade ? 'the search model at the cut made' : snapshots.counts.search > before.search ? 'the search model at the cut, kept' : snapshots.counts.live > before.live ? 'from the live read models' : `built, ${(snapshots.counts.eventsRead - before.eventsRead).toLocaleString('en-US')} events read`;
          logLine(`${name} (${date}): ${name2} first in ${t.toFixed(1)} ms, ${how} (load ${l})`);
          rows.push({ measure: `${date} (${name}): ${name2} first, ${how} (aim < 1,000 ms; load ${l})`, value: t, unit: 'ms' });
          const again: number[] = [];
          for (let i = 0; i < 10; i++) again.push(await timeIt(path));
          rows.push({ measure: `${date}: ${name2} after, p50 (aim < 100 ms; load ${load()})`, value: percentile(again, 50), unit: 'ms' });
          rows.push({ measure: `${date}: ${name2} after, slowest of 10`, value: Math.max(...again), unit: 'ms' });
        }
        // BENCH_ASOF_BUILD=0: only the pages read at the cut (the others build the date, minutes at this scale)
        if (process.env['BENCH_ASOF_BUILD'] === '0') continue;
        const pages = [`/timelines?asOf=${date}`, `/dashboard?asOf=${date}`, `/stories/${story}?asOf=${date}`, `/dashboard/stories/${story}?asOf=${date}`, `/search?q=story&asOf=${date}`, `/themes/t1?asOf=${date}`];
        const counts = { ...snapshots.counts };
        const loadAt = load();
        const first = await timeIt(pages[0]!);
        const how = snapshots.counts.cut > counts.cut ? 'read at the cut' : snapshots.counts.timelines > counts.timelines ? 'the stories model at the cut' : snapshots.counts.live > counts.live ? 'from the live read models' : `built, ${(snapshots.counts.eventsRead - counts.eventsRead).toLocaleString('en-US')} events read${snapshots.counts.stoppedAtCut > counts.stoppedAtCut ? ', stopped at the cut' : ''}`;
        logLine(`${name} (${date}): first page in ${(first / 1000).toFixed(2)} s, ${how} (load ${loadAt})`);
        rows.push({ measure: `${date} (${name}): first page of the date, ${how} (aim < 1,000 ms; load ${loadAt})`, value: first, unit: 'ms' });
        for (const path of pages.slice(1)) rows.push({ measure: `${date}: first ${path.split('?')[0]}`, value: await timeIt(path), unit: 'ms' });
        // after: each page again, ten times (p50 and the slowest, per page)
        for (const path of pages) {
          const again: number[] = [];
          for (let i = 0; i < 10; i++) again.push(await timeIt(path));
          rows.push({ measure: `${date}: ${path.split('?')[0]} after, p50 (aim < 100 ms; load ${load()})`, value: percentile(again, 50), unit: 'ms' });
          rows.push({ measure: `${date}: ${path.split('?')[0]} after, slowest of 10`, value: Math.max(...again), unit: 'ms' });
        }
      }
      const size = snapshots.size();
      const mem = process.memoryUsage();
      rows.push({ measure: 'process memory: heap used', value: mem.heapUsed / 2 ** 20, unit: 'MiB' });
      rows.push({ measure: 'views.db size (the live read models)', value: statSync(join(dir, 'views.db')).size / 2 ** 20, unit: 'MiB' });
      rows.push({ measure: `snapshots kept: ${size.snapshots}, bytes held`, value: size.bytes / 2 ** 20, unit: 'MiB' });
      const cuts = snapshots.timelineCutsKept();
      rows.push({ measure: `timeline cuts kept: ${cuts.cuts}, bytes their databases hold`, value: cuts.bytes / 2 ** 20, unit: 'MiB' });
      const searchKept = snapshots.searchCuts.size();
      rows.push({ measure: `search models at a cut kept: ${searchKept.cuts}, bytes held (in memory)`, value: searchKept.bytes / 2 ** 20, unit: 'MiB' });
      rows.push({ measure: 'process memory: rss (the live read models\' worker included)', value: mem.rss / 2 ** 20, unit: 'MiB' });
      logLine(`load average at the end: ${load()}`);
      return rows;
    } finally {
      snapshots.close();
      await hallway.close();
      if (!cache) rmSync(dir, { recursive: true, force: true });
    }
  },
};
