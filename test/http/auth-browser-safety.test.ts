import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { givenEmployee, signedIn } from '../auth-helpers.ts';

describe('browser safety', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    h = await testHallway();
    admin = await signedIn(h, { roles: ['admin'] });
  });
  afterAll(async () => h.dispose());

  it('refuses a cross-origin form post with 403 and appends nothing', async () => {
    // <form method="post" action="http://localhost/admin/departments"> on https://evil.example
    const before = await h.store.headPosition();
    const res = await h.app.request('/admin/departments', {
      method: 'POST',
      body: 'name=Pwned&departmentId=dept-pwned',
      headers: { Cookie: admin.cookie, Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(res.status).toBe(403);
    expect(await h.store.headPosition()).toBe(before);
  });

  it('refuses a cross-site post that sends no Origin but says Sec-Fetch-Site: cross-site', async () => {
    const before = await h.store.headPosition();
    const res = await h.app.request('/sign-out', { method: 'POST', headers: { Cookie: admin.cookie, 'Sec-Fetch-Site': 'cross-site' } });
    expect(res.status).toBe(403);
    expect(await h.store.headPosition()).toBe(before);
    // and the session is still there
    expect((await h.app.request('/admin', { headers: { Cookie: admin.cookie } })).status).toBe(200);
  });

  it('refuses a JSON post and an htmx post with a foreign Origin', async () => {
    // fetch('http://localhost/admin/people', {method: 'POST', credentials: 'include', body: JSON.stringify(...)}) from another site
    const before = await h.store.headPosition();
    const json = await h.app.request('/admin/people', {
      method: 'POST',
      body: JSON.stringify({ name: 'X', email: 'x@example.test', departmentId: 'dept-test', joinedOn: '2026-01-01' }),
      headers: { Cookie: admin.cookie, Origin: 'https://evil.example', 'Content-Type': 'application/json' },
    });
    expect(json.status).toBe(403);
    const htmx = await h.app.request('/admin/departments', {
      method: 'POST',
      body: 'name=Pwned',
      headers: { Cookie: admin.cookie, Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded', 'HX-Request': 'true' },
    });
    expect(htmx.status).toBe(403);
    expect(await h.store.headPosition()).toBe(before);
  });

  it('accepts the same form post from its own origin', async () => {
    const res = await h.app.request('/admin/departments', {
      method: 'POST',
      body: 'name=Allowed&departmentId=dept-allowed',
      headers: { Cookie: admin.cookie, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(res.status).toBe(303);
  });

  it('sends a CSP with no inline script, no inline style and no third-party origin', async () => {
    for (const path of ['/sign-in', '/admin']) {
      const res = await h.app.request(path, { headers: { Cookie: admin.cookie } });
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
      expect(directives['script-src']).toEqual(["'self'"]);
      expect(directives['style-src']).toEqual(["'self'"]);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(directives['frame-ancestors']).toEqual(["'none'"]);
      // every source is this origin, none, or a data: image
      const sources = Object.values(directives).flat() as string[];
      expect(sources.filter((s) => !["'self'", "'none'", 'data:'].includes(s))).toEqual([]);
    }
  });

  it('the pages Hallway renders hold no inline script or style attribute', async () => {
    for (const path of ['/sign-in', '/admin', '/admin/people', '/admin/departments', '/admin/import', '/admin/audit']) {
      const html = await (await h.app.request(path, { headers: { Cookie: admin.cookie } })).text();
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, path).not.toMatch(/\sstyle="/);
      expect(html, path).not.toMatch(/\shx-on/);
    }
  });
});

describe('the session cookie over https', () => {
  it('is Secure when HALLWAY_PUBLIC_URL is https, and not over plain http', async () => {
    const https = await testHallway({ env: { HALLWAY_PUBLIC_URL: 'https://hallway.example' } });
    const http = await testHallway();
    try {
      for (const [h, origin, secure] of [
        [https, 'https://hallway.example', true],
        [http, 'http://localhost', false],
      ] as const) {
        await givenEmployee(h, { email: 'tls@example.test', password: 'secure cookie test 9' });
        const res = await h.app.request('/sign-in', {
          method: 'POST',
          body: 'email=tls%40example.test&password=secure+cookie+test+9',
          headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        expect(res.status).toBe(303);
        const cookie = res.headers.get('set-cookie') ?? '';
        expect(cookie).toContain('HttpOnly');
        expect(cookie).toContain('SameSite=Lax');
        expect(/;\s*Secure/.test(cookie)).toBe(secure);
      }
    } finally {
      await https.dispose();
      await http.dispose();
    }
  });
});
