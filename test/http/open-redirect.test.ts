import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../../src/http/auth.tsx';
import { testHallway } from '../helpers.ts';
import { givenEmployee, cookieFor } from '../auth-helpers.ts';

import { HOSTILE, LEGIT, UNICODE_LOCAL } from '../open-redirect-corpus.ts';

const ORIGIN = 'http://localhost';

/** The browser's view of a Location header: where would it go? */
function staysLocal(location: string | null): boolean {
  if (location === null) return false;
  if (/[\u0000-\u001f\u007f\\]/.test(location)) return false;
  if (!location.startsWith('/') || location.startsWith('//')) return false;
  return new URL(location, ORIGIN).origin === ORIGIN;
}

describe('safeNext refuses open-redirect payloads', () => {
  it(`has a corpus of at least 40 hostile payloads (${HOSTILE.length})`, () => expect(HOSTILE.length).toBeGreaterThanOrEqual(40));
  for (const p of HOSTILE) it(`${JSON.stringify(p).slice(0, 60)} -> /`, () => expect(safeNext(p)).toBe('/'));
  for (const p of UNICODE_LOCAL) it(`${JSON.stringify(p)} stays a local path`, () => expect(staysLocal(safeNext(p))).toBe(true));
  for (const [p, want] of LEGIT) it(`${p} is kept`, () => expect(safeNext(p)).toBe(want));
  it('non-strings and empty values -> /', () => {
    for (const v of [undefined, null, 42, '', ['/x']]) expect(safeNext(v)).toBe('/');
  });
});

describe('sign-in redirects only to local paths', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let cookie: string;
  const signIn = (next: string) => ({
    method: 'POST',
    body: new URLSearchParams({ email: 'redirect@example.test', password: 'the right password', next }).toString(),
    headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  beforeAll(async () => {
    h = await testHallway();
    const p = await givenEmployee(h, { email: 'redirect@example.test', password: 'the right password' });
    cookie = await cookieFor(h, p.employeeId);
  });
  afterAll(async () => h.dispose());

  it('POST /sign-in with each hostile next: 303 to /, never a 500, even with CR, LF or NUL', async () => {
    const wrong: string[] = [];
    for (const p of HOSTILE) {
      const res = await h.app.request('/sign-in', signIn(p));
      if (res.status !== 303 || res.headers.get('location') !== '/') wrong.push(`${JSON.stringify(p)} -> ${res.status} ${res.headers.get('location')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('POST /sign-in with unicode look-alikes stays on the site', async () => {
    for (const p of UNICODE_LOCAL) {
      const res = await h.app.request('/sign-in', signIn(p));
      expect(res.status).toBe(303);
      expect(staysLocal(res.headers.get('location'))).toBe(true);
    }
  });

  it('GET /sign-in?next=… when signed in: 303 to / for each hostile next (query-encoded)', async () => {
    const wrong: string[] = [];
    for (const p of HOSTILE) {
      const res = await h.app.request(`/sign-in?next=${encodeURIComponent(p)}`, { headers: { Cookie: cookie } });
      if (res.status !== 303 || res.headers.get('location') !== '/') wrong.push(`${JSON.stringify(p)} -> ${res.status} ${res.headers.get('location')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the issue\'s probe: /sign-in?next=/%09/localhost:3599/pwned renders a form whose next is /', async () => {
    const res = await h.app.request('/sign-in?next=/%09/localhost:3599/pwned');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/name="next" value="\/"/);
    expect(html).not.toContain('pwned');
  });

  it('legitimate next values still work', async () => {
    for (const [p, want] of LEGIT) {
      const res = await h.app.request('/sign-in', signIn(p));
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(want);
    }
  });
});
