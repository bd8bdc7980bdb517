import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openHallway } from '../../src/services.ts';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../src/auth/sessions.ts';
import { exportEvents } from '../../src/cli/export.ts';
import { addEmployee } from '../../src/auth/people.ts';
import { tempDir, testHallway } from '../helpers.ts';
import { givenDepartment, givenEmployee } from '../auth-helpers.ts';
import { runCli } from '../cli/run-cli.ts';

const DAY = 24 * 3600_000;
const formPost = (fields: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
});
const cookieOf = (res: Response): string => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

describe('sessions survive a restart and end on sign-out', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('the same cookie works after closing Hallway and opening it again on the same data directory', async () => {
    const config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: '3000' });
    const first = await openHallway(config, { log: () => {} });
    await givenEmployee(first, { email: 'restart@example.test', password: 'restart me please 1' });
    const signIn = await createApp(first).request('/sign-in', formPost({ email: 'restart@example.test', password: 'restart me please 1' }));
    expect(signIn.status).toBe(303);
    const cookie = cookieOf(signIn);
    await first.close();

    const second = await openHallway(config, { log: () => {} });
    const app = createApp(second);
    const home = await app.request('/', { headers: { Cookie: cookie } });
    expect(home.status).toBe(200);
    const out = await app.request('/sign-out', { method: 'POST', headers: { Cookie: cookie, Origin: 'http://localhost' } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/hallway_session=;.*Max-Age=0/);
    const after = await app.request('/', { headers: { Cookie: cookie } });
    expect(after.status).toBe(303);
    await second.close();
  });
});

describe('sliding expiry, idle and absolute limits (a fake clock: time is an input)', () => {
  let now = Date.parse('2026-03-02T09:00:00Z');
  let h: Awaited<ReturnType<typeof testHallway>>;
  beforeAll(async () => {
    h = await testHallway({ clock: () => new Date(now) });
    await givenEmployee(h, { email: 'clock@example.test', password: 'time is an input 1' });
  });
  afterAll(async () => h.dispose());

  const signIn = async (): Promise<string> => cookieOf(await h.app.request('/sign-in', formPost({ email: 'clock@example.test', password: 'time is an input 1' })));
  const types = async (): Promise<string[]> => (await h.store.readAll({ limit: 100_000 })).map((e) => `${e.type}${e.type === 'SessionEnded' ? `:${(e.data as { reason: string }).reason}` : ''}`);

  it('a session used in the first half of its window is not extended; in the last half it is', async () => {
    const cookie = await signIn();
    const before = (await types()).filter((t) => t === 'SessionExtended').length;
    now += 2 * DAY;
    const early = await h.app.request('/', { headers: { Cookie: cookie } });
    expect(early.status).toBe(200);
    expect(early.headers.get('set-cookie')).toBeNull();
    expect((await types()).filter((t) => t === 'SessionExtended').length).toBe(before);

    now += 2 * DAY; // 4 days in: less than half of the 7-day window left
    const late = await h.app.request('/', { headers: { Cookie: cookie } });
    expect(late.status).toBe(200);
    const set = late.headers.get('set-cookie') ?? '';
    expect(set).toContain(cookie);
    expect(new Date(/Expires=([^;]+)/.exec(set)![1]!).getTime()).toBe(Math.floor((now + SESSION_IDLE_MS) / 1000) * 1000);
    expect((await types()).filter((t) => t === 'SessionExtended').length).toBe(before + 1);

    // 6 more days: past the original expiry, inside the extended one
    now += 6 * DAY;
    expect((await h.app.request('/', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('a session not used for the idle limit has expired (and SessionEnded expired is recorded)', async () => {
    const cookie = await signIn();
    now += SESSION_IDLE_MS + 1000;
    const res = await h.app.request('/', { headers: { Cookie: cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/sign-in/);
    expect(await types()).toContain('SessionEnded:expired');
  });

  it('however active, a session ends at the absolute limit', async () => {
    const cookie = await signIn();
    const started = now;
    while (now + 3 * DAY < started + SESSION_MAX_MS) {
      now += 3 * DAY;
      expect((await h.app.request('/', { headers: { Cookie: cookie } })).status).toBe(200);
    }
    now = started + SESSION_MAX_MS;
    expect((await h.app.request('/', { headers: { Cookie: cookie } })).status).toBe(303);
  });
});

describe('nothing in the log lets a reader sign in', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  const password = 'never in clear text 7';
  let token = '';
  let invitation = '';
  beforeAll(async () => {
    h = await testHallway();
    await givenEmployee(h, { email: 'secret@example.test', password });
    token = cookieOf(await h.app.request('/sign-in', formPost({ email: 'secret@example.test', password }))).split('=')[1]!;
    await givenDepartment(h, 'dept-x');
    const inv = await addEmployee(h, 'system', { employeeId: 'emp-inv', name: 'Invited', email: 'inv@example.test', departmentId: 'dept-x', joinedOn: '2026-01-01' });
    if ('token' in inv) invitation = inv.token;
  });
  afterAll(async () => h.dispose());

  const assertNoSecrets = (text: string) => {
    expect(text).toContain('"PasswordSet"');
    expect(text).toContain('"SessionStarted"');
    expect(text).toContain('"InvitationIssued"');
    expect(text).toContain('$argon2id$');
    const [sessionId, secret] = token.split('.') as [string, string];
    expect(text).toContain(sessionId); // the id is not a secret
    expect(text).not.toContain(secret);
    expect(text).not.toContain(password);
    expect(invitation).toMatch(/^[a-z2-9]{48}$/);
    expect(text).not.toContain(invitation);
  };

  it('export --include-auth (the export code) holds hashes only', async () => {
    let out = '';
    await exportEvents(h.store, async (chunk) => void (out += chunk), { includeAuth: true });
    assertNoSecrets(out);
  });

  it('`hallway export --include-auth` run as a command holds hashes only', async () => {
    const r = await runCli(['export', '--include-auth'], h.dir);
    expect(r.code).toBe(0);
    assertNoSecrets(r.stdout);
  });
});
