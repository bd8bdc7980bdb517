import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_LIMIT, IP_LIMIT, PAIR_FREE, SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_IP_LIMIT, WINDOW_MS, createAttemptLimits, createLimiter, reserveSignIn } from '../../src/auth/rate-limit.ts';
import { hashChecks } from '../../src/auth/passwords.ts';
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

  it(`after ${PAIR_FREE} failures from one address, that address waits a delay that doubles; another address still signs in`, async () => {
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    process.env['HALLWAY_TRUST_PROXY'] = '1';
    try {
      for (let i = 0; i < PAIR_FREE; i++) expect((await h.app.request('/sign-in', signIn('target@example.test', `wrong ${i}`, from('203.0.113.1')))).status).toBe(401);
      // the 6th failure starts the delay: 1 s
      const blocked = await h.app.request('/sign-in', signIn('TARGET@example.test', 'the right password', from('203.0.113.1')));
      expect(blocked.status).toBe(429);
      expect(await blocked.text()).toContain('Too many failed attempts');
      expect(blocked.headers.get('set-cookie')).toBeNull();
      now += 1000;
      expect((await h.app.request('/sign-in', signIn('target@example.test', 'wrong again', from('203.0.113.1')))).status).toBe(401);
      const longer = await h.app.request('/sign-in', signIn('target@example.test', 'the right password', from('203.0.113.1')));
      expect(longer.status).toBe(429);
      expect(Number(longer.headers.get('retry-after'))).toBe(2);
      // the owner, elsewhere, is not locked out by the stranger
      expect((await h.app.request('/sign-in', signIn('target@example.test', 'the right password', from('198.51.100.2')))).status).toBe(303);
      now += 2000;
      expect((await h.app.request('/sign-in', signIn('target@example.test', 'the right password', from('203.0.113.1')))).status).toBe(303);
    } finally {
      delete process.env['HALLWAY_TRUST_PROXY'];
    }
  });

  it(`${IP_LIMIT} failures on ${IP_LIMIT} accounts from one address (a proxy) no longer lock everyone behind it out`, async () => {
    for (let i = 0; i < IP_LIMIT; i++) expect((await h.app.request('/sign-in', signIn(`nobody${i}@example.test`, 'wrong password'))).status).toBe(401);
    expect((await h.app.request('/sign-in', signIn('bystander@example.test', 'another right one'))).status).toBe(303);
  });

  it(`spraying from one address stops at ${SIGN_IN_IP_LIMIT} failures in the window`, async () => {
    const gate = createAttemptLimits();
    let refused = 0;
    for (let i = 0; i < SIGN_IN_IP_LIMIT + 5; i++) {
      const a = reserveSignIn(gate, `sign-in:spray${i}@example.test`, '192.0.2.9', null, 0);
      if (typeof a === 'number') refused += 1;
      else a.fail(0);
    }
    expect(refused).toBe(5);
  });

  it('50 parallel wrong passwords for one account: at most PAIR_FREE hashes are checked, the rest get 429', async () => {
    const before = hashChecks.count;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h.app.request('/sign-in', signIn('target@example.test', `parallel ${i}`))));
    const checked = hashChecks.count - before;
    expect(checked).toBeLessThanOrEqual(PAIR_FREE);
    expect(results.filter((r) => r.status === 401).length).toBe(checked);
    expect(results.filter((r) => r.status === 429).length).toBe(50 - checked);
  });

  it('45 parallel wrong passwords on 45 accounts from one address: the address limit holds under the race', async () => {
    const gateLimits = createAttemptLimits();
    const reserved = Array.from({ length: SIGN_IN_IP_LIMIT + 45 }, (_, i) => reserveSignIn(gateLimits, `sign-in:p${i}@example.test`, '192.0.2.1', null, 0));
    // all reserved at once, none settled yet: no more than the limit may go ahead
    expect(reserved.filter((r) => typeof r !== 'number').length).toBe(SIGN_IN_IP_LIMIT);
  });

  it('a device cookie from an earlier sign-in lets the right password in while the account is under attack', async () => {
    const first = await h.app.request('/sign-in', signIn('target@example.test', 'the right password'));
    expect(first.status).toBe(303);
    const device = /hallway_device=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1];
    expect(device).toBeTruthy();
    // an attack from many addresses trips the account-wide limit
    process.env['HALLWAY_TRUST_PROXY'] = '1';
    try {
      for (let i = 0; i < SIGN_IN_ACCOUNT_LIMIT; i++) {
        await h.app.request('/sign-in', signIn('target@example.test', `attack ${i}`, { 'X-Forwarded-For': `10.1.${i >> 8}.${i & 255}` }));
      }
      // a new browser on a new address: refused
      const stranger = await h.app.request('/sign-in', signIn('target@example.test', 'the right password', { 'X-Forwarded-For': '10.200.0.1' }));
      expect(stranger.status).toBe(429);
      // the owner's browser, even from an address the attacker used: in
      const owner = await h.app.request('/sign-in', signIn('target@example.test', 'the right password', { 'X-Forwarded-For': '10.1.0.1', Cookie: `hallway_device=${device}` }));
      expect(owner.status).toBe(303);
      // a forged or another account's device cookie does not help
      const forged = await h.app.request('/sign-in', signIn('target@example.test', 'the right password', { 'X-Forwarded-For': '10.200.0.2', Cookie: `hallway_device=${device!.slice(0, -2)}xx` }));
      expect(forged.status).toBe(429);
    } finally {
      delete process.env['HALLWAY_TRUST_PROXY'];
    }
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
    for (let i = 0; i < PAIR_FREE; i++) await h.app.request('/sign-in', signIn('bystander@example.test', `wrong ${i}`, { 'X-Forwarded-For': `10.0.0.${i}` }));
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
