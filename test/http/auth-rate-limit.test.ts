import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_LIMIT, IP_LIMIT, WINDOW_MS, createLimiter } from '../../src/auth/rate-limit.ts';
import { testHallway } from '../helpers.ts';
import { givenEmployee } from '../auth-helpers.ts';

const signIn = (email: string, password: string, extra: Record<string, string> = {}) => ({
  method: 'POST',
  body: new URLSearchParams({ email, password }).toString(),
  headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded', ...extra },
});

describe('the limiter', () => {
  it('allows `limit` failures in the window, then says how long to wait', () => {
    const l = createLimiter(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfter('k', 1000 * i)).toBe(0);
      l.fail('k', 1000 * i);
    }
    expect(l.retryAfter('k', 3000)).toBe(57);
    expect(l.retryAfter('other', 3000)).toBe(0);
    expect(l.retryAfter('k', 60_001)).toBe(0);
  });
});

describe('rate limits on sign-in, invitations and setup', () => {
  let now = Date.parse('2026-11-20T08:00:00Z');
  let h: Awaited<ReturnType<typeof testHallway>>;
  beforeAll(async () => {
    h = await testHallway({ clock: () => new Date(now) });
    await givenEmployee(h, { email: 'target@example.test', password: 'the right password' });
    await givenEmployee(h, { email: 'bystander@example.test', password: 'another right one' });
  });
  afterAll(async () => h.dispose());
  // each test starts with fresh windows
  afterEach(() => void (now += WINDOW_MS + 1000));

  it(`after ${ACCOUNT_LIMIT} failures for one account: 429 with Retry-After, even with the right password; other accounts still sign in`, async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect((await h.app.request('/sign-in', signIn('target@example.test', `wrong ${i}`))).status).toBe(401);
    const blocked = await h.app.request('/sign-in', signIn('TARGET@example.test', 'the right password'));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(WINDOW_MS / 1000);
    expect(await blocked.text()).toContain('Too many failed attempts');
    expect(blocked.headers.get('set-cookie')).toBeNull();
    expect((await h.app.request('/sign-in', signIn('bystander@example.test', 'another right one'))).status).toBe(303);
    // the window passes
    now += WINDOW_MS;
    expect((await h.app.request('/sign-in', signIn('target@example.test', 'the right password'))).status).toBe(303);
  });

  it(`after ${IP_LIMIT} failures from one address: 429 for any account from it`, async () => {
    for (let i = 0; i < IP_LIMIT; i++) expect((await h.app.request('/sign-in', signIn(`nobody${i}@example.test`, 'wrong password'))).status).toBe(401);
    const res = await h.app.request('/sign-in', signIn('bystander@example.test', 'another right one'));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).not.toBeNull();
  });

  it('invitation and setup posts with a wrong token are limited too', async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) {
      expect((await h.app.request('/invitation/abcdefghijkmnpqrstuvwxyz23456789abcdefghijkmnpqr', signIn('', 'some password here'))).status).toBe(404);
    }
    const inv = await h.app.request('/invitation/abcdefghijkmnpqrstuvwxyz23456789abcdefghijkmnpqr', signIn('', 'some password here'));
    expect(inv.status).toBe(429);
    expect(inv.headers.get('retry-after')).not.toBeNull();
    // the blocked invitation post above did not count: 20 more failures reach the 30 of this address
    for (let i = 0; i < IP_LIMIT - ACCOUNT_LIMIT; i++) await h.app.request(`/setup/guess${i}`, signIn('', ''));
    const setup = await h.app.request('/setup/guess-last', signIn('', ''));
    expect(setup.status).toBe(429);
  });

  it('ignores X-Forwarded-For unless HALLWAY_TRUST_PROXY=1', async () => {
    for (let i = 0; i < IP_LIMIT; i++) await h.app.request('/sign-in', signIn(`spoof${i}@example.test`, 'wrong password', { 'X-Forwarded-For': `10.0.0.${i}` }));
    // a different claimed address does not escape the limit of the real one
    expect((await h.app.request('/sign-in', signIn('bystander@example.test', 'another right one', { 'X-Forwarded-For': '10.9.9.9' }))).status).toBe(429);
    process.env['HALLWAY_TRUST_PROXY'] = '1';
    try {
      // behind a trusted proxy, the address it reports is the client's
      expect((await h.app.request('/sign-in', signIn('bystander@example.test', 'another right one', { 'X-Forwarded-For': '198.51.100.7' }))).status).toBe(303);
    } finally {
      delete process.env['HALLWAY_TRUST_PROXY'];
    }
  });
});
