/**
 * Re-runs issue 9's probes against a real `hallway serve` on 127.0.0.1 and prints the figures:
 *   npx tsx bench/hardening-probes.ts
 * 1. four parallel 100 MB anonymous POSTs to /sign-in (chunked, and with Content-Length): the
 *    server's memory before and after, and /healthz latency while they run;
 * 2. 50 parallel wrong passwords for one account: how many were checked (401) and refused (429);
 * 3. the open-redirect corpus: how many Location headers leave the site;
 * 4. start-up on a log of 40,000 stories without views: time to listen, /healthz latency and
 *    /readyz while it catches up, time to ready.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { hashPassword } from '../src/auth/passwords.ts';
import { openEmbeddedStore } from '../src/store/embedded.ts';
import type { BatchAppend } from '../src/store/port.ts';
import { HOSTILE } from '../test/open-redirect-corpus.ts';
import { freePort, tempDir } from '../test/helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'hallway.mjs');
const at = '2026-01-05T10:00:00.000Z';
const PASSWORD = 'the right password 2026';

async function seed(dir: string, stories: number): Promise<void> {
  const store = openEmbeddedStore(join(dir, 'events.db'), { synchronous: 'NORMAL' });
  let n = 0;
  const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  await store.appendBatch([
    { stream: 'department-d1', events: [{ id: id(), type: 'DepartmentOpened', data: { departmentId: 'd1', name: 'Ops' }, metadata: { at } }] },
    { stream: 'employee-e1', events: [{ id: id(), type: 'EmployeeJoined', data: { employeeId: 'e1', name: 'Ada', email: 'ada@example.test', departmentId: 'd1', joinedOn: '2020-01-01' }, metadata: { at } }] },
    { stream: 'credential-e1', events: [{ id: id(), type: 'PasswordSet', data: { employeeId: 'e1', passwordHash: await hashPassword(PASSWORD) }, metadata: { at } }] },
  ]);
  for (let i = 0; i < stories; i += 5000) {
    const batch: BatchAppend[] = [];
    for (let j = i; j < Math.min(stories, i + 5000); j++) {
      batch.push({ stream: `story-s${j}`, events: [{ id: id(), type: 'StorySubmitted', data: { storyId: `s${j}`, title: `Story ${j}`, body: `Day ${j} in the hallway.`, tellerId: 'e1', leader: `Leader ${j % 40}`, happenedIn: 'd1', occurredOn: '2024-05', themes: [], relation: 'witnessed', anonymous: false }, metadata: { at, actor: 'e1', v: 2 } }] });
    }
    await store.appendBatch(batch);
  }
  await store.close();
}

async function serve(dir: string): Promise<{ child: ChildProcess; base: string; listenMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, HALLWAY_DATA_DIR: dir, PORT: String(port), EVENTSTORE_URL: '', HALLWAY_PUBLIC_URL: `http://127.0.0.1:${port}` }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('serving on')) resolve();
    });
  });
  return { child, base: `http://127.0.0.1:${port}`, listenMs: performance.now() - started };
}

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** POSTs `bytes` to /sign-in, streaming; resolves with the status (or 'reset' when the server cut it off). */
function hugePost(base: string, bytes: number, withLength: boolean): Promise<string> {
  return new Promise((resolve) => {
    const url = new URL('/sign-in', base);
    const req = request({ host: url.hostname, port: url.port, path: '/sign-in', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(withLength ? { 'Content-Length': String(bytes) } : { 'Transfer-Encoding': 'chunked' }) } });
    let settled = false;
    const done = (s: string) => { if (!settled) { settled = true; resolve(s); } };
    req.on('response', (res) => { res.resume(); done(String(res.statusCode)); req.destroy(); });
    req.on('error', () => done('reset'));
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !settled) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!settled) req.end();
    };
    pump();
  });
}

async function timed(url: string): Promise<number> {
  const t = performance.now();
  await (await fetch(url)).arrayBuffer();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const tmp = tempDir('hallway-probes-');
  try {
    await seed(tmp.dir, 40_000);
    // ---- 4. start-up on a log far ahead of its views
    rmSync(join(tmp.dir, 'views.db'), { force: true });
    const s = await serve(tmp.dir);
    const probes: { health: number; ready: number; page: number }[] = [];
    let readyAt = 0;
    const t0 = performance.now();
    for (;;) {
      const ht = performance.now();
      const health = (await fetch(`${s.base}/healthz`)).status;
      const healthMs = performance.now() - ht;
      const ready = (await fetch(`${s.base}/readyz`)).status;
      const page = (await fetch(`${s.base}/sign-in`)).status;
      probes.push({ health: healthMs, ready, page });
      if (ready === 200) { readyAt = performance.now() - t0; break; }
      await new Promise((r) => setTimeout(r, 100));
    }
    const during = probes.filter((p) => p.ready === 503);
    console.log(`start-up: listening after ${s.listenMs.toFixed(0)} ms; ready ${readyAt.toFixed(0)} ms later; ${during.length} probes while catching up: /readyz 503 and pages ${[...new Set(during.map((p) => p.page))].join('/')}; /healthz max ${Math.max(...during.map((p) => p.health), 0).toFixed(0)} ms, median ${(during.map((p) => p.health).sort((a, b) => a - b)[Math.floor(during.length / 2)] ?? 0).toFixed(0)} ms`);

    // ---- 1. four parallel 100 MB anonymous POSTs
    const pid = s.child.pid!;
    const before = rssMb(pid);
    let maxRss = before;
    const watch = setInterval(() => (maxRss = Math.max(maxRss, rssMb(pid))), 50);
    const healthDuring: number[] = [];
    let posting = true;
    const healthLoop = (async () => { while (posting) { healthDuring.push(await timed(`${s.base}/healthz`)); await new Promise((r) => setTimeout(r, 20)); } })();
    const postStart = performance.now();
    const statuses = await Promise.all([hugePost(s.base, 100 * 1024 * 1024, false), hugePost(s.base, 100 * 1024 * 1024, false), hugePost(s.base, 100 * 1024 * 1024, true), hugePost(s.base, 100 * 1024 * 1024, true)]);
    const postMs = performance.now() - postStart;
    posting = false;
    await healthLoop;
    clearInterval(watch);
    console.log(`4 x 100 MB anonymous POST /sign-in: answers ${statuses.join(', ')} in ${postMs.toFixed(0)} ms; server RSS ${before.toFixed(0)} MB before, peak ${maxRss.toFixed(0)} MB, ${rssMb(pid).toFixed(0)} MB after; /healthz during: ${healthDuring.length} probes, max ${Math.max(...healthDuring).toFixed(0)} ms`);

    const form = (password: string) => ({ method: 'POST', body: new URLSearchParams({ email: 'ada@example.test', password }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, redirect: 'manual' as const });
    // ---- 3. the open-redirect corpus (signed in through a GET with the session cookie)
    const r = await fetch(`${s.base}/sign-in`, { ...form(PASSWORD), headers: { ...form(PASSWORD).headers, Cookie: '' } });
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    let offsite = 0;
    let errors = 0;
    for (const p of HOSTILE) {
      const res = await fetch(`${s.base}/sign-in?next=${encodeURIComponent(p)}`, { headers: { Cookie: cookie }, redirect: 'manual' });
      if (res.status >= 500) errors += 1;
      const loc = res.headers.get('location');
      if (loc !== null && new URL(loc, s.base).origin !== s.base) offsite += 1;
    }
    console.log(`open-redirect corpus: ${HOSTILE.length} payloads (signed-in GET; sign-in answered ${r.status}): ${offsite} left the site, ${errors} answered 5xx`);
    // ---- 2. 50 parallel wrong passwords for one account
    const race = await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${s.base}/sign-in`, form(`wrong ${i}`)).then((r) => r.status)));
    const count = (st: number) => race.filter((x) => x === st).length;
    console.log(`50 parallel wrong passwords, one account: ${count(401)} checked (401), ${count(429)} refused before the hash (429), others ${race.length - count(401) - count(429)}`);

    s.child.kill('SIGTERM');
    await new Promise((res) => s.child.once('exit', res));
  } finally {
    tmp.remove();
  }
}

await main();
