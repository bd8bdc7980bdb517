import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../../src/http/auth.tsx';
import { testHallway } from '../helpers.ts';
import { givenEmployee, cookieFor } from '../auth-helpers.ts';

/**
 * Known open-redirect payloads (issue 9, finding 1). Each must end on a local page: the Location
 * header, resolved the way a browser resolves it, stays on this origin.
 */
const HOSTILE = [
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\/evil.example',
  '\\\\evil.example',
  '/\\\\evil.example',
  '/%09/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\r\n/evil.example',
  '/\u000b/evil.example',
  '/\u0000/evil.example',
  '/\u007f/evil.example',
  '/\u001f/evil.example',
  '/%09/localhost:3599/pwned',
  '/\t/localhost:3599/pwned',
  '/%0d%0aLocation:%20https://evil.example',
  '/\r\nSet-Cookie: a=b',
  'https:evil.example',
  'https://evil.example',
  'http://evil.example',
  'http:/\\evil.example',
  'http:\\\\evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'javascript://%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  '/%2F%2Fevil.example',
  '/%2f%2fevil.example',
  '/%5Cevil.example',
  '/%5c/evil.example',
  '/%5C%5Cevil.example',
  '/%252F%252Fevil.example',
  '/%25252F%25252Fevil.example',
  '/%2F/evil.example',
  '/%00//evil.example',
  '/%0a/evil.example',
  '/%0d/evil.example',
  '/%0b/evil.example',
  '/%7f/evil.example',
  '//%09/evil.example',
  '/.//evil.example',
  '/..//evil.example',
  '/%2e//evil.example',
  '/%2e%2e//evil.example',
  ' //evil.example',
  '\t//evil.example',
  '//evil.example@localhost',
  '//localhost@evil.example',
  '///\\;@evil.example',
  '/\\/\\/evil.example',
  '%2F%2Fevil.example',
  'evil.example',
  '//evil.example%E3%80%82com',
  '/%E0%A4%A', // broken percent-encoding
  `/${'a'.repeat(5000)}`,
];

/** Unicode look-alikes: a browser keeps these as a path on this site (percent-encoded), never a host. */
const UNICODE_LOCAL = ['/\uFF0F\uFF0Fevil.example', '/\u3000/evil.example', '/\u2028/evil.example', '/\u2215\u2215evil.example', '/%E2%80%A8evil.example', '/\u0085/evil.example'];

const LEGIT: [string, string][] = [
  ['/stories/abc', '/stories/abc'],
  ['/search?q=leader%20story&page=2', '/search?q=leader%20story&page=2'],
  ['/timelines#y2024', '/timelines#y2024'],
  ['/admin/people?q=%C3%A9', '/admin/people?q=%C3%A9'],
  ['/themes/t-1', '/themes/t-1'],
  ['/', '/'],
];

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
