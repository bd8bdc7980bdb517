/**
 * The leadership dashboard at organisation size (issue 5): 5,000 employees, 50 departments,
 * 20,000 stories and 2,000,000 exposures over three years. The log is applied by the spread
 * projection into a views.db on disk (the store is left out: bench/store.ts measures it); then
 * GET /dashboard is answered by the real dashboard routes and page renderer (session look-up
 * left out) for the default window (last 30 days) and for all time: server time p50/p99, and the
 * memory the process holds. Aim: p99 under 100 ms for the default window.
 * Sizes: BENCH_DASH_EMPLOYEES, BENCH_DASH_STORIES, BENCH_DASH_EXPOSURES.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openViews } from '../src/projections/runtime.ts';
import type { ProjectedEvent } from '../src/projections/runtime.ts';
import { spreadProjection } from '../src/projections/spread.ts';
import { edgeLogProjection } from '../src/projections/edge-log.ts';
import { loadConfig } from '../src/config.ts';
import { applyAll } from './spread.ts';
import { dashboardBenchApp, timedGet } from './dashboard-app.ts';
import type { Bench, BenchRow } from './types.ts';
import { prng } from '../events/seed/seed-types.ts';

const EMPLOYEES = Number(process.env['BENCH_DASH_EMPLOYEES'] ?? 5_000);
const DEPARTMENTS = 50;
const STORIES = Number(process.env['BENCH_DASH_STORIES'] ?? 20_000);
const EXPOSURES = Number(process.env['BENCH_DASH_EXPOSURES'] ?? 2_000_000);
const START = Date.UTC(2023, 0, 1);
const SPAN = 3 * 365 * 86_400_000;
/** the generated archive's "now": the end of its three years */
export const SCALE_NOW = START + SPAN;

/** Stories appear evenly over three years; exposures favour recent stories, half of them passed on by someone who knows it. */
export function* log(seed: number): Generator<ProjectedEvent> {
  const rnd = prng(seed);
  let position = 0;
  const ev = (type: string, data: Record<string, unknown>, atMs: number): ProjectedEvent =>
    ({ id: `b${++position}`, type, data, stream: 'bench', revision: 0, position, metadata: { at: new Date(atMs).toISOString() } }) as unknown as ProjectedEvent;
  for (let d = 0; d < DEPARTMENTS; d++) yield ev('DepartmentOpened', { departmentId: `d${d}`, name: `Department ${d}` }, START - 2000);
  for (let t = 0; t < 10; t++) yield ev('ThemeDefined', { themeId: `t${t}`, name: `Theme ${t}`, description: '' }, START - 1500);
  for (let i = 0; i < EMPLOYEES; i++) yield ev('EmployeeJoined', { employeeId: `e${i}`, name: `P${i}`, departmentId: `d${i % DEPARTMENTS}`, joinedOn: '2020-01-01' }, START - 1000);
  const informed: number[][] = [];
  const total = STORIES + EXPOSURES;
  let stories = 0;
  for (let k = 0; k < total; k++) {
    const at = START + Math.floor((k / total) * SPAN);
    const storyDue = stories < STORIES && (stories === 0 || rnd() < STORIES / total || k >= total - (STORIES - stories));
    if (storyDue) {
      const teller = Math.floor(rnd() * EMPLOYEES);
      yield ev('StorySubmitted', { storyId: `s${stories}`, title: `Story ${stories}`, body: 'b', tellerId: `e${teller}`, leader: 'L', occurredOn: '2022', themes: [`t${stories % 10}`], relation: 'witnessed', anonymous: false }, at);
      informed.push([teller]);
      stories++;
      continue;
    }
    // mostly recent stories, some old ones
    const back = rnd() < 0.9 ? Math.floor(-Math.log(1 - rnd()) * 200) : Math.floor(rnd() * stories);
    const s = Math.max(0, stories - 1 - back);
    const x = Math.floor(rnd() * EMPLOYEES);
    const known = informed[s]!;
    if (rnd() < 0.5) yield ev('StoryRead', { storyId: `s${s}`, readerId: `e${x}` }, at);
    else {
      const y = known[Math.floor(rnd() * known.length)]!;
      if (y === x) yield ev('StoryRead', { storyId: `s${s}`, readerId: `e${x}` }, at);
      else yield ev('StoryHeard', { storyId: `s${s}`, listenerId: `e${x}`, fromId: `e${y}`, setting: 'conversation' }, at);
    }
    if (known.length < 5000) known.push(x);
  }
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export const dashboardBench: Bench = {
  name: 'dashboard',
  description: `${EMPLOYEES.toLocaleString('en-US')} employees, ${DEPARTMENTS} departments, ${STORIES.toLocaleString('en-US')} stories, ${EXPOSURES.toLocaleString('en-US')} exposures`,
  async run(logLine) {
    const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-dash-'));
    try {
      const views = openViews(join(dir, 'views.db'));
      spreadProjection.setup(views);
      const edgeLog = edgeLogProjection();
      edgeLog.setup(views);
      let t = performance.now();
      const n = applyAll(views, log(11), 5000, [edgeLog]);
      const buildMs = performance.now() - t;
      logLine(`applied ${n} events in ${(buildMs / 1000).toFixed(1)} s`);
      const app = dashboardBenchApp(views, loadConfig({ HALLWAY_DATA_DIR: dir, HALLWAY_MIN_GROUP: '5' }), START + SPAN);
      const timeIt = (path: string): Promise<number> => timedGet(app, path);
      const first = await timeIt('/dashboard');
      const recent: number[] = [];
      for (let i = 0; i < 40; i++) recent.push(await timeIt('/dashboard'));
      const all: number[] = [];
      for (let i = 0; i < 5; i++) all.push(await timeIt('/dashboard?window=all'));
      const story: number[] = [];
      for (let i = 0; i < 20; i++) story.push(await timeIt(`/dashboard/stories/s${STORIES - 1 - i * 10}`));
      const mem = process.memoryUsage();
      const rows: BenchRow[] = [
        { measure: `build the spread read model (${n.toLocaleString('en-US')} events, ${(buildMs / 1000).toFixed(0)} s)`, value: (n * 1000) / buildMs, unit: 'events/s' },
        { measure: 'GET /dashboard, first after rebuild (aim < 300 ms)', value: first, unit: 'ms' },
        { measure: 'GET /dashboard (last 30 days): p50', value: percentile(recent, 50), unit: 'ms' },
        { measure: 'GET /dashboard (last 30 days): p99 (aim < 100 ms)', value: percentile(recent, 99), unit: 'ms' },
        { measure: 'GET /dashboard?window=all: p50', value: percentile(all, 50), unit: 'ms' },
        { measure: 'GET /dashboard/stories/:id: p50', value: percentile(story, 50), unit: 'ms' },
        { measure: 'GET /dashboard/stories/:id: p99', value: percentile(story, 99), unit: 'ms' },
        { measure: 'server memory held: rss', value: mem.rss / 2 ** 20, unit: 'MiB' },
        { measure: 'server memory held: JS heap used', value: mem.heapUsed / 2 ** 20, unit: 'MiB' },
      ];
      views.close();
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
