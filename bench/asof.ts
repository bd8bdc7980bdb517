/**
 * The archive as it stood on a date (issue 12), at organisation size: bench/dashboard.ts's log
 * (5,000 employees, 50 departments, 20,000 stories, 2,000,000 exposures over three years; sizes
 * from BENCH_DASH_STORIES and BENCH_DASH_EXPOSURES) appended to an embedded store on disk, then
 * as-of pages answered by the real as-of middleware and page routes (session look-up left out, as
 * in bench/dashboard-app.ts): for two dates (the middle of the three years and their last day),
 * the first page of the date (which builds its snapshot from the log) and the same pages after
 * that (p50/p99), the bytes its snapshot holds, and the process's memory. Aims (issue 12): first
 * page of a date < 1 s, after < 100 ms.
 * Run only it: npx tsx bench/run.ts asof
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEvent } from '../events/catalogue.ts';
import { loadConfig } from '../src/config.ts';
import { AsOfSnapshots } from '../src/asof/snapshots.ts';
import { asOfPages } from '../src/http/as-of.tsx';
import type { AppContext } from '../src/http/env.ts';
import { openViews } from '../src/projections/runtime.ts';
import { openEmbeddedStore } from '../src/store/embedded.ts';
import type { BatchAppend } from '../src/store/port.ts';
import { leaderBenchApp, timedGet } from './dashboard-app.ts';
import { log as scaleLog, SCALE_NOW } from './dashboard.ts';
import type { Bench, BenchRow } from './types.ts';

const STORIES = Number(process.env['BENCH_DASH_STORIES'] ?? 20_000);
const EXPOSURES = Number(process.env['BENCH_DASH_EXPOSURES'] ?? 2_000_000);
const START = Date.UTC(2023, 0, 1);

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export const asOfBench: Bench = {
  name: 'asof',
  description: `as-of pages over ${STORIES.toLocaleString('en-US')} stories and ${EXPOSURES.toLocaleString('en-US')} exposures (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start)`,
  async run(logLine) {
    const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-asof-'));
    const store = openEmbeddedStore(join(dir, 'events.db'), { synchronous: 'NORMAL' });
    const snapshots = new AsOfSnapshots(store, { maxBytes: 2 ** 30 });
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
      logLine(`appended ${n.toLocaleString('en-US')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const views = openViews(':memory:');
      const ctx = { store, runtime: { db: views }, config: loadConfig({ HALLWAY_DATA_DIR: dir, HALLWAY_MIN_GROUP: '5' }), clock: () => new Date(SCALE_NOW) } as unknown as AppContext;
      const app = leaderBenchApp();
      app.use(asOfPages(ctx, snapshots));
      const timeIt = (path: string): Promise<number> => timedGet(app, path);

      const rows: BenchRow[] = [];
      const middle = new Date(START + (SCALE_NOW - START) / 2).toISOString().slice(0, 10);
      const last = new Date(SCALE_NOW - 1).toISOString().slice(0, 10);
      for (const [name, date] of [['middle', middle], ['last day', last]] as const) {
        const pages = [`/timelines?asOf=${date}`, `/dashboard?asOf=${date}`, `/stories/s100?asOf=${date}`, `/dashboard/stories/s100?asOf=${date}`, `/search?q=story&asOf=${date}`, `/themes/t1?asOf=${date}`];
        const first = await timeIt(pages[0]!);
        logLine(`${name} (${date}): first page (snapshot built) in ${(first / 1000).toFixed(1)} s`);
        rows.push({ measure: `${date} (${name}): first page of the date, builds the snapshot (aim < 1,000 ms)`, value: first, unit: 'ms' });
        for (const path of pages.slice(1)) rows.push({ measure: `${date}: first ${path.split('?')[0]}`, value: await timeIt(path), unit: 'ms' });
        // after: each page again, ten times (p50 and the slowest, per page)
        for (const path of pages) {
          const again: number[] = [];
          for (let i = 0; i < 10; i++) again.push(await timeIt(path));
          rows.push({ measure: `${date}: ${path.split('?')[0]} after, p50 (aim < 100 ms)`, value: percentile(again, 50), unit: 'ms' });
          rows.push({ measure: `${date}: ${path.split('?')[0]} after, slowest of 10`, value: Math.max(...again), unit: 'ms' });
        }
      }
      const size = snapshots.size();
      const mem = process.memoryUsage();
      rows.push({ measure: `snapshots kept: ${size.snapshots}, bytes held`, value: size.bytes / 2 ** 20, unit: 'MiB' });
      rows.push({ measure: 'process memory: rss', value: mem.rss / 2 ** 20, unit: 'MiB' });
      logLine(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      return rows;
    } finally {
      snapshots.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
