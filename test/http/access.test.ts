import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../events/org.ts';
import { ACCESS, ruleByScan, ruleFor } from '../../src/http/access.ts';
import type { AccessRule } from '../../src/http/access.ts';
import { testHallway } from '../helpers.ts';
import { cookieFor, givenEmployee } from '../auth-helpers.ts';

/**
 * Walks the WHOLE access table (src/http/access.ts): every route with no session, then with a
 * session of each role. Route parameters are filled with the ids of a small fixture (a story, a
 * theme, a department, a person, an API token), so allowed requests reach the real handlers.
 */
type Who = 'employee' | Role;
const WHO: Who[] = ['employee', 'curator', 'leader', 'admin'];

const allowed = (rule: AccessRule, who: Who | null): boolean => {
  if (rule.allow === 'public') return true;
  if (who === null) return false;
  // routes the table documents as "(teller or curator)" check the story's teller as well: the
  // fixture story's teller is the employee, so others without the curator role get the route's 403
  if (rule.allow === 'employee' && /teller or curator/.test(rule.what)) return who === 'employee' || who === 'curator';
  if (rule.allow === 'employee') return true;
  return who !== 'employee' && rule.allow.includes(who);
};

describe('the access table', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  const people = new Map<Who, { employeeId: string; email: string }>();
  const PASSWORD = 'access table walk 2026';
  const fixture = { storyId: 'story-access', themeId: 'theme-access', departmentId: 'dept-access', leader: 'Lee Leader', employeeId: '', tokenId: 'token-access' };

  const at = () => new Date().toISOString();
  beforeAll(async () => {
    h = await testHallway();
    for (const who of WHO) {
      const p = await givenEmployee(h, { roles: who === 'employee' ? [] : [who], departmentId: fixture.departmentId, password: PASSWORD });
      people.set(who, p);
    }
    const target = await givenEmployee(h, { departmentId: fixture.departmentId });
    fixture.employeeId = target.employeeId;
    const teller = people.get('employee')!.employeeId;
    await h.store.append(`theme-${fixture.themeId}`, [{ id: h.newId(), type: 'ThemeDefined', data: { themeId: fixture.themeId, name: 'Courage', description: 'Standing up.' }, metadata: { at: at() } }]);
    await h.store.append(`story-${fixture.storyId}`, [
      {
        id: h.newId(),
        type: 'StorySubmitted',
        data: {
          storyId: fixture.storyId, title: 'A story', body: 'It happened.', tellerId: teller, leader: fixture.leader, happenedIn: fixture.departmentId,
          occurredOn: '2024-05', themes: [fixture.themeId], relation: 'witnessed', anonymous: false,
        },
        metadata: { at: at(), actor: teller, v: 2 },
      },
    ]);
    const r = await h.store.append(`apitoken-${fixture.tokenId}`, [
      { id: h.newId(), type: 'ApiTokenIssued', data: { tokenId: fixture.tokenId, employeeId: people.get('leader')!.employeeId, secretHash: 'a'.repeat(64), label: 'walk' }, metadata: { at: at() } },
    ]);
    await h.runtime.waitFor(r.position);
  });
  afterAll(async () => h.dispose());

  /** A concrete URL for a rule's path, with the fixture's ids in place of parameters. */
  function urlFor(rule: AccessRule): string {
    return rule.path
      .split('/')
      .map((seg) => {
        if (seg === '*') return 'hallway.css';
        if (!seg.startsWith(':')) return seg;
        const name = seg.slice(1);
        if (name === 'token') return 'no-such-token';
        if (name === 'employeeId') return fixture.employeeId;
        if (name === 'departmentId') return fixture.departmentId;
        if (name === 'name') return encodeURIComponent(fixture.leader);
        if (name === 'id') {
          if (rule.path.includes('/themes/')) return fixture.themeId;
          if (rule.path.includes('/api-tokens/')) return fixture.tokenId;
          if (rule.path.startsWith('/departments/')) return fixture.departmentId;
          return fixture.storyId;
        }
        return `fixture-${name}`;
      })
      .join('/');
  }

  async function request(rule: AccessRule, cookie: string | null, who: Who | null): Promise<Response> {
    const headers: Record<string, string> = {};
    if (cookie) headers['Cookie'] = cookie;
    if (rule.method === 'GET') return h.app.request(urlFor(rule), { headers });
    // a same-origin browser form post
    headers['Origin'] = 'http://localhost';
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const body = rule.path === '/sign-in' && who ? new URLSearchParams({ email: people.get(who)!.email, password: PASSWORD }).toString() : '';
    return h.app.request(urlFor(rule), { method: 'POST', headers, body });
  }

  it('has one rule per method and path, and each rule says what the route is for', () => {
    const keys = ACCESS.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of ACCESS) expect(r.what.length, `${r.method} ${r.path}`).toBeGreaterThan(3);
  });

  it('every route the app registers has a rule in ACCESS', () => {
    const missing = h.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, path: r.path, concrete: r.path.replace(/:[^/]+/g, 'x').replace(/\*/g, 'x') }))
      .filter((r) => !ruleFor(r.method, r.concrete))
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('finds the same rule as a walk of the whole table, for every rule and for paths near them', () => {
    const paths = new Set(['', '/', '//', '/x', '/STORIES/x', '/stories', '/stories/', '/stories/x/', '/stories/x/y/z', '/static', '/static/', '/static/a/b.css', '/favicon.ico', '/faviconXico', '/api', '/api/stories/x/spread/', '/admin/people/x/erase/extra', '/leaders/people/x', '/dashboard/export.csv', '/dashboard/exportXcsv']);
    for (const r of ACCESS) {
      const concrete = r.path.replace(/:[^/]+/g, 'x').replace(/\*/g, 'a/b');
      for (const p of [concrete, `${concrete}/`, `${concrete}/more`, concrete.toUpperCase(), `/x${concrete}`]) paths.add(p);
    }
    const differ: string[] = [];
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE']) {
      for (const path of paths) if (ruleFor(method, path) !== ruleByScan(method, path)) differ.push(`${method} ${path}`);
    }
    expect(paths.size).toBeGreaterThan(300);
    expect(differ).toEqual([]);
  });

  it('a route missing from the table answers 404 even when signed in (fail closed)', async () => {
    const res = await h.app.request('/not-in-the-table', { headers: { Cookie: await cookieFor(h, people.get('admin')!.employeeId) } });
    expect(res.status).toBe(404);
  });

  it('with no session: HTML routes redirect to /sign-in (303), /api/* answers 401; public routes answer', async () => {
    const wrong: string[] = [];
    for (const rule of ACCESS) {
      const res = await request(rule, null, null);
      const what = `${rule.method} ${rule.path} -> ${res.status}`;
      if (rule.allow === 'public') {
        if (res.status === 403 || (res.status === 303 && (res.headers.get('location') ?? '').startsWith('/sign-in'))) wrong.push(what);
      } else if (rule.path.startsWith('/api/')) {
        if (res.status !== 401) wrong.push(what);
      } else if (res.status !== 303 || !(res.headers.get('location') ?? '').startsWith('/sign-in')) wrong.push(what);
    }
    expect(wrong).toEqual([]);
  });

  for (const who of WHO) {
    it(`with a session of ${who === 'employee' ? 'an employee' : `a ${who}`}: 403 where the role is not allowed, never 401/403 where it is`, async () => {
      const wrong: string[] = [];
      let checked = 0;
      for (const rule of ACCESS) {
        // a fresh session per request: sign-out (and the admin's "end sessions") must not spoil the next
        const cookie = await cookieFor(h, people.get(who)!.employeeId);
        const res = await request(rule, cookie, who);
        checked += 1;
        const what = `${rule.method} ${rule.path} -> ${res.status}`;
        if (allowed(rule, who)) {
          if (res.status === 401 || res.status === 403) wrong.push(what);
        } else if (res.status !== 403) wrong.push(what);
      }
      expect(checked).toBe(ACCESS.length);
      expect(wrong).toEqual([]);
    });
  }

  it('the 403 page uses the site layout and says which role is needed', async () => {
    const res = await h.app.request('/admin', { headers: { Cookie: await cookieFor(h, people.get('employee')!.employeeId) } });
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('<link rel="stylesheet" href="/static/hallway.css"');
    expect(html).toContain('This page is for the admin role');
  });

  it('an htmx request without a session gets HX-Redirect to sign-in', async () => {
    const res = await h.app.request('/admin', { headers: { 'HX-Request': 'true' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('hx-redirect')).toMatch(/^\/sign-in\?next=/);
  });
});
