/**
 * Where one GET /dashboard spends its time, at the dashboard benchmark's size (bench/dashboard.ts):
 * `npx tsx bench/dashboard-profile.ts /tmp/dash-views.db`. The first run builds the spread read
 * model into that file (about a minute and a half at full size) and keeps it; later runs reuse it
 * (delete the file after changing the projection). Prints p50/max of: the window's edge read
 * alone, the dashboard figures, the page's render, the flow heatmap, and the whole request; and
 * the figures for all time. A report to read, not a test.
 */
import { existsSync } from 'node:fs';
import { openViews } from '../src/projections/runtime.ts';
import { spreadProjection } from '../src/projections/spread.ts';
import { edgeLogProjection } from '../src/projections/edge-log.ts';
import { dashboard } from '../src/projections/spread-dashboard.ts';
import { loadConfig } from '../src/config.ts';
import { DashboardPage } from '../views/pages/dashboard.tsx';
import { flowHeatmap } from '../views/fragments/flow-heatmap.ts';
import { resolveWindow } from '../src/spread/window.ts';
import { applyAll } from './spread.ts';
import { log } from './dashboard.ts';
import { dashboardBenchApp } from './dashboard-app.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/dashboard-profile.ts VIEWS_DB_FILE');
const fresh = !existsSync(file);
const views = openViews(file);
spreadProjection.setup(views);
const edgeLog = edgeLogProjection();
edgeLog.setup(views);
if (fresh) {
  const t = performance.now();
  const n = applyAll(views, log(11), 5000, [edgeLog]);
  console.log(`built: ${n} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const DAY = 86_400_000;
const now = Date.UTC(2023, 0, 1) + 3 * 365 * DAY; // as bench/dashboard.ts
const app = dashboardBenchApp(views, loadConfig({ HALLWAY_DATA_DIR: '/tmp', HALLWAY_MIN_GROUP: '5' }), now);

const summary = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${s[s.length >> 1]!.toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
};
const time = (f: () => unknown, n = 20): string => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    f();
    xs.push(performance.now() - s);
  }
  return summary(xs);
};

const w = { fromMs: now - 30 * DAY, toMs: now };
await app.request('/dashboard'); // fills the virality cache
const edgeRead = views.prepare('SELECT edge FROM spread_nodes WHERE at_ms >= ? AND at_ms < ? AND edge IS NOT NULL').pluck();
console.log(`last 30 days: ${edgeRead.all(w.fromMs, w.toMs).length} edges`);
console.log(`  read the edges:        ${time(() => edgeRead.all(w.fromMs, w.toMs))}`);
console.log(`  dashboard figures:     ${time(() => dashboard(views, w, 5))}`);
const d = dashboard(views, w, 5);
const name = new Map(d.groups.map((g) => [g.id, g.name]));
console.log(`  flow heatmap (table):  ${time(() => flowHeatmap(d.flows.map((c) => ({ ...c, from: name.get(c.from)!, to: name.get(c.to)! })), d.groups.map((g) => g.name)))}`);
const rw = resolveWindow({}, new Date(now));
console.log(`  page body (JSX):       ${time(() => String(DashboardPage({ d, w: rw, minGroup: 5 })))}`);
const requests: number[] = [];
let bytes = 0;
for (let i = 0; i < 40; i++) {
  const s = performance.now();
  const res = await app.request('/dashboard');
  bytes = (await res.text()).length;
  requests.push(performance.now() - s);
}
console.log(`  whole request:         ${summary(requests)} (${Math.round(bytes / 1024)} KiB); slowest: ${[...requests].sort((a, b) => b - a).slice(0, 4).map((x) => x.toFixed(0)).join(', ')} ms`);
console.log(`all time: dashboard figures ${time(() => dashboard(views, { fromMs: null, toMs: now }, 5), 3)}`);
views.close();
