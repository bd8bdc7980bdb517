import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS } from '../../src/http/access.ts';
import { BODY_LIMITS, DEFAULT_BODY_LIMIT, MAX_URL_BYTES, bodyLimitFor } from '../../src/http/limits.ts';
import { testHallway } from '../helpers.ts';
import { givenDepartment, signedIn } from '../auth-helpers.ts';

const ORIGIN = 'http://localhost';
const FORM = 'application/x-www-form-urlencoded';

/** A body of `total` bytes produced lazily; `pulled()` says how much of it was read. */
function lazyBody(total: number, chunk = 64 * 1024) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(0x61));
    },
  });
  return { stream, pulled: () => sent };
}

const post = (body: NonNullable<RequestInit['body']>, headers: Record<string, string> = {}): RequestInit & { duplex: 'half' } => ({
  method: 'POST',
  body,
  headers: { Origin: ORIGIN, 'Content-Type': FORM, ...headers },
  duplex: 'half',
});

describe('request size limits (issue 9, finding 2)', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let employee: string;
  let admin: string;
  let curator: string;
  beforeAll(async () => {
    h = await testHallway();
    await givenDepartment(h, 'dept-limits');
    employee = (await signedIn(h, { departmentId: 'dept-limits' })).cookie;
    admin = (await signedIn(h, { roles: ['admin'], departmentId: 'dept-limits' })).cookie;
    curator = (await signedIn(h, { roles: ['curator'], departmentId: 'dept-limits' })).cookie;
  });
  afterAll(async () => h.dispose());

  it('each route family has its own limit', () => {
    expect(bodyLimitFor('/sign-in')).toBe(8 * 1024);
    expect(bodyLimitFor('/setup/abc')).toBe(8 * 1024);
    expect(bodyLimitFor('/invitation/abc')).toBe(8 * 1024);
    expect(bodyLimitFor('/stories')).toBe(512 * 1024);
    expect(bodyLimitFor('/stories/s-1/amend')).toBe(512 * 1024);
    expect(bodyLimitFor('/admin/import')).toBe(21 * 1024 * 1024);
    expect(bodyLimitFor('/api/stories/x/spread')).toBe(16 * 1024);
    expect(bodyLimitFor('/curation/themes')).toBe(DEFAULT_BODY_LIMIT);
    expect(BODY_LIMITS.length).toBeGreaterThanOrEqual(5);
  });

  it('anonymous 100 MB POST /sign-in with a Content-Length: 413 page, and the body is not read', async () => {
    const body = lazyBody(100 * 1024 * 1024);
    const res = await h.app.request('/sign-in', post(body.stream, { 'Content-Length': String(100 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('too large');
    expect(html).toContain('at most 8 KB');
    expect(html).toContain('<!DOCTYPE html>');
    expect(body.pulled()).toBeLessThanOrEqual(2 * 64 * 1024);
  });

  it('anonymous 100 MB chunked POST /sign-in (no Content-Length): 413, reading stops at the limit', async () => {
    const body = lazyBody(100 * 1024 * 1024);
    const res = await h.app.request('/sign-in', post(body.stream, { 'Transfer-Encoding': 'chunked' }));
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(8 * 1024 + 3 * 64 * 1024);
  });

  it('sign-in, setup and invitation: 9 KB -> 413; a normal sign-in form is not refused', async () => {
    const big = `email=a%40b.c&password=${'x'.repeat(9 * 1024)}`;
    for (const path of ['/sign-in', '/setup/some-token', '/invitation/some-token']) {
      expect((await h.app.request(path, post(big))).status, path).toBe(413);
    }
    expect((await h.app.request('/sign-in', post('email=a%40b.c&password=wrong'))).status).toBe(401);
  });

  it('a htmx request gets the 413 as a fragment', async () => {
    const res = await h.app.request('/sign-in', post(`p=${'x'.repeat(9 * 1024)}`, { 'HX-Request': 'true' }));
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).not.toContain('<!DOCTYPE html>');
    expect(html).toContain('role="alert"');
  });

  it('a story of 20,000 four-byte characters, form-encoded (240 KB), is accepted; 600 KB is 413', async () => {
    const body = '\u{1F600}'.repeat(20_000);
    const form = new URLSearchParams({ title: 'Emoji', body, leader: 'Lee', happenedIn: 'dept-limits', occurredOn: '2024', relation: 'witnessed' }).toString();
    expect(form.length).toBeGreaterThan(240_000);
    const ok = await h.app.request('/stories', post(form, { Cookie: employee }));
    expect(ok.status).toBe(303);
    const tooBig = await h.app.request('/stories', post(`title=x&body=${'y'.repeat(600 * 1024)}`, { Cookie: employee }));
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toContain('at most 512 KB');
  });

  it('CSV import: a 2 MB file is read (not 413); a declared 22 MB is 413', async () => {
    // a header the importer refuses at line 1: the test is about the size, not the rows
    const rows = ['not,a,known,header', `Person,p@example.test,${'x'.repeat(2_000_000)}`];
    const fd = new FormData();
    fd.set('file', new File([rows.join('\n')], 'people.csv', { type: 'text/csv' }));
    const read = await h.app.request('/admin/import', { method: 'POST', body: fd, headers: { Origin: ORIGIN, Cookie: admin } });
    expect(read.status).toBe(422);
    const body = lazyBody(22 * 1024 * 1024);
    const big = await h.app.request('/admin/import', post(body.stream, { Cookie: admin, 'Content-Length': String(22 * 1024 * 1024), 'Content-Type': 'multipart/form-data; boundary=x' }));
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('at most 21 MB');
  });

  it('everything else: the default limit (64 KB), also for the API (16 KB)', async () => {
    const res = await h.app.request('/curation/themes', post(`themeId=t&name=${'n'.repeat(70 * 1024)}`, { Cookie: curator }));
    expect(res.status).toBe(413);
    const api = await h.app.request('/api/stories/x/spread', post('x'.repeat(17 * 1024), { Cookie: employee }));
    expect(api.status).toBe(413);
  });

  it(`a URL longer than ${MAX_URL_BYTES} bytes: 414 page`, async () => {
    const res = await h.app.request(`/search?q=${'a'.repeat(MAX_URL_BYTES)}`, { headers: { Cookie: employee } });
    expect(res.status).toBe(414);
    expect(await res.text()).toContain('too long');
    expect((await h.app.request(`/healthz?pad=${'a'.repeat(4000)}`)).status).toBe(200);
  });
});

describe('malformed form bodies answer 400 (issue 9, finding 6)', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let cookie: string;
  beforeAll(async () => {
    h = await testHallway();
    // one person with every role, so each route's own code is reached
    cookie = (await signedIn(h, { roles: ['admin', 'curator', 'leader'] })).cookie;
  });
  afterAll(async () => h.dispose());

  const MALFORMED: [string, string, string][] = [
    ['no boundary', 'multipart/form-data', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n'],
    ['wrong boundary', 'multipart/form-data; boundary=right', '--wrong\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--wrong--\r\n'],
    ['cut short', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nsomeone@exa'],
    ['no headers in a part', 'multipart/form-data; boundary=x', '--x\r\n\r\n\r\n--x--'],
  ];

  const paths = ACCESS.filter((r) => r.method === 'POST').map((r) => r.path.replace(/:[A-Za-z]+/g, 'x-1'));

  it(`every POST route (${paths.length}) answers 400 with a message to each malformed multipart body`, async () => {
    expect(paths.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const path of paths) {
      for (const [what, type, body] of MALFORMED) {
        const res = await h.app.request(path, { method: 'POST', body, headers: { Origin: ORIGIN, Cookie: cookie, 'Content-Type': type } });
        const text = await res.text();
        if (res.status !== 400 || !text.includes('could not be read')) wrong.push(`${path} ${what}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('anonymous: POST /sign-in with a multipart body without a boundary is 400, not 500', async () => {
    const res = await h.app.request('/sign-in', { method: 'POST', body: 'garbage', headers: { Origin: ORIGIN, 'Content-Type': 'multipart/form-data' } });
    expect(res.status).toBe(400);
  });

  it('a well-formed multipart sign-in still works', async () => {
    const fd = new FormData();
    fd.set('email', 'nobody@example.test');
    fd.set('password', 'wrong');
    const res = await h.app.request('/sign-in', { method: 'POST', body: fd, headers: { Origin: ORIGIN } });
    expect(res.status).toBe(401);
  });
});
