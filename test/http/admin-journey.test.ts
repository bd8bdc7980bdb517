import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { formHeaders, givenDepartment, givenEmployee, signedIn } from '../auth-helpers.ts';
import { dom, givenStory, settledHead } from './stories-given.ts';
import { auditEntries } from '../../src/projections/audit.ts';
import { isAuthStream } from '../../events/auth.ts';
import { parseEvent } from '../../events/catalogue.ts';

/**
 * Issue 11, admins: the first-run checklist, the audit trail of every change of who can do what
 * and of the organisation (with filters and paging), people paged and searched, transfers that
 * offer only other departments, invitation links with a copy button, and names instead of ids.
 */
describe('administration, issue 11', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
  const post = (path: string, fields: Record<string, string>, cookie = admin.cookie) =>
    h.app.request(path, { method: 'POST', body: form(fields), headers: formHeaders(cookie) });
  const get = (path: string, cookie = admin.cookie, extra: Record<string, string> = {}) => h.app.request(path, { headers: { Cookie: cookie, ...extra } });
  const page = async (path: string) => dom(await (await get(path)).text());
  const kinds = () => auditEntries(h.runtime.db, { limit: 500 }).map((e) => e.kind);

  beforeAll(async () => {
    h = await testHallway();
    await givenDepartment(h, 'dept-first', 'First Floor');
    admin = await signedIn(h, { roles: ['admin'], departmentId: 'dept-first', name: 'Ada Admin' });
  });
  afterAll(async () => h.dispose());

  it('shows a first-run checklist on /admin, ticked from the real state', async () => {
    const ticks = async () =>
      Object.fromEntries([...(await page('/admin')).querySelectorAll('.checklist-steps li')].map((li) => [li.querySelector('strong')!.textContent, li.getAttribute('data-done')]));
    expect(await ticks()).toEqual({
      'Open your departments': 'no',
      'Add people, or import them from a CSV file': 'no',
      'Define a few themes': 'no',
      'Give the curator and leader roles': 'no',
    });
    expect((await page('/admin')).querySelector('#checklist-heading')!.textContent).toBe('Getting started');

    expect((await post('/admin/departments', { name: 'Second Floor', departmentId: 'dept-second' })).status).toBe(303);
    const added = await post('/admin/people', { name: 'Bo Builder', email: 'bo@example.test', departmentId: 'dept-second', joinedOn: '2026-01-05', employeeId: 'emp-bo' });
    expect(added.status).toBe(200);
    // the first admin defines a theme without granting themselves curator
    expect((await post('/curation/themes', { name: 'Candour', description: '' })).status).toBe(303);
    expect(await ticks()).toMatchObject({ 'Open your departments': 'yes', 'Add people, or import them from a CSV file': 'yes', 'Define a few themes': 'yes', 'Give the curator and leader roles': 'no' });
    await post('/admin/people/emp-bo/roles', { role: 'curator', action: 'grant' });
    expect((await ticks())['Give the curator and leader roles']).toBe('no');
    await post('/admin/people/emp-bo/roles', { role: 'leader', action: 'grant' });
    expect(Object.values(await ticks())).toEqual(['yes', 'yes', 'yes', 'yes']);
    expect((await page('/admin')).querySelector('#checklist-heading')!.textContent).toBe('Hallway is set up');
  });

  it('records every change to the organisation and to who can do what in the audit trail', async () => {
    await post('/admin/departments', { name: 'Third', departmentId: 'dept-third' });
    await post('/admin/departments/dept-third/rename', { name: 'Third <Floor>' });
    const transferred = await post('/admin/people/emp-bo/transfer', { departmentId: 'dept-third' });
    expect(transferred.status).toBe(303);
    await post('/admin/people/emp-bo/transfer', { departmentId: 'dept-second' });
    await post('/admin/departments/dept-third/close', {});
    await post('/admin/people/emp-bo/roles', { role: 'leader', action: 'revoke' });
    await post('/curation/themes/candour/retire', { confirm: 'yes' });
    expect(kinds()).toEqual(
      expect.arrayContaining(['department-opened', 'department-renamed', 'department-closed', 'joined', 'transferred', 'role-granted', 'role-revoked', 'theme-defined', 'theme-retired', 'invited']),
    );
    const trail = await (await get('/admin/audit')).text();
    const rows = [...dom(trail).querySelectorAll('table.audit tbody tr')].map((tr) => tr.textContent!.replace(/\s+/g, ' '));
    expect(rows.some((r) => r.includes('department renamed: Third → Third <Floor>'))).toBe(true);
    expect(rows.some((r) => r.includes('transferred: Third <Floor> → Second Floor') && r.includes('Bo Builder') && r.includes('Ada Admin'))).toBe(true);
    expect(rows.some((r) => r.includes('added: Second Floor') && r.includes('Bo Builder'))).toBe(true);
    expect(rows.some((r) => r.includes('theme retired: Candour'))).toBe(true);
    // typed names are escaped in the page
    expect(trail).toContain('Third &lt;Floor&gt;');
    expect(trail).not.toContain('Third <Floor>');
  });

  it('records failed sign-ins (known account or not) and dashboard downloads', async () => {
    const known = await givenEmployee(h, { name: 'Kim Known', departmentId: 'dept-first', password: 'a long enough password 1' });
    const signIn = (email: string, password: string) =>
      h.app.request('/sign-in', { method: 'POST', body: form({ email, password }), headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect((await signIn(known.email, 'wrong wrong wrong')).status).toBe(401);
    expect((await signIn('nobody@example.test', 'whatever it is')).status).toBe(401);
    const failed = auditEntries(h.runtime.db, { group: 'sign-ins' }).filter((e) => e.kind === 'sign-in-failed');
    expect(failed.map((e) => [e.employeeName, e.detail])).toEqual([
      [null, 'an email address nobody has'],
      ['Kim Known', 'wrong password'],
    ]);
    // a right password records no failure
    const before = failed.length;
    expect((await signIn(known.email, 'a long enough password 1')).status).toBe(303);
    expect(auditEntries(h.runtime.db, { group: 'sign-ins' }).filter((e) => e.kind === 'sign-in-failed')).toHaveLength(before);

    const leader = await signedIn(h, { name: 'Lee Leader', roles: ['leader'], departmentId: 'dept-first' });
    const csv = await get('/dashboard/export.csv?table=flows&window=all', leader.cookie);
    expect(csv.status).toBe(200);
    const exported = auditEntries(h.runtime.db, { group: 'exports' });
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ kind: 'exported', employeeName: 'Lee Leader', detail: 'flows table, all time' });
    // a refused download (bad table) records nothing
    expect((await get('/dashboard/export.csv?table=nope', leader.cookie)).status).toBe(422);
    expect(auditEntries(h.runtime.db, { group: 'exports' })).toHaveLength(1);
    const trail = dom(await (await get('/admin/audit?action=exports')).text());
    expect(trail.querySelector('tr[data-kind="exported"]')!.textContent).toContain('figures downloaded: flows table, all time');

    // `hallway export` records itself the same way (test/cli/import-export.test.ts runs the real CLI); here, its event on the page
    const at = new Date().toISOString();
    const r = await h.store.append('export-cli-1', [
      { id: 'cli-export-1', type: 'DataExported', data: { exportId: 'cli-1', what: 'log-export', detail: '812 events' }, metadata: { at, actor: 'cli:ops', v: 1 } },
    ], { expectedRevision: 'no_stream' });
    await h.runtime.waitFor(r.position);
    const row = dom(await (await get('/admin/audit?action=exports')).text()).querySelector('tr[data-kind="log-exported"]');
    expect(row!.textContent).toContain('whole log exported: 812 events');
    expect(row!.textContent).toContain('the command line (ops)');
  });

  it('filters the audit trail by action, person and date, and pages it', async () => {
    const rowsOf = async (q: string) => [...(await page(`/admin/audit?${q}`)).querySelectorAll('table.audit tbody tr')].map((tr) => tr.getAttribute('data-kind'));
    const depts = await rowsOf('action=departments');
    expect(depts.length).toBeGreaterThanOrEqual(4);
    expect(new Set(depts)).toEqual(new Set(['department-opened', 'department-renamed', 'department-closed']));
    const bo = await rowsOf('person=bo%20BUILDER');
    expect(bo).toContain('transferred');
    expect(bo).not.toContain('department-opened');
    // the person filter also finds what someone did
    // (the first department was opened by the system at setup, not by Ada)
    expect(await rowsOf('person=Ada%20Admin&action=departments')).toHaveLength(depts.length - 1);
    const today = h.clock().toISOString().slice(0, 10);
    expect((await rowsOf(`from=${today}&to=${today}`)).length).toBeGreaterThan(0);
    const page2 = await page('/admin/audit?from=2001-01-01&to=2001-01-02');
    expect(page2.querySelector('table.audit')).toBeNull();
    expect(page2.querySelector('main')!.textContent).toContain('Nothing matches this filter.');
    // a date that is not a date: 422, said beside the field
    const bad = await get('/admin/audit?from=yesterday');
    expect(bad.status).toBe(422);
    expect(dom(await bad.text()).querySelector('#audit-from-error')!.textContent).toBe('From must be a date (YYYY-MM-DD)');

    // paging: 50 rows a page, "Older" keeps the filter
    for (let i = 0; i < 60; i++) await givenDepartment(h, `dept-bulk-${i}`, `Bulk ${i}`);
    const first = await page('/admin/audit?action=departments');
    expect(first.querySelectorAll('table.audit tbody tr')).toHaveLength(50);
    const older = first.querySelector('nav.pager a:last-child')!;
    expect(older.textContent).toBe('Older');
    const href = older.getAttribute('href')!;
    expect(href).toMatch(/^\/admin\/audit\?action=departments&before=\d+$/);
    const second = await page(href);
    const secondKinds = [...second.querySelectorAll('table.audit tbody tr')].map((tr) => tr.getAttribute('data-kind'));
    expect(secondKinds.length).toBe(depts.length + 60 - 50);
    expect(second.querySelector('nav.pager a')!.textContent).toBe('Newest');
  });

  it('pages and searches people, and a transfer offers only other departments', async () => {
    for (let i = 0; i < 55; i++) await givenEmployee(h, { name: `Paged Person ${String(i).padStart(2, '0')}`, departmentId: 'dept-first' });
    const first = await page('/admin/people');
    expect(first.querySelectorAll('table tbody tr')).toHaveLength(50);
    expect(first.querySelector('#people-count')!.textContent).toMatch(/people; page 1 of 2$/);
    const next = first.querySelector('nav.pager a[rel="next"]')!.getAttribute('href')!;
    expect(next).toBe('/admin/people?page=2');
    const second = await page(next);
    expect(second.querySelectorAll('table tbody tr').length).toBeGreaterThan(0);
    expect(second.querySelector('nav.pager a[rel="prev"]')).not.toBeNull();
    const found = await page('/admin/people?q=paged+person+0');
    expect([...found.querySelectorAll('table tbody tr a')].map((a) => a.textContent)).toHaveLength(10);
    expect(found.querySelector('#people-count')!.textContent).toBe('10 people match');
    // a page past the end shows the last page, not an error
    expect((await get('/admin/people?page=999')).status).toBe(200);

    const person = await page('/admin/people/emp-bo');
    const offered = [...person.querySelectorAll('#transfer-departmentId option')].map((o) => o.getAttribute('value')).filter(Boolean);
    expect(offered).toContain('dept-first');
    expect(offered).not.toContain('dept-second'); // where Bo is now
    expect(offered).not.toContain('dept-third'); // closed
  });

  it('gives an invitation link a copy button that stays out of the way without JavaScript', async () => {
    const res = await post('/admin/people/emp-bo/invitation', {});
    const doc = dom(await res.text());
    const input = doc.querySelector('#invitation-url')!;
    expect(input.hasAttribute('readonly')).toBe(true);
    expect(input.getAttribute('value')).toMatch(/\/invitation\/[a-z2-9]{48}$/);
    const button = doc.querySelector('button[data-copy-for="invitation-url"]')!;
    expect(button.getAttribute('type')).toBe('button');
    expect(button.hasAttribute('hidden')).toBe(true);
    expect(doc.querySelector('[data-copy-status="invitation-url"]')!.getAttribute('aria-live')).toBe('polite');
  });

  it('shows names, not raw ids, where a name exists', async () => {
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    // a person whose id is a UUID (Hallway makes them when the form leaves the id blank)
    const added = await post('/admin/people', { name: 'Uma Uuid', email: 'uma@example.test', departmentId: 'dept-first', joinedOn: '2026-01-05', employeeId: '' });
    expect(added.status, await added.clone().text()).toBe(200);
    await givenStory(h, { tellerId: admin.employeeId, title: 'A story' });
    await settledHead(h);
    for (const path of ['/admin', '/admin/people?q=uma', '/admin/audit', '/admin/departments']) {
      const text = (await page(path)).querySelector('main')!.textContent!;
      expect(text, path).not.toMatch(uuid);
    }
  });

  it('defines the two new events: SignInFailed in auth streams (left out of exports without --include-auth), DataExported in its own stream', () => {
    const known = parseEvent('SignInFailed', { employeeId: 'emp-1', reason: 'wrong-password' });
    expect(known.ok && known.stream).toBe('signin-emp-1');
    const unknown = parseEvent('SignInFailed', { reason: 'unknown-email' });
    expect(unknown.ok && unknown.stream).toBe('signin-unknown');
    expect(parseEvent('SignInFailed', { reason: 'guessed' }).ok).toBe(false);
    expect(isAuthStream('signin-emp-1')).toBe(true);
    expect(isAuthStream('signin-unknown')).toBe(true);
    const exported = parseEvent('DataExported', { exportId: 'x1', what: 'dashboard-csv', detail: 'flows table, all time' });
    expect(exported.ok && exported.stream).toBe('export-x1');
    expect(isAuthStream('export-x1')).toBe(false);
    expect(parseEvent('DataExported', { exportId: 'x1', what: 'everything', detail: '' }).ok).toBe(false);
  });
});
