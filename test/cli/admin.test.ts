import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminCommand, cliActor } from '../../src/cli/admin.ts';
import { orgQueries } from '../../src/read/org.ts';
import { cookieFor, givenEmployee } from '../auth-helpers.ts';
import { testHallway } from '../helpers.ts';
import { runCli } from './run-cli.ts';

/**
 * `hallway admin` against a data directory that a running Hallway (the test's `server`: store,
 * every projection, the HTTP app) has open at the same time, as `hallway serve` would. Most cases
 * call the command function in this process (its own store and views connections); two spawn
 * the real `bin/hallway.mjs`.
 */
type Server = Awaited<ReturnType<typeof testHallway>>;

const PUBLIC_URL = 'https://hallway.example';

async function admin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await adminCommand(args);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** The running server has caught up with everything in the log (as it does within a second). */
async function serverSeesAll(server: Server): Promise<void> {
  await server.runtime.waitFor(await server.store.headPosition(), 3000);
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
});

describe('hallway admin', () => {
  let server: Server;
  const env = { HALLWAY_DATA_DIR: process.env['HALLWAY_DATA_DIR'], EVENTSTORE_URL: process.env['EVENTSTORE_URL'], HALLWAY_PUBLIC_URL: process.env['HALLWAY_PUBLIC_URL'] };

  beforeAll(async () => {
    server = await testHallway({ env: { HALLWAY_PUBLIC_URL: PUBLIC_URL } });
    process.env['HALLWAY_DATA_DIR'] = server.dir;
    process.env['HALLWAY_PUBLIC_URL'] = PUBLIC_URL;
    delete process.env['EVENTSTORE_URL'];
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server.dispose();
  });
  afterEach(() => vi.restoreAllMocks());

  it('setup-link on an archive with no admin explains where the link comes from, prints nothing on stdout and fails', async () => {
    const r = await admin(['setup-link']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('printed by `hallway serve` when it starts');
    expect(r.stderr).toContain('hallway admin grant PERSON admin');
  });

  it('list-admins prints one ID<TAB>NAME<TAB>EMAIL line per current admin, none for others or leavers', async () => {
    const empty = await admin(['list-admins']);
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    expect(empty.stderr).toContain('there is no admin');

    const zoe = await givenEmployee(server, { name: 'Zoë Admin', roles: ['admin', 'curator'] });
    const ada = await givenEmployee(server, { name: 'Ada Admin', roles: ['admin'] });
    await givenEmployee(server, { name: 'Cal Curator', roles: ['curator'] });
    const gone = await givenEmployee(server, { name: 'Gone Admin', roles: ['admin'] });
    await server.store.append(`employee-${gone.employeeId}`, [{ id: server.newId(), type: 'EmployeeLeft', data: { employeeId: gone.employeeId }, metadata: { at: new Date().toISOString(), actor: 'system' } }]);

    const r = await admin(['list-admins']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${ada.employeeId}\tAda Admin\t${ada.email}\n${zoe.employeeId}\tZoë Admin\t${zoe.email}\n`);
  });

  it('grant by email (any case) appends one EmployeeRoleGranted by cli:<os user>, which the running server picks up; granting again appends nothing', async () => {
    const p = await givenEmployee(server, { name: 'Lee Leader' });
    const before = await server.store.headPosition();
    const r = await admin(['grant', p.email.toUpperCase(), 'leader']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`granted leader to Lee Leader (${p.employeeId}, ${p.email})\n`);

    const appended = await server.store.readAll({ after: before, limit: 100 });
    expect(appended.map((e) => [e.type, e.data, e.metadata.actor])).toEqual([['EmployeeRoleGranted', { employeeId: p.employeeId, role: 'leader' }, cliActor()]]);
    expect(cliActor()).toMatch(/^cli:[^\s]+$/);
    await serverSeesAll(server);
    expect(orgQueries(server.runtime.db).employee(p.employeeId)!.roles).toEqual(['leader']);

    const again = await admin(['grant', p.employeeId, 'leader']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect(await server.store.headPosition()).toBe(appended[0]!.position);
  });

  it('revoke refuses the last admin (exit 1, nothing appended), and works once another admin exists', async () => {
    // the admins so far: Ada and Zoë; take Zoë's admin away, leaving Ada the last one
    const q = orgQueries(server.runtime.db);
    const [ada, zoe] = q.employees().filter((e) => !e.leftAt && e.roles.includes('admin'));
    const first = await admin(['revoke', zoe!.employeeId, 'admin']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`revoked admin from Zoë Admin`);

    const head = await server.store.headPosition();
    const last = await admin(['revoke', ada!.email!, 'admin']);
    expect(last.code).toBe(1);
    expect(last.stdout).toBe('');
    expect(last.stderr).toBe(`hallway admin revoke: Ada Admin (${ada!.employeeId}, ${ada!.email}): is the last admin: grant admin to someone else first\n`);
    expect(await server.store.headPosition()).toBe(head);

    expect((await admin(['grant', zoe!.employeeId, 'admin'])).code).toBe(0);
    expect((await admin(['revoke', ada!.employeeId, 'admin'])).code).toBe(0);
    await serverSeesAll(server);
    expect(q.employee(ada!.employeeId)!.roles).toEqual([]);
    expect(q.employee(zoe!.employeeId)!.roles).toEqual(['admin', 'curator']);
  });

  it('refuses a bad role, an unknown person, a wrong number of arguments and an unknown subcommand, appending nothing', async () => {
    const p = await givenEmployee(server);
    const head = await server.store.headPosition();
    const badRole = await admin(['grant', p.employeeId, 'overlord']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('ROLE must be curator, leader or admin, got "overlord"');
    const nobody = await admin(['invite', 'nobody@example.test']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toBe('hallway admin invite: no employee with the id or email "nobody@example.test"\n');
    expect((await admin(['end-sessions'])).code).toBe(2);
    expect((await admin(['grant', p.employeeId])).code).toBe(2);
    const unknown = await admin(['promote', p.employeeId]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown subcommand "promote"');
    expect((await admin(['constructor'])).code).toBe(2);
    for (const r of [badRole, nobody, unknown]) expect(r.stdout).toBe('');
    expect(await server.store.headPosition()).toBe(head);
  });

  it('invite refuses someone who has left, with nothing appended', async () => {
    const p = await givenEmployee(server);
    await server.store.append(`employee-${p.employeeId}`, [{ id: server.newId(), type: 'EmployeeLeft', data: { employeeId: p.employeeId }, metadata: { at: new Date().toISOString(), actor: 'system' } }]);
    const head = await server.store.headPosition();
    const r = await admin(['invite', p.employeeId]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('only current employees can be invited');
    expect(await server.store.headPosition()).toBe(head);
  });

  it('end-sessions ends every open session of the person (SessionEnded, revoked) and their cookies stop working on the running server', async () => {
    const p = await givenEmployee(server, { name: 'Sam Signedin' });
    const cookies = [await cookieFor(server, p.employeeId), await cookieFor(server, p.employeeId)];
    for (const cookie of cookies) expect((await server.app.request('/', { headers: { Cookie: cookie } })).status).toBe(200);
    const before = await server.store.headPosition();

    const r = await admin(['end-sessions', p.email]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`ended 2 sessions of Sam Signedin (${p.employeeId}, ${p.email})\n`);
    const appended = await server.store.readAll({ after: before, limit: 100 });
    expect(appended.map((e) => [e.type, (e.data as { reason?: string }).reason, e.metadata.actor])).toEqual([
      ['SessionEnded', 'revoked', cliActor()],
      ['SessionEnded', 'revoked', cliActor()],
    ]);
    await serverSeesAll(server);
    for (const cookie of cookies) expect((await server.app.request('/', { headers: { Cookie: cookie } })).status).toBe(303);

    const none = await admin(['end-sessions', p.employeeId]);
    expect(none.stdout).toContain('ended 0 sessions');
  });

  it('the real `hallway admin invite` prints only a working link on stdout: the person sets a password with it and signs in', async () => {
    const p = await givenEmployee(server, { name: 'Locked Out' });
    const r = await runCli(['admin', 'invite', p.email], server.dir, { HALLWAY_PUBLIC_URL: PUBLIC_URL });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^https:\/\/hallway\.example\/invitation\/[a-z2-9]{48}\n$/);
    expect(r.stderr).toContain(`invitation for Locked Out (${p.employeeId}`);
    const path = new URL(r.stdout.trim()).pathname;

    await serverSeesAll(server);
    const page = await server.app.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Locked Out');
    const password = 'a long and fresh passphrase 42';
    const set = await server.app.request(path, form({ password, confirm: password }));
    expect(set.status, await set.clone().text()).toBe(303);
    const signIn = await server.app.request('/sign-in', form({ email: p.email, password }));
    expect(signIn.status).toBe(303);
    // used up: the link works once
    expect((await server.app.request(path)).status).toBe(404);
  });

  it('the real `hallway admin revoke` of the last admin exits non-zero with the reason on stderr', async () => {
    const q = orgQueries(server.runtime.db);
    const admins = q.employees().filter((e) => !e.leftAt && e.roles.includes('admin'));
    expect(admins).toHaveLength(1);
    const head = await server.store.headPosition();
    const r = await runCli(['admin', 'revoke', admins[0]!.employeeId, 'admin'], server.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is the last admin');
    expect(await server.store.headPosition()).toBe(head);
  });
});
