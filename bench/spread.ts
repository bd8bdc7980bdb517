/**
 * Spread of one story (issue 5): 100,000 people exposed over 1,000,000 exposures.
 * - rebuild: every event applied by the spread projection into a views.db on disk, in batches of
 *   1,000 per transaction through applyBatch, as the runtime does (the store is left out: bench/store.ts measures it);
 *   ceiling: the same cascade built by the pure MemoryCascade in plain JavaScript maps.
 * - GET /api/stories/:id/spread through the API routes (session look-up left out): right after a
 *   new node (one more exposure applied by the projection before each request) and again without
 *   a change, p50/p99. Aim: p99 < 20 ms right after a new node.
 * Sizes: BENCH_SPREAD_PEOPLE (100000) and BENCH_SPREAD_EXPOSURES (1000000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openViews } from '../src/projections/runtime.ts';
import type { ProjectedEvent, Projection, Views } from '../src/projections/runtime.ts';
import { spreadProjection } from '../src/projections/spread.ts';
import { MemoryCascade } from '../src/spread/cascade.ts';
import { apiRoutes } from '../src/http/api.tsx';
import type { AppContext } from '../src/http/env.ts';
import { loadConfig } from '../src/config.ts';
import type { Bench, BenchRow } from './types.ts';
import { prng } from '../events/seed/seed-types.ts';

const PEOPLE = Number(process.env['BENCH_SPREAD_PEOPLE'] ?? 100_000);
const EXPOSURES = Number(process.env['BENCH_SPREAD_EXPOSURES'] ?? 1_000_000);
const DEPARTMENTS = 50;

const T0 = Date.UTC(2025, 0, 1);
const emp = (i: number): string => `e${i}`;

/** The log: departments, people, the story, then its exposures (a person once exposed may pass it on). */
function* log(seed: number): Generator<ProjectedEvent> {
  const rnd = prng(seed);
  let position = 0;
  const ev = (type: string, data: Record<string, unknown>, atMs: number): ProjectedEvent =>
    ({ id: `b${++position}`, type, data, stream: 'bench', revision: 0, position, metadata: { at: new Date(atMs).toISOString() } }) as unknown as ProjectedEvent;
  for (let d = 0; d < DEPARTMENTS; d++) yield ev('DepartmentOpened', { departmentId: `d${d}`, name: `Dept ${d}` }, T0 - 1000);
  for (let i = 0; i < PEOPLE; i++) yield ev('EmployeeJoined', { employeeId: emp(i), name: `P${i}`, departmentId: `d${i % DEPARTMENTS}`, joinedOn: '2020-01-01' }, T0 - 500);
  yield ev('StorySubmitted', { storyId: 'big', title: 'Big', body: 'b', tellerId: emp(0), leader: 'L', occurredOn: '2024', themes: [], relation: 'witnessed', anonymous: false }, T0);
  const informed: number[] = [0];
  const seen = new Uint8Array(PEOPLE);
  seen[0] = 1;
  for (let k = 0; k < EXPOSURES; k++) {
    const at = T0 + (k + 1) * 1000;
    const x = Math.floor(rnd() * PEOPLE);
    const r = rnd();
    if (r < 0.5) yield ev('StoryRead', { storyId: 'big', readerId: emp(x) }, at);
    else {
      const y = informed[Math.floor(rnd() * informed.length)]!;
      if (y === x) yield ev('StoryRead', { storyId: 'big', readerId: emp(x) }, at);
      else if (r < 0.8) yield ev('StoryHeard', { storyId: 'big', listenerId: emp(x), fromId: emp(y), setting: 'conversation' }, at);
      else yield ev('StoryShared', { storyId: 'big', fromId: emp(y), toId: emp(x) }, at);
    }
    if (!seen[x]) {
      seen[x] = 1;
      informed.push(x);
    }
  }
}

export function applyAll(db: Views, events: Iterable<ProjectedEvent>, batch = 1000, after: Projection[] = []): number {
  let n = 0;
  let pending: ProjectedEvent[] = [];
  // per batch, the spread model first (one applyBatch, as the runtime does), then the projections
  // that follow it in its lane (as the runtime orders them)
  const flush = db.transaction((es: ProjectedEvent[]) => {
    spreadProjection.applyBatch!(db, es);
    for (const p of after) {
      if (p.applyBatch) p.applyBatch(db, es);
      else es.forEach((e) => p.apply(db, e));
    }
  });
  for (const e of events) {
    pending.push(e);
    n++;
    if (pending.length >= batch) {
      flush(pending);
      pending = [];
    }
  }
  if (pending.length) flush(pending);
  return n;
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export const spreadBench: Bench = {
  name: 'spread',
  description: `one story, ${PEOPLE.toLocaleString('en-US')} people exposed over ${EXPOSURES.toLocaleString('en-US')} exposures`,
  async run(logLine) {
    const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-spread-'));
    try {
      const rows: BenchRow[] = [];
      // CPU time too: on a shared machine it says more than wall time (logged beside the table)
      const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
      // ceiling: the cascade in plain JS maps
      let t = performance.now();
      let cpu = cpuMs();
      const dept = new Map<string, string>();
      let cascade: MemoryCascade | undefined;
      for (const e of log(7)) {
        const d = e.data as Record<string, string>;
        if (e.type === 'EmployeeJoined') dept.set(d['employeeId']!, d['departmentId']!);
        else if (e.type === 'StorySubmitted') cascade = new MemoryCascade(d['tellerId']!, dept.get(d['tellerId']!)!, Date.parse(e.metadata.at));
        else if (e.type === 'StoryRead') cascade!.expose({ personId: d['readerId']!, atMs: Date.parse(e.metadata.at) }, (p) => dept.get(p)!);
        else if (e.type === 'StoryHeard') cascade!.expose({ personId: d['listenerId']!, sourceId: d['fromId'], atMs: Date.parse(e.metadata.at) }, (p) => dept.get(p)!);
        else if (e.type === 'StoryShared') cascade!.expose({ personId: d['toId']!, sourceId: d['fromId'], atMs: Date.parse(e.metadata.at) }, (p) => dept.get(p)!);
      }
      const memoryMs = performance.now() - t;
      const memoryCpuMs = cpuMs() - cpu;
      const total = EXPOSURES + PEOPLE + DEPARTMENTS + 1;
      logLine(`in memory: ${cascade!.nodes.length} nodes in ${memoryMs.toFixed(0)} ms`);

      const views = openViews(join(dir, 'views.db'));
      spreadProjection.setup(views);
      t = performance.now();
      cpu = cpuMs();
      applyAll(views, log(7));
      const rebuildMs = performance.now() - t;
      const rebuildCpuMs = cpuMs() - cpu;
      logLine(`projection rebuild: ${rebuildMs.toFixed(0)} ms; CPU time: in memory ${memoryCpuMs.toFixed(0)} ms, rebuild ${rebuildCpuMs.toFixed(0)} ms (ratio ${((100 * memoryCpuMs) / rebuildCpuMs).toFixed(0)}%)`);
      rows.push({ measure: `rebuild: events applied (${total.toLocaleString('en-US')} events, ${(rebuildMs / 1000).toFixed(1)} s)`, value: (total * 1000) / rebuildMs, unit: 'events/s', ceiling: { name: 'same cascade in JS maps', value: (total * 1000) / memoryMs }, aim: 0.4 });

      const ctx = { runtime: { db: views }, config: loadConfig({ HALLWAY_DATA_DIR: dir }) } as unknown as AppContext;
      const api = apiRoutes(ctx);
      const first = await (await api.request('/api/stories/big/spread')).json() as { size: number };
      if (first.size !== cascade!.nodes.length) throw new Error(`projection has ${first.size} nodes, memory ${cascade!.nodes.length}`);
      const cold: number[] = [];
      const grow = views.transaction((e: ProjectedEvent) => spreadProjection.apply(views, e));
      for (let i = 0; i < 200; i++) {
        // a newcomer hears it from the most recent node: the tree grows by one node
        const position = total + 1 + i;
        grow({
          id: `new${i}`, type: 'StoryHeard', stream: 'bench', revision: 0, position, metadata: { at: new Date(T0 + position * 1000).toISOString() },
          data: { storyId: 'big', listenerId: `newcomer${i}`, fromId: i === 0 ? emp(0) : `newcomer${i - 1}`, setting: 'conversation' },
        } as unknown as ProjectedEvent);
        t = performance.now();
        const res = await api.request('/api/stories/big/spread');
        await res.text();
        cold.push(performance.now() - t);
      }
      const warm: number[] = [];
      for (let i = 0; i < 500; i++) {
        t = performance.now();
        const res = await api.request('/api/stories/big/spread');
        await res.text();
        warm.push(performance.now() - t);
      }
      rows.push({ measure: `GET spread right after a new node: p50 (${first.size.toLocaleString('en-US')} nodes)`, value: percentile(cold, 50), unit: 'ms' });
      rows.push({ measure: 'GET spread right after a new node: p99 (aim < 20 ms)', value: percentile(cold, 99), unit: 'ms' });
      rows.push({ measure: 'GET spread, unchanged: p50', value: percentile(warm, 50), unit: 'ms' });
      rows.push({ measure: 'GET spread, unchanged: p99', value: percentile(warm, 99), unit: 'ms' });
      views.close();
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
