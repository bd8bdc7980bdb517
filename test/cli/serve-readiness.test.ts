import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/http/app.ts';
import { openHallway } from '../../src/services.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import type { BatchAppend } from '../../src/store/port.ts';
import { freePort, tempDir } from '../helpers.ts';
import { BIN } from './run-cli.ts';

/** A log of `stories` stories by a few tellers (appended straight to the store, no views). */
async function bigLog(dataDir: string, stories: number): Promise<void> {
  const store = openEmbeddedStore(join(dataDir, 'events.db'), { synchronous: 'NORMAL' });
  const at = '2026-01-05T10:00:00.000Z';
  let n = 0;
  const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const items: BatchAppend[] = [
    { stream: 'department-d1', events: [{ id: id(), type: 'DepartmentOpened', data: { departmentId: 'd1', name: 'Ops' }, metadata: { at } }] },
  ];
  for (let t = 0; t < 5; t++) {
    items.push({ stream: `employee-e${t}`, events: [{ id: id(), type: 'EmployeeJoined', data: { employeeId: `e${t}`, name: `Teller ${t}`, departmentId: 'd1', joinedOn: '2020-01-01' }, metadata: { at } }] });
  }
  await store.appendBatch(items);
  for (let i = 0; i < stories; i += 5000) {
    const batch: BatchAppend[] = [];
    for (let j = i; j < Math.min(stories, i + 5000); j++) {
      batch.push({
        stream: `story-s${j}`,
        events: [{
          id: id(), type: 'StorySubmitted',
          data: { storyId: `s${j}`, title: `Story ${j}`, body: `It happened on day ${j}, in the hallway.`, tellerId: `e${j % 5}`, leader: `Leader ${j % 40}`, happenedIn: 'd1', occurredOn: '2024-05', themes: [], relation: 'witnessed', anonymous: false },
          metadata: { at, actor: `e${j % 5}`, v: 2 },
        }],
      });
    }
    await store.appendBatch(batch);
  }
  await store.close();
}

describe('start-up readiness (issue 9, finding 7)', () => {
  const tmp = tempDir();
  beforeAll(async () => bigLog(tmp.dir, 40_000), 120_000);
  afterAll(() => tmp.remove());

  it('in process: before catch-up pages are 503 with Retry-After, /healthz 200, /readyz 503; after, 200', async () => {
    const hallway = await openHallway(loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: '3000' }), { log: () => {}, waitForCatchUp: false });
    try {
      const app = createApp(hallway);
      const page = await app.request('/sign-in');
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      expect(await page.text()).toContain('catching up');
      const post = await app.request('/sign-in', { method: 'POST', body: 'email=a%40b.c&password=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(post.status).toBe(503);
      expect((await app.request('/healthz')).status).toBe(200);
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, caughtUp: false, store: 'reachable' });
      await hallway.runtime.caughtUp;
      // ready once caught up and any unfinished erasure is finished (services.ts), a moment later
      await expect.poll(async () => (await app.request('/readyz')).status, { timeout: 10_000, interval: 20 }).toBe(200);
      expect((await app.request('/sign-in')).status).toBe(200);
    } finally {
      await hallway.close();
    }
  }, 120_000);

  it('`hallway serve` as a child process on a log far ahead of its views: listens at once, 503 then 200, started from another directory', async () => {
    // the views are gone (as after a killed rebuild): serve must catch up 40,000 events
    for (const f of ['views.db', 'views.db-wal', 'views.db-shm']) if (existsSync(join(tmp.dir, f))) rmSync(join(tmp.dir, f));
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, HALLWAY_DATA_DIR: tmp.dir, PORT: String(port), EVENTSTORE_URL: '' },
      // started from another directory, as an installed `hallway` is: its views must still compile as hono/jsx
      cwd: tmp.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          if (out.includes('serving on')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      const [health, ready, page] = await Promise.all([fetch(`${base}/healthz`), fetch(`${base}/readyz`), fetch(`${base}/sign-in`)]);
      expect(health.status).toBe(200);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, caughtUp: false, store: 'reachable' });
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      expect(await page.text()).toContain('catching up');
      const deadline = Date.now() + 100_000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = (await fetch(`${base}/readyz`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
      expect((await fetch(`${base}/sign-in`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  }, 150_000);
});
