/**
 * Several Hallway processes on one log (issue 8, point 6): two real `hallway serve` children on
 * one EventStoreDB (the wire server, listening on 127.0.0.1 in this test process) and two on one
 * embedded data directory. What one process writes, the other shows: a story told through one is
 * on the other's pages within a second, a session started on one works on the other, a person
 * added on one can sign in on the other. Both processes also shut down on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EsdbWireServer } from '../support/esdb-wire-server.ts';
import { tempDir } from '../helpers.ts';
import { runWithDeadline, startServe } from './processes.ts';
import { join } from 'node:path';
import { createSealKeyFiles } from '../../src/chain/seal.ts';
import { openKeyFile } from '../../src/privacy/keys.ts';
import { serveKeyKeeper } from '../../src/privacy/key-keeper.ts';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { openEventStoreDB } from '../../src/store/eventstoredb.ts';
import type { EventStore } from '../../src/store/port.ts';
import type { Serving } from './processes.ts';

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

async function signIn(base: string, email: string, password: string): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`${base}/sign-in`, { method: 'POST', headers: FORM, body: form({ email, password }), redirect: 'manual' });
  await res.text();
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  return { status: res.status, cookie };
}

async function page(base: string, path: string, cookie: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

/** polls until `ok`, for at most `ms`; resolves to how long it took, or to undefined */
async function within(ms: number, ok: () => Promise<boolean>): Promise<number | undefined> {
  const start = Date.now();
  for (;;) {
    if (await ok()) return Date.now() - start;
    if (Date.now() - start > ms) return undefined;
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Setup {
  name: string;
  /** environment for the demo command and for serve process 0 and 1 */
  env(i: 'demo' | 0 | 1): Record<string, string>;
  /** a client of the shared log, for what the test reads itself */
  store(): EventStore;
  dispose(): Promise<void>;
}

async function onEventStoreDB(): Promise<Setup> {
  const server = await EsdbWireServer.start();
  const dirs = [tempDir('hallway-procs-'), tempDir('hallway-procs-'), tempDir('hallway-procs-'), tempDir('hallway-keys-')];
  // processes with a data directory each share the key keeper, as docs/trust.md has them do
  const keys = openKeyFile(join(dirs[3]!.dir, 'keys.db'));
  const token = 'several-processes-keeper-token';
  const keeper = await serveKeyKeeper(keys, token, 0, '127.0.0.1');
  return {
    name: 'one EventStoreDB (wire server), a views.db per process, one key keeper',
    env: (i) => ({ EVENTSTORE_URL: server.url, HALLWAY_DATA_DIR: dirs[i === 'demo' ? 2 : i]!.dir, HALLWAY_KEYS_URL: keeper.url, HALLWAY_KEYS_TOKEN: token }),
    store: () => openEventStoreDB(server.url),
    async dispose() {
      await keeper.close();
      await keys.close();
      await server.stop();
      for (const d of dirs) d.remove();
    },
  };
}

async function onEmbedded(): Promise<Setup> {
  const dir = tempDir('hallway-procs-');
  return {
    name: 'one embedded data directory (events.db and views.db shared)',
    env: () => ({ EVENTSTORE_URL: '', HALLWAY_DATA_DIR: dir.dir }),
    store: () => openEmbeddedStore(join(dir.dir, 'events.db')),
    async dispose() {
      dir.remove();
    },
  };
}

for (const make of [onEventStoreDB, onEmbedded]) {
  describe(`two \`hallway serve\` processes on ${make === onEventStoreDB ? 'EventStoreDB' : 'the embedded store'}`, () => {
    let setup: Setup;
    let serves: Serving[] = [];
    let admin: { email: string; password: string };

    beforeAll(async () => {
      setup = await make();
      const demo = await runWithDeadline(['demo'], setup.env('demo'));
      expect(demo.hung, `demo hung: ${demo.stderr}`).toBe(false);
      expect(demo.code, demo.stderr).toBe(0);
      const line = demo.stdout.split('\n').find((l) => l.startsWith('admin '))!;
      const [, email, password] = line.split(' ');
      admin = { email: email!, password: password! };
      // both processes seal with the one key (a Docker secret in the compose stack), from the start
      createSealKeyFiles(join(keys.dir, 'seal.key'));
      const sealing = { HALLWAY_SEAL_KEY_FILE: join(keys.dir, 'seal.key') };
      serves = await Promise.all([startServe({ ...setup.env(0), ...sealing }), startServe({ ...setup.env(1), ...sealing })]);
    }, 180_000);
    const keys = tempDir('hallway-procs-key-');

    afterAll(async () => {
      const codes = await Promise.all(serves.map((s) => s.stop()));
      await setup?.dispose();
      keys.remove();
      // serve shuts down on SIGTERM (on EventStoreDB it used to hang in client.dispose())
      expect(codes).toEqual(serves.map(() => 0));
    }, 60_000);

    it('a session started on one process works on the other', async () => {
      const [a, b] = serves as [Serving, Serving];
      const s = await signIn(a.url, admin.email, admin.password);
      expect(s.status).toBe(303);
      expect((await page(a.url, '/', s.cookie)).status).toBe(200);
      const took = await within(1000, async () => (await page(b.url, '/admin', s.cookie)).status === 200);
      expect(took, 'the session reached the other process within 1 s').toBeDefined();
      // and signing out on the other ends it on the first
      const out = await fetch(`${b.url}/sign-out`, { method: 'POST', headers: { ...FORM, Cookie: s.cookie }, body: '', redirect: 'manual' });
      expect(out.status).toBe(303);
      expect(await within(1000, async () => (await page(a.url, '/', s.cookie)).status !== 200)).toBeDefined();
    }, 30_000);

    it("a story told through one process is on the other's pages within 1 s", async () => {
      const [a, b] = serves as [Serving, Serving];
      const { cookie } = await signIn(a.url, admin.email, admin.password);
      const title = `Told on one process ${Date.now()}`;
      const res = await fetch(`${a.url}/stories`, {
        method: 'POST',
        headers: { ...FORM, Cookie: cookie },
        body: form({ idempotencyKey: crypto.randomUUID(), title, body: 'She listened.\n\nThen she acted.', leader: 'Grace Hopper', occurredOn: '2019-05', relation: 'witnessed' }),
        redirect: 'manual',
      });
      expect(res.status, /field-error[^>]*>([^<]*)/.exec(await res.text())?.[1] ?? '').toBe(303);
      const path = new URL(res.headers.get('location')!, a.url).pathname;
      expect(path).toMatch(/^\/stories\//);
      const took = await within(1000, async () => {
        const p = await page(b.url, path, cookie);
        return p.status === 200 && p.text.includes(title);
      });
      expect(took, "the story was on the other process's page within 1 s").toBeDefined();
      expect((await page(b.url, '/timelines', cookie)).text).toContain(title);
    }, 30_000);

    it('a person added on one process can accept the invitation and sign in on the other', async () => {
      const [a, b] = serves as [Serving, Serving];
      const { cookie } = await signIn(a.url, admin.email, admin.password);
      const email = `new.person.${Date.now()}@example.test`;
      const added = await fetch(`${a.url}/admin/people`, {
        method: 'POST',
        headers: { ...FORM, Cookie: cookie },
        body: form({ name: 'New Person', email, departmentId: 'dept-noc', joinedOn: '2024-03-01', employeeId: '' }),
        redirect: 'manual',
      });
      const html = await added.text();
      expect(added.status, /field-error[^>]*>([^<]*)/.exec(html)?.[1] ?? '').toBe(200);
      const token = /\/invitation\/([^"<\s]+)/.exec(html)?.[1];
      expect(token).toBeDefined();
      expect(await within(1000, async () => (await page(b.url, `/invitation/${token}`, '')).status === 200)).toBeDefined();
      const password = 'a long new password for the test';
      const accepted = await fetch(`${b.url}/invitation/${token}`, { method: 'POST', headers: FORM, body: form({ password, confirm: password }), redirect: 'manual' });
      expect(accepted.status, /field-error[^>]*>([^<]*)/.exec(await accepted.text())?.[1] ?? '').toBe(303);
      const s = await signIn(b.url, email, password);
      expect(s.status).toBe(303);
      expect((await page(b.url, '/', s.cookie)).status).toBe(200);
      // and on the first process too
      expect(await within(1000, async () => (await signIn(a.url, email, password)).status === 303)).toBeDefined();
    }, 30_000);

    it('both processes seal the log, and make one seal per position', async () => {
      const [a, b] = serves as [Serving, Serving];
      const { cookie } = await signIn(a.url, admin.email, admin.password);
      // each process's keeper has sealed at start-up (the demo's head, or every 1,000th event): both show it
      const latest = async (s: Serving): Promise<string | undefined> => /covers the log up to position (\d+)/.exec((await page(s.url, '/admin', cookie)).text)?.[1];
      expect(await within(10_000, async () => (await latest(a)) !== undefined && (await latest(b)) === (await latest(a)))).toBeDefined();
      const store = setup.store();
      try {
        const seals: number[] = [];
        for (let after = 0; ; ) {
          const page = await store.readAll({ after, limit: 1000 });
          for (const e of page) if (e.type === 'LogSealed') seals.push((e.data as { upToPosition: number }).upToPosition);
          if (page.length < 1000) break;
          after = page[page.length - 1]!.position;
        }
        expect(seals.length).toBeGreaterThan(0);
        // the two processes raced for the same positions: one seal each
        expect(new Set(seals).size).toBe(seals.length);
        expect(String(Math.max(...seals))).toBe(await latest(a));
      } finally {
        await store.close();
      }
    }, 30_000);
  });
}
