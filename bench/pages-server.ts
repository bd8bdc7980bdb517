/**
 * The server side of bench/pages.ts, run in its own process so that autocannon (the client) does
 * not share the server's event loop. Loads the demo company like `hallway demo` does into a
 * temporary data directory, opens Hallway over it and serves the real app on @hono/node-server,
 * beside Hono's hello-world (the ceiling). Prints one JSON line ({ app, hello, cookies }) on
 * standard output when ready, then answers commands, one per line on standard input:
 *   eld-start  reset the event-loop delay monitor
 *   eld        print {"maxMs": …, "p99Ms": …, "rssMb": …} (delay since eld-start, resident memory now)
 *   has <id>   print {"has": true|false, "at": ms}: whether /stories/<id> answers 200 for the employee
 *   dir        print {"dir": …} (the data directory, for a second process to import into)
 * and shuts down (flushing pending work) when standard input ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
import { loadConfig } from '../src/config.ts';
import { createApp } from '../src/http/app.ts';
import { importFile } from '../src/importer.ts';
import { openHallway } from '../src/services.ts';
import { openStore } from '../src/store/open.ts';

const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-pages-'));
const config = loadConfig({ HALLWAY_DATA_DIR: dir, PORT: '3000' });
// the demo's "today", so the new hire is new and the 30-day dashboard has the demo's recent weeks
const now = Date.parse(`${DEMO_TODAY}T12:00:00Z`);

const seedStore = await openStore(config);
await importFile(seedStore, DEMO_FILE);
await seedStore.close();

const hallway = await openHallway(config, { clock: () => new Date(now), log: (m) => process.stderr.write(`${m}\n`), projectIn: 'worker' });
const app = createApp(hallway);
const cookies: Record<string, string> = {};
for (const [role, employeeId] of Object.entries(DEMO_ACCOUNTS)) {
  cookies[role] = `${SESSION_COOKIE}=${(await createSession(hallway, employeeId)).token}`;
}

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
reply({ app: portOf(appServer), hello: portOf(helloServer), cookies });

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'eld-start') {
    eld.reset();
    reply({ ok: true });
  } else if (cmd === 'eld') {
    // rss: the whole process, the projection worker's thread included
    reply({ maxMs: eld.max / 1e6, p99Ms: eld.percentile(99) / 1e6, rssMb: process.memoryUsage().rss / 2 ** 20 });
  } else if (cmd === 'dir') {
    reply({ dir });
  } else if (cmd === 'has') {
    const res = await app.request(`/stories/${arg}`, { headers: { Cookie: cookies['employee']! } });
    await res.text();
    reply({ has: res.status === 200, at: Date.now() });
  }
}
eld.disable();
await new Promise<void>((r) => appServer.close(() => r()));
await new Promise<void>((r) => helloServer.close(() => r()));
await hallway.close();
rmSync(dir, { recursive: true, force: true });
