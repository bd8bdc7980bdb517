import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { openSetup } from '../../src/auth/setup.ts';
import { orgQueries } from '../../src/read/org.ts';
import { tempDir, testHallway } from '../helpers.ts';
import { BIN } from '../cli/run-cli.ts';

const post = (fields: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
});
const good = { name: 'First Admin', email: 'first@example.test', departmentName: 'People & Culture', password: 'the very first admin' };

describe('first run', () => {
  let now = Date.parse('2026-11-20T08:00:00Z');
  let h: Awaited<ReturnType<typeof testHallway>>;
  beforeAll(async () => {
    h = await testHallway({ clock: () => new Date(now) });
  });
  afterAll(async () => h.dispose());

  it('has no setup page without the printed token', async () => {
    expect((await h.app.request('/setup/anything')).status).toBe(404);
    expect((await h.app.request('/setup/anything', post(good))).status).toBe(404);
  });

  it('an unused link expires after an hour', async () => {
    const link = openSetup(h)!;
    const path = new URL(link).pathname;
    expect((await h.app.request(path)).status).toBe(200);
    now += 3600_000;
    expect((await h.app.request(path)).status).toBe(404);
  });

  it('creates the first admin through the link: bad input is 422 beside the field, then it signs in', async () => {
    const link = openSetup(h)!;
    expect(link).toMatch(/^http:\/\/localhost:3000\/setup\/[a-z2-9]{48}$/);
    const path = new URL(link).pathname;
    const before = await h.store.headPosition();
    const bad = await h.app.request(path, post({ ...good, email: 'not-an-email', password: 'short' }));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toMatch(/id="email-error"[^>]*>Email must be an email address/);
    expect(html).toMatch(/id="password-error"[^>]*>Password must be at least 12 characters/);
    expect(html).toContain('value="First Admin"');
    expect(await h.store.headPosition()).toBe(before);

    const ok = await h.app.request(path, post(good));
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin');
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await h.app.request('/admin', { headers: { Cookie: cookie } })).status).toBe(200);
    const admin = orgQueries(h.runtime.db).employeeByEmail('first@example.test');
    expect(admin?.roles).toEqual(['admin']);
    expect(orgQueries(h.runtime.db).department(admin!.departmentId)?.name).toBe('People & Culture');

    // the link is dead now, and a second admin cannot be made through it
    const head = await h.store.headPosition();
    expect((await h.app.request(path)).status).toBe(410);
    expect((await h.app.request(path, post({ ...good, email: 'second@example.test' }))).status).toBe(410);
    expect(await h.store.headPosition()).toBe(head);
    expect(openSetup(h)).toBeNull();
  });
});

describe('two setup posts at once', () => {
  it('create one admin, not two', async () => {
    const h = await testHallway();
    try {
      const path = new URL(openSetup(h)!).pathname;
      const [a, b] = await Promise.all([
        h.app.request(path, post({ ...good, email: 'a@example.test' })),
        h.app.request(path, post({ ...good, email: 'b@example.test' })),
      ]);
      expect([a.status, b.status].sort()).toEqual([303, 404]);
      expect(orgQueries(h.runtime.db).adminCount()).toBe(1);
    } finally {
      await h.dispose();
    }
  });
});

describe('`hallway serve` on an empty archive', () => {
  it('prints the one-time setup link on the console (standard error, outside the JSON log)', async () => {
    const tmp = tempDir();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, HALLWAY_DATA_DIR: tmp.dir, PORT: String(40_000 + Math.floor(Math.random() * 20_000)), EVENTSTORE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no setup link printed: ${out}`)), 20_000);
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /No admin yet.*(http:\/\/\S+\/setup\/[a-z2-9]{48})/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      expect(line).toMatch(/\/setup\/[a-z2-9]{48}$/);
      // the JSON log on standard output says it is ready, and never holds the token
      const token = line.slice(-48);
      await new Promise<void>((resolve) => {
        const done = (): void => (/caught up with the log: ready/.test(log) ? resolve() : undefined);
        child.stdout.on('data', done);
        done();
      });
      expect(log).not.toContain(token);
      for (const l of log.split('\n').filter(Boolean)) expect(() => JSON.parse(l), l).not.toThrow();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
      tmp.remove();
    }
  });
});
