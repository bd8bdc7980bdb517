import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { cookieFor, formHeaders, givenDepartment, signedIn } from '../auth-helpers.ts';
import { orgQueries } from '../../src/read/org.ts';

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

describe('administration', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  const post = (path: string, fields: Record<string, string>, extra: Record<string, string> = {}) =>
    h.app.request(path, { method: 'POST', body: form(fields), headers: { ...formHeaders(admin.cookie), ...extra } });
  const get = (path: string, cookie = admin.cookie) => h.app.request(path, { headers: { Cookie: cookie } });
  const head = () => h.store.headPosition();

  beforeAll(async () => {
    h = await testHallway();
    await givenDepartment(h, 'dept-noc', 'Network Operations Centre');
    admin = await signedIn(h, { roles: ['admin'], departmentId: 'dept-noc', name: 'Ada Admin' });
  });
  afterAll(async () => h.dispose());

  describe('departments', () => {
    it('opens, renames and closes a department (no JavaScript: 303 back to the list)', async () => {
      const opened = await post('/admin/departments', { name: 'Field Repair', departmentId: 'dept-repair' });
      expect(opened.status).toBe(303);
      expect(opened.headers.get('location')).toBe('/admin/departments?done=opened');
      expect(orgQueries(h.runtime.db).department('dept-repair')).toMatchObject({ name: 'Field Repair', open: true });

      const renamed = await post('/admin/departments/dept-repair/rename', { name: 'Repair <& Field>' });
      expect(renamed.status).toBe(303);
      const page = await (await get('/admin/departments')).text();
      expect(page).toContain('Repair &lt;&amp; Field&gt;');
      expect(page).not.toContain('Repair <& Field>');

      const closed = await post('/admin/departments/dept-repair/close', {});
      expect(closed.status).toBe(303);
      expect(orgQueries(h.runtime.db).department('dept-repair')?.open).toBe(false);
    });

    it('re-renders the form with 422 and the message beside the field; nothing appended', async () => {
      const before = await head();
      const blank = await post('/admin/departments', { name: '   ', departmentId: '' });
      expect(blank.status).toBe(422);
      const html = await blank.text();
      expect(html).toMatch(/id="open-name-error"[^>]*>Name is required/);
      const taken = await post('/admin/departments', { name: 'Again', departmentId: 'dept-noc' });
      expect(taken.status).toBe(422);
      expect(await taken.text()).toMatch(/id="open-departmentId-error"[^>]*>Id is already used by another department/);
      const busy = await post('/admin/departments/dept-noc/close', {});
      expect(busy.status).toBe(422);
      expect(await busy.text()).toContain('still has 1 person');
      expect(await head()).toBe(before);
    });

    it('answers htmx with the admin frame only, not the whole layout', async () => {
      const res = await post('/admin/departments', { name: 'Sales', departmentId: 'dept-sales' }, { 'HX-Request': 'true' });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html.startsWith('<div id="admin-page"')).toBe(true);
      expect(html).toContain('Department opened.');
      expect(html).not.toContain('<html');
    });
  });

  describe('people', () => {
    let invitationUrl = '';
    let personId = '';

    it('adds a person and shows their invitation link once; the log holds only its hash', async () => {
      const res = await post('/admin/people', { name: 'Grace Hopper', email: 'Grace@Example.test', departmentId: 'dept-noc', joinedOn: '2024-02-01', employeeId: 'emp-grace' });
      expect(res.status).toBe(200);
      const html = await res.text();
      const m = html.match(/value="(http:\/\/localhost:3000\/invitation\/([a-z2-9]{48}))"/);
      expect(m).not.toBeNull();
      invitationUrl = m![1]!;
      personId = 'emp-grace';
      const log = JSON.stringify(await h.store.readAll({ limit: 10_000 }));
      expect(log).not.toContain(m![2]!);
      expect(log).toContain('"InvitationIssued"');
      // the list no longer shows it
      expect(await (await get('/admin/people')).text()).not.toContain(m![2]!);
    });

    it('lets only one of two admins adding the same email at the same moment succeed', async () => {
      // two browsers post the add-person form at once, with different ids and the same email
      const [a, b] = await Promise.all([
        post('/admin/people', { name: 'Twin One', email: 'twin@example.test', departmentId: 'dept-noc', joinedOn: '2024-03-01', employeeId: 'emp-twin-1' }),
        post('/admin/people', { name: 'Twin Two', email: 'TWIN@example.test', departmentId: 'dept-noc', joinedOn: '2024-03-01', employeeId: 'emp-twin-2' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 422]);
      const holders = orgQueries(h.runtime.db).employees().filter((e) => e.email === 'twin@example.test');
      expect(holders).toHaveLength(1);
    });

    it('refuses an email another employee has claimed, beside the email field', async () => {
      const before = await head();
      const res = await post('/admin/people', { name: 'Grace Again', email: 'grace@example.TEST', departmentId: 'dept-noc', joinedOn: '2024-02-01', employeeId: '' });
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(/id="add-email-error"[^>]*>Email is already in use/);
      const closed = await post('/admin/people', { name: 'Kim', email: 'kim@example.test', departmentId: 'dept-repair', joinedOn: '2024-02-01', employeeId: '' });
      expect(closed.status).toBe(422);
      expect(await closed.text()).toContain('Department is closed');
      const bad = await post('/admin/people', { name: 'Kim', email: 'nope', departmentId: 'dept-noc', joinedOn: '2024-02-31', employeeId: 'bad id!' });
      expect(bad.status).toBe(422);
      const html = await bad.text();
      expect(html).toContain('Email must be an email address');
      expect(html).toContain('Joining date is not a real date');
      expect(html).toContain('Employee id must be 1–64 letters');
      expect(await head()).toBe(before);
    });

    it('lets the invited person set a password (policy beside the field) and signs them in', async () => {
      const path = new URL(invitationUrl).pathname;
      const page = await h.app.request(path);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Welcome to Hallway, Grace Hopper');
      const short = await h.app.request(path, { method: 'POST', body: form({ password: 'short', confirm: 'short' }), headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(short.status).toBe(422);
      expect(await short.text()).toMatch(/id="password-error"[^>]*>Password must be at least 12 characters/);
      const common = await h.app.request(path, { method: 'POST', body: form({ password: 'password1234', confirm: 'password1234' }), headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(common.status).toBe(422);
      expect(await common.text()).toContain('is one of the most common passwords');
      const ok = await h.app.request(path, { method: 'POST', body: form({ password: 'a long and unusual phrase', confirm: 'a long and unusual phrase' }), headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(ok.status).toBe(303);
      const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect(cookie).toMatch(/^hallway_session=/);
      expect((await get('/', cookie)).status).not.toBe(303);
      // the link works once
      expect((await h.app.request(path)).status).toBe(404);
      // and the password signs in
      const signIn = await h.app.request('/sign-in', { method: 'POST', body: form({ email: 'grace@example.test', password: 'a long and unusual phrase' }), headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(signIn.status).toBe(303);
    });

    it('transfers, refusing a closed department beside the field', async () => {
      const closed = await post(`/admin/people/${personId}/transfer`, { departmentId: 'dept-repair' });
      expect(closed.status).toBe(422);
      expect(await closed.text()).toContain('New department is closed');
      const ok = await post(`/admin/people/${personId}/transfer`, { departmentId: 'dept-sales' });
      expect(ok.status).toBe(303);
      expect(orgQueries(h.runtime.db).employee(personId)?.departmentId).toBe('dept-sales');
    });

    it('grants and revokes roles, and refuses revoking the last admin', async () => {
      expect((await post(`/admin/people/${personId}/roles`, { role: 'curator', action: 'grant' })).status).toBe(303);
      expect(orgQueries(h.runtime.db).employee(personId)?.roles).toEqual(['curator']);
      expect((await post(`/admin/people/${personId}/roles`, { role: 'curator', action: 'revoke' })).status).toBe(303);
      expect(orgQueries(h.runtime.db).employee(personId)?.roles).toEqual([]);
      const last = await post(`/admin/people/${admin.employeeId}/roles`, { role: 'admin', action: 'revoke' });
      expect(last.status).toBe(422);
      expect(await last.text()).toContain('is the last admin');
    });

    it('a role granted or taken away applies to the very next request of a session already in use', async () => {
      // sessions and their person are kept between requests until the read models change (src/auth/sessions.ts)
      const cookie = await cookieFor(h, personId);
      expect((await get('/review', cookie)).status).toBe(403);
      expect((await post(`/admin/people/${personId}/roles`, { role: 'curator', action: 'grant' })).status).toBe(303);
      expect((await get('/review', cookie)).status).toBe(200);
      expect((await post(`/admin/people/${personId}/roles`, { role: 'curator', action: 'revoke' })).status).toBe(303);
      expect((await get('/review', cookie)).status).toBe(403);
    });

    it('ends every session of a person on request', async () => {
      const cookie = await cookieFor(h, personId);
      expect((await get('/', cookie)).status).not.toBe(303);
      expect((await post(`/admin/people/${personId}/sessions/end`, {})).status).toBe(303);
      expect((await get('/', cookie)).status).toBe(303);
    });

    it('marks a person as left: each of their sessions ends (SessionEnded revoked) and they cannot sign in', async () => {
      const cookies = [await cookieFor(h, personId), await cookieFor(h, personId)];
      const sessionIds = cookies.map((c) => c.split('=')[1]!.split('.')[0]!);
      const res = await post(`/admin/people/${personId}/left`, {});
      expect(res.status).toBe(303);
      for (const cookie of cookies) expect((await get('/', cookie)).status).toBe(303);
      const log = await h.store.readAll({ limit: 10_000 });
      for (const id of sessionIds) {
        expect(log.filter((e) => e.stream === `session-${id}` && e.type === 'SessionEnded').map((e) => (e.data as { reason: string }).reason)).toEqual(['revoked']);
      }
      expect(orgQueries(h.runtime.db).employee(personId)?.leftAt).not.toBeNull();
      const signIn = await h.app.request('/sign-in', { method: 'POST', body: form({ email: 'grace@example.test', password: 'a long and unusual phrase' }), headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(signIn.status).toBe(401);
    });
  });

  describe('CSV import', () => {
    const header = 'employeeId,name,email,departmentId,joinedOn\n';
    it('imports every line and shows each invitation link once', async () => {
      const res = await post('/admin/import', { csv: header + 'emp-c1,"Hopper, Grace",c1@example.test,dept-noc,2020-01-15\nemp-c2,Alan Turing,c2@example.test,dept-sales,2021-03-01\n' });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Imported 2 people.');
      expect(html.match(/\/invitation\/[a-z2-9]{48}/g)?.length).toBe(2);
      expect(orgQueries(h.runtime.db).employee('emp-c1')?.name).toBe('Hopper, Grace');
    });
    it('refuses the whole file at the first bad line, with its number and reason; nothing appended', async () => {
      const before = await head();
      const res = await post('/admin/import', { csv: header + 'emp-c3,Ok Person,c3@example.test,dept-noc,2020-01-15\nemp-c4,Bad Date,c4@example.test,dept-noc,2020-13-01\n' });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('Line 3: joinedOn is not a real date. Nothing was imported.');
      expect(await head()).toBe(before);
      expect(orgQueries(h.runtime.db).employee('emp-c3')).toBeUndefined();
    });
    it('takes an uploaded file too', async () => {
      const body = new FormData();
      body.set('file', new File([header + 'emp-c5,File Person,c5@example.test,dept-noc,2020-01-15\n'], 'people.csv', { type: 'text/csv' }));
      const res = await h.app.request('/admin/import', { method: 'POST', body, headers: { Cookie: admin.cookie, Origin: 'http://localhost' } });
      expect(res.status).toBe(200);
      expect(orgQueries(h.runtime.db).employee('emp-c5')?.name).toBe('File Person');
    });
  });

  describe('audit', () => {
    it('lists sign-ins, role changes and revocations, newest first, from the events', async () => {
      const html = await (await get('/admin/audit')).text();
      const kinds = [...html.matchAll(/data-kind="([a-z-]+)"/g)].map((m) => m[1]);
      expect(kinds).toContain('signed-in');
      expect(kinds).toContain('role-granted');
      expect(kinds).toContain('role-revoked');
      expect(kinds).toContain('session-revoked');
      expect(kinds).toContain('left');
      const times = [...html.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1]!);
      expect(times.length).toBeGreaterThan(5);
      expect([...times].sort().reverse()).toEqual(times);
      // "left" happened after the role changes: newest first puts it above them
      expect(kinds.indexOf('left')).toBeLessThan(kinds.indexOf('role-revoked'));
    });
  });
});
