/**
 * The server side of bench/pages.ts, run in its own process so that autocannon (the client) does
 * not share the server's event loop. Loads the demo company like `hallway demo` does into a
 * temporary data directory, opens Hallway over it and serves the real app on @hono/node-server,
 * beside Hono's hello-world (the ceiling). Prints one JSON line ({ app, hello, cookies }) on
 * standard output when ready, then answers commands, one per line on standard input:
 *   eld-start  reset the event-loop delay monitor
 *   cpu        print {"cpuMs": …}: the process's CPU time so far (all threads)
 *   eld        print {"maxMs": …, "p99Ms": …, "rssMb": …} (delay since eld-start, resident memory now)
 *   has <id>   print {"has": true|false, "at": ms}: whether /stories/<id> answers 200 for the employee
 *   pos        print {"at": ms, "head": …, "stories": …, "spread": …}: the log's head and two read models' positions
 *   trickle N  append N reads of recent stories a second (scale mode; 0 stops): events arriving during the load
 *   dir        print {"dir": …} (the data directory, for a second process to import into)
 * and shuts down (flushing pending work) when standard input ends.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { DEMO_ACCOUNTS, DEMO_TODAY } from '../events/seed/org.ts';
import { createSession, SESSION_COOKIE } from '../src/auth/sessions.ts';
import { DEMO_FILE } from '../src/cli/demo.ts';
import { eventsFile, loadConfig, viewsFile } from '../src/config.ts';
import { allProjections } from '../src/projections/index.ts';
import { createApp } from '../src/http/app.ts';
import type { WorkerRuntime } from '../src/projections/in-worker.ts';
import { prepareDashboards } from '../src/http/dashboard.tsx';
import { importFile } from '../src/importer.ts';
import { pino } from 'pino';
import { openHallway } from '../src/services.ts';
import { createLogger } from '../src/observability/logger.ts';
import { openStore } from '../src/store/open.ts';
import type { EventStore, BatchAppend } from '../src/store/port.ts';
import { parseEvent } from '../events/catalogue.ts';
import { dashboard } from '../src/projections/spread-dashboard.ts';
import { refreshesSettled } from '../src/read/kept-latest.ts';
import { readFileSync } from 'node:fs';
import { threadMemory } from '../src/projections/thread-memory.ts';
import { resolveWindow } from '../src/spread/window.ts';
import { log as scaleLog, SCALE_NOW } from './dashboard.ts';

/**
 * The archive of bench/dashboard.ts (5,000 employees, 20,000 stories, 2,000,000 exposures by
 * default; BENCH_DASH_* change the sizes) appended to the store, plus a leader and a new hire to
 * sign in as. Returns the accounts (role -> employee id).
 */
async function seedScale(store: EventStore, at: number): Promise<Record<string, string>> {
  let batch: BatchAppend[] = [];
  let n = 0;
  const flush = async () => {
    if (batch.length) await store.appendBatch(batch);
    batch = [];
  };
  const add = async (type: string, data: Record<string, unknown>, atIso: string) => {
    const parsed = parseEvent(type, data, type === 'StorySubmitted' ? 2 : 1);
    if (!parsed.ok) throw new Error(`${type}: ${JSON.stringify(parsed.issues)}`);
    n += 1;
    batch.push({ stream: parsed.stream, expectedRevision: 'any', events: [{ id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, type, data, metadata: { at: atIso, actor: 'system', ...(type === 'StorySubmitted' ? { v: 2 } : {}) } }] });
    if (batch.length >= 5000) await flush();
  };
  for (const e of scaleLog(11)) await add(e.type, e.data as Record<string, unknown>, e.metadata.at);
  const day = new Date(at).toISOString().slice(0, 10);
  await add('EmployeeRoleGranted', { employeeId: 'e0', role: 'leader' }, new Date(at - 1000).toISOString());
  await add('EmployeeJoined', { employeeId: 'new-hire', name: 'New Hire', departmentId: 'd1', joinedOn: day }, new Date(at - 1000).toISOString());
  await flush();
  return SCALE_ACCOUNTS;
}
const SCALE_ACCOUNTS: Record<string, string> = { leader: 'e0', employee: 'e4', 'new-hire': 'new-hire' };

const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-pages-'));
const config = loadConfig({ HALLWAY_DATA_DIR: dir, PORT: '3000' });
/** BENCH_PAGES_SCALE=1: the organisation-size archive of bench/dashboard.ts instead of the demo (see seedScale) */
const SCALE = process.env['BENCH_PAGES_SCALE'] === '1';
// the demo's "today", so the new hire is new and the 30-day dashboard has the demo's recent weeks;
// at scale, the end of the generated three years
const now = SCALE ? SCALE_NOW : Date.parse(`${DEMO_TODAY}T12:00:00Z`);

/**
 * BENCH_PAGES_SEED_CACHE=<dir> (scale mode): keep the seeded log there (events.db, named by the
 * BENCH_DASH_* sizes) and copy it on later runs instead of appending two million events again.
 */
const seedCache = SCALE ? process.env['BENCH_PAGES_SEED_CACHE'] : undefined;
const cached = seedCache
  ? join(seedCache, `scale-events-${process.env['BENCH_DASH_EMPLOYEES'] ?? 5000}-${process.env['BENCH_DASH_STORIES'] ?? 20000}-${process.env['BENCH_DASH_EXPOSURES'] ?? 2000000}.db`)
  : undefined;
const seeded = performance.now();
let accounts: Record<string, string>;
let seedFrom: 'appended' | 'copied' = 'appended';
if (cached && existsSync(cached)) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(cached, eventsFile(config));
  accounts = SCALE_ACCOUNTS;
  seedFrom = 'copied';
} else {
  const seedStore = await openStore(config);
  accounts = SCALE ? await seedScale(seedStore, now) : { ...DEMO_ACCOUNTS };
  if (!SCALE) await importFile(seedStore, DEMO_FILE);
  await seedStore.close();
  if (cached) {
    mkdirSync(seedCache!, { recursive: true });
    // the store closed cleanly, so its WAL is checkpointed into the one file
    copyFileSync(eventsFile(config), cached);
  }
}
const seedStore = await openStore(config);
const events = await seedStore.headPosition();
await seedStore.close();
const seedMs = performance.now() - seeded;
process.stderr.write(`seeded ${events.toLocaleString('en-US')} events in ${(seedMs / 1000).toFixed(1)} s (${seedFrom})\n`);

/**
 * With BENCH_PAGES_SEED_CACHE, the read models built from the cached log are kept too (named by the
 * projections' versions) and copied on a later run, which then skips the build: its `buildMs` is
 * the copy's, and the first dashboards still start from an empty memory (the edge log is loaded).
 */
const viewsCached = cached && seedFrom === 'copied' ? `${cached}.views-${allProjections().map((p) => `${p.name}${p.version}`).join('-')}.db` : undefined;
let viewsFrom: 'built' | 'copied' = 'built';
if (viewsCached && existsSync(viewsCached)) {
  copyFileSync(viewsCached, viewsFile(config));
  viewsFrom = 'copied';
}
// a fresh views.db: the projections (in serve's worker thread) build every read model from the log, as after `hallway rebuild`
const built = performance.now();
/** the app's clock: `now`, moved a minute on for a moment below */
let clockAt = now;
// as `serve` does: once caught up, the dashboard's windows are prepared before the archive is ready
let prepareMs = 0;
const hallway = await openHallway(config, {
  clock: () => new Date(clockAt),
  log: (m) => process.stderr.write(`${m}\n`),
  projectIn: 'worker',
  // as `serve` does: a JSON line per request, written asynchronously (to /dev/null here, so no reader of a pipe is measured) and metrics
  logger: createLogger('info', pino.destination({ dest: '/dev/null', sync: false })),
  metrics: true,
  prepare: async (ctx) => {
    const t = performance.now();
    await prepareDashboards(ctx);
    prepareMs = performance.now() - t;
  },
});
const buildMs = performance.now() - built - prepareMs;
process.stderr.write(`read models ${viewsFrom} in ${(buildMs / 1000).toFixed(1)} s; dashboard windows prepared in ${prepareMs.toFixed(0)} ms\n`);
if (viewsCached && viewsFrom === 'built') hallway.runtime.db.exec(`VACUUM INTO '${viewsCached.replace(/'/g, "''")}'`);
const app = createApp(hallway);
const cookies: Record<string, string> = {};
for (const [role, employeeId] of Object.entries(accounts)) {
  cookies[role] = `${SESSION_COOKIE}=${(await createSession(hallway, employeeId)).token}`;
}
/** the first answer of each page after the rebuild (nothing kept yet), in ms, measured in-process */
const first: Record<string, number> = {};
/** and the size of each of those pages, in bytes (every later answer sends as much) */
const firstBytes: Record<string, number> = {};
const firstPaths = SCALE ? ['/dashboard', '/dashboard?window=7', '/dashboard?window=90', '/dashboard?window=365', '/dashboard?window=all'] : [];
const timedGet = async (path: string): Promise<number> => {
  const t = performance.now();
  const res = await app.request(path, { headers: { Cookie: cookies['leader']! } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  firstBytes[path] = Buffer.byteLength(body);
  return performance.now() - t;
};
for (const path of firstPaths) first[path] = await timedGet(path);
/**
 * A minute later the windows have moved (each ends at the next whole minute): the page kept for
 * each is served at once (stale, saying when its figures are from) and the projection worker
 * counts and renders the moved window; `minuteLater` is the request, `recount` the time until the
 * worker's page is kept (then the clock goes back).
 */
const minuteLater: Record<string, number> = {};
const recount: Record<string, number> = {};
if (SCALE) {
  clockAt = now + 60_000;
  for (const path of firstPaths) {
    const t = performance.now();
    minuteLater[path] = await timedGet(path);
    await refreshesSettled(hallway.runtime.db);
    recount[path] = performance.now() - t;
  }
  clockAt = now;
  for (const path of firstPaths) await timedGet(path);
  await refreshesSettled(hallway.runtime.db);
}
/**
 * Scale mode: each window's figures computed as before the edge log (reading the window's edges
 * from the spread model's nodes), once, for comparison with `recount` (nothing rendered or kept).
 * (On this thread, which serve's dashboard never counts on: the edge log is not loaded here.)
 */
const fromNodes: Record<string, number> = {};
if (SCALE) {
  const end = new Date(Math.ceil(now / 60_000) * 60_000);
  for (const window of ['30', '7', '90', '365', 'all'] as const) {
    const w = resolveWindow({ window }, end);
    const t = performance.now();
    dashboard(hallway.runtime.db, w, config.minGroup, 20, 'nodes');
    fromNodes[window] = performance.now() - t;
    process.stderr.write(`window ${window}: figures from the nodes ${fromNodes[window].toFixed(0)} ms\n`);
  }
}
// the most circulated story: the story page to load
const story = hallway.runtime.db.prepare<[], string>('SELECT story_id FROM story_stories WHERE retracted = 0 ORDER BY exposure DESC LIMIT 1').pluck().get();

const listen = (fetch: (r: Request) => Response | Promise<Response>) =>
  new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
const hello = new Hono().get('/', (c) => c.text('Hello Hono!'));
const appServer = await listen(app.fetch);
const helloServer = await listen(hello.fetch);
const portOf = (s: ReturnType<typeof serve>): number => (s.address() as AddressInfo).port;

const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();
const reply = (o: unknown): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
reply({ app: portOf(appServer), hello: portOf(helloServer), cookies, story, events, seedMs, seedFrom, viewsFrom, buildMs, prepareMs, first, minuteLater, recount, firstBytes, fromNodes, rssMiB: process.memoryUsage().rss / 2 ** 20 });

let trickle: ReturnType<typeof setInterval> | undefined;
let trickled = 0;
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'eld-start') {
    eld.reset();
    reply({ ok: true });
  } else if (cmd === 'cpu') {
    // CPU time of the whole process so far (every thread), for CPU per request around a load
    const u = process.cpuUsage();
    reply({ cpuMs: (u.user + u.system) / 1000 });
  } else if (cmd === 'eld') {
    // rss: the whole process, the projection worker's thread included
    reply({ maxMs: eld.max / 1e6, p99Ms: eld.percentile(99) / 1e6, rssMb: process.memoryUsage().rss / 2 ** 20 });
  } else if (cmd === 'mem') {
    // where the memory is: this thread's heap, the projection worker's, typed arrays (the edge log)
    const m = process.memoryUsage();
    const worker = 'memory' in hallway.runtime ? await (hallway.runtime as WorkerRuntime).memory() : undefined;
    const MiB = 2 ** 20;
    const here = threadMemory();
    // resident memory by kind (Linux): anonymous (heaps, malloc: SQLite's caches), file-backed (code, mapped files), shared
    const status = readFileSync('/proc/self/status', 'utf8');
    const kB = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    reply({
      rssAnonMiB: kB('RssAnon') / 1024, rssFileMiB: kB('RssFile') / 1024, rssShmemMiB: kB('RssShmem') / 1024,
      rssMiB: m.rss / MiB, heapMiB: m.heapUsed / MiB, heapTotalMiB: m.heapTotal / MiB, heapPhysicalMiB: here.physical / MiB, arrayBuffersMiB: m.arrayBuffers / MiB, externalMiB: m.external / MiB,
      workerHeapMiB: (worker?.heapUsed ?? 0) / MiB, workerHeapTotalMiB: (worker?.heapTotal ?? 0) / MiB, workerHeapPhysicalMiB: (worker?.physical ?? 0) / MiB, workerExternalMiB: (worker?.external ?? 0) / MiB,
    });
  } else if (cmd === 'trickle') {
    // scale mode: a read of a recent story every 1000/arg ms, appended as the story page would
    // (new events keep changing the read models while the dashboard is under load); 0 stops
    if (trickle) clearInterval(trickle);
    trickle = undefined;
    const perSecond = Number(arg);
    if (perSecond > 0) {
      const stories = Number(process.env['BENCH_DASH_STORIES'] ?? 20_000);
      const employees = Number(process.env['BENCH_DASH_EMPLOYEES'] ?? 5_000);
      trickle = setInterval(() => {
        trickled += 1;
        const data = { storyId: `s${stories - 1 - (trickled % 200)}`, readerId: `e${(trickled * 7919) % employees}` };
        const parsed = parseEvent('StoryRead', data);
        if (!parsed.ok) throw new Error(parsed.error);
        void hallway.store.append(parsed.stream, [{ id: `00000000-0000-4000-9000-${trickled.toString(16).padStart(12, '0')}`, type: 'StoryRead', data, metadata: { at: new Date(now).toISOString(), actor: data.readerId } }]);
      }, 1000 / perSecond);
    }
    reply({ ok: true, trickled });
  } else if (cmd === 'dir') {
    reply({ dir });
  } else if (cmd === 'pos') {
    // the read models' positions only (during an import: no page rendered on this thread meanwhile)
    const positions = Object.fromEntries(hallway.runtime.status().map((x) => [x.name, x.position]));
    reply({ at: Date.now(), head: await hallway.store.headPosition(), stories: positions['stories'] ?? 0, spread: positions['spread'] ?? 0 });
  } else if (cmd === 'has') {
    const res = await app.request(`/stories/${arg}`, { headers: { Cookie: cookies['employee']! } });
    await res.text();
    // where the read models are (the stories' lane and spread's), to see what the wait was for
    const positions = Object.fromEntries(hallway.runtime.status().map((x) => [x.name, x.position]));
    reply({ has: res.status === 200, at: Date.now(), head: await hallway.store.headPosition(), stories: positions['stories'] ?? 0, spread: positions['spread'] ?? 0 });
  }
}
if (trickle) clearInterval(trickle);
eld.disable();
await new Promise<void>((r) => appServer.close(() => r()));
await new Promise<void>((r) => helloServer.close(() => r()));
await hallway.close();
rmSync(dir, { recursive: true, force: true });
