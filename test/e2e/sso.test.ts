import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_MS, checkA11y, startE2E } from './harness.ts';
import type { E2E } from './harness.ts';
import { startTestProvider } from '../support/oidc-provider.ts';
import type { TestAccount, TestProvider } from '../support/oidc-provider.ts';
import { walker } from '../support/sso-walk.ts';
import { givenEmployee } from '../auth-helpers.ts';
import { markLeft } from '../../src/auth/people.ts';
import { SSO_FLOW_COOKIE } from '../../src/auth/oidc.ts';
import { SESSION_COOKIE } from '../../src/auth/sessions.ts';
import { ACCESS } from '../../src/http/access.ts';
import { loadConfig } from '../../src/config.ts';
import { secretsInLog } from './log-secrets.ts';

/**
 * Single sign-on against a real OpenID provider (oidc-provider) running in this process on a
 * loopback port, and the real Hallway server. The browser walks the success and the refusals of an
 * unknown email, a left employee, a tampered state, a replayed code and another provider's answer.
 * Every refusal and the finer points (a code not spent by a refused state, a forged flow cookie, an
 * expired token) are walked with fetch and a cookie jar too.
 */
const SECRET = 'hallway test client secret, long enough';
const ACCOUNTS: Record<string, TestAccount> = {
  ada: { email: 'ada@example.test', email_verified: true },
  lee: { email: 'lee@example.test', email_verified: true },
  uma: { email: 'uma@example.test', email_verified: false },
  nobody: { email: 'nobody@example.test', email_verified: true },
};

describe('single sign-on with OpenID Connect', () => {
  let idp: TestProvider;
  /** a second provider: same client, same accounts, a different issuer */
  let impostor: TestProvider;
  let e2e: E2E;
  /** Hallway's clock, ahead of the real one by this much (the expired ID token case) */
  let aheadMs = 0;

  beforeAll(async () => {
    [idp, impostor] = await Promise.all([startTestProvider(), startTestProvider({ issuerHost: 'localhost' })]);
    e2e = await startE2E({
      env: { HALLWAY_OIDC_ISSUER: idp.issuer, HALLWAY_OIDC_CLIENT_ID: 'hallway', HALLWAY_OIDC_CLIENT_SECRET: SECRET, HALLWAY_OIDC_NAME: 'Example SSO' },
      load: { testOnlyHttpOidcIssuer: true },
      open: { metrics: true, clock: () => new Date(Date.now() + aheadMs) },
    });
    const client = { client_id: 'hallway', client_secret: SECRET, redirect_uris: [`${e2e.baseUrl}/sign-in/sso/callback`] };
    idp.configure([client], ACCOUNTS);
    impostor.configure([client], ACCOUNTS);
    await givenEmployee(e2e.ctx, { name: 'Ada Lovelace', email: 'ada@example.test' });
    await givenEmployee(e2e.ctx, { name: 'Uma Unverified', email: 'uma@example.test' });
    const lee = await givenEmployee(e2e.ctx, { name: 'Lee Left', email: 'lee@example.test' });
    const left = await markLeft(e2e.ctx, 'system', lee.employeeId);
    if ('error' in left) throw new Error(left.message);
  });
  afterAll(async () => {
    await e2e?.close();
    await Promise.all([idp?.close(), impostor?.close()]);
  });

  const failures = async (reason: string): Promise<number> => (await e2e.ctx.metrics!.signInFailures.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
  /** what the fetch walks sent Hallway (codes, states, flow and session cookies): never to be logged */
  const sentByWalks = new Set<string>();
  const walk = () =>
    walker(e2e.baseUrl, (url, init) => {
      for (const v of new URL(url).searchParams.values()) sentByWalks.add(v);
      for (const c of String((init.headers as Record<string, string>)['Cookie'] ?? '').split('; ')) sentByWalks.add(c.slice(c.indexOf('=') + 1));
      return fetch(url, init);
    });

  it(
    'success in the browser: the sign-in page offers the provider, and the person lands signed in as the employee with that verified email',
    async () => {
      const context = await e2e.newContext();
      const page = await context.newPage();
      await page.goto('/timelines');
      await page.waitForURL(/\/sign-in/);
      await checkA11y(page, 'sign-in page with single sign-on');
      // beside the password form, not instead of it (HALLWAY_PASSWORDS is on)
      await expect(page.getByLabel('Password').count()).resolves.toBe(1);
      await page.getByRole('link', { name: 'Sign in with Example SSO' }).click();
      await page.waitForURL((u) => u.origin === idp.issuer);
      await page.getByLabel('Username').fill('ada');
      await Promise.all([page.waitForURL((u) => u.origin === e2e.baseUrl && !u.pathname.startsWith('/sign-in')), page.getByRole('button', { name: 'Continue' }).click()]);
      // `next` survived the trip to the provider and back
      expect(new URL(page.url()).pathname).toBe('/timelines');
      await expect(page.getByRole('button', { name: /Sign out/ }).textContent()).resolves.toContain('Ada Lovelace');
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === SESSION_COOKIE);
      expect(session?.httpOnly).toBe(true);
      // the flow's cookie is used up
      expect(cookies.find((c) => c.name === SSO_FLOW_COOKIE)).toBeUndefined();
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'unknown email, in the browser: a clear refusal page (403), no session, and no account is created',
    async () => {
      const before = await failures('sso-unknown-email');
      const employees = (await import('../../src/read/org.ts')).orgQueries(e2e.ctx.runtime.db).employees().length;
      const context = await e2e.newContext();
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.getByRole('link', { name: 'Sign in with Example SSO' }).click();
      await page.getByLabel('Username').fill('nobody');
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${e2e.baseUrl}/sign-in/sso/callback`)), page.getByRole('button', { name: 'Continue' }).click()]);
      expect(response.status()).toBe(403);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('No Hallway account for this address');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('You signed in as nobody@example.test, which belongs to no employee in Hallway');
      await checkA11y(page, 'single sign-on refusal');
      expect((await context.cookies()).find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
      expect((await import('../../src/read/org.ts')).orgQueries(e2e.ctx.runtime.db).employees().length).toBe(employees);
      expect(await failures('sso-unknown-email')).toBe(before + 1);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'the refusals walked in the browser as well: a left employee, a tampered state, a replayed code, an answer from another provider',
    async () => {
      const callback = `${e2e.baseUrl}/sign-in/sso/callback`;
      /** From the sign-in page to the provider's login, as a person clicks; returns the page there. */
      const toProvider = async (context: Awaited<ReturnType<E2E['newContext']>>) => {
        const page = await context.newPage();
        await page.goto('/sign-in');
        await page.getByRole('link', { name: 'Sign in with Example SSO' }).click();
        await page.getByLabel('Username').waitFor();
        return page;
      };
      /** Logs in at the provider and answers Hallway's response to the callback. */
      const login = async (page: Awaited<ReturnType<typeof toProvider>>, username: string) => {
        await page.getByLabel('Username').fill(username);
        const [response] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(callback)), page.getByRole('button', { name: 'Continue' }).click()]);
        return response;
      };
      const signedIn = async (context: Awaited<ReturnType<E2E['newContext']>>) => (await context.cookies()).some((c) => c.name === SESSION_COOKIE);

      // an employee who has left
      {
        const context = await e2e.newContext();
        const page = await toProvider(context);
        const res = await login(page, 'lee');
        expect(res.status()).toBe(403);
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBeTruthy();
        expect(await page.content()).toContain('This account is closed');
        expect(await signedIn(context)).toBe(false);
        await context.close();
      }
      // the state changed on its way back to Hallway: the provider's redirect chain after the login
      // (to its own /auth, then to Hallway) is walked with the context's own cookies, and the browser
      // is sent to Hallway's callback with the state changed (a route sees only a chain's first request)
      {
        const context = await e2e.newContext();
        await context.route(`${idp.issuer}/interaction/*/login`, async (r) => {
          const login = await r.fetch({ maxRedirects: 0 });
          const resume = await context.request.get(new URL(login.headers()['location']!, idp.issuer).href, { maxRedirects: 0 });
          const back = new URL(resume.headers()['location']!);
          back.searchParams.set('state', `${back.searchParams.get('state')}x`);
          return r.fulfill({ status: 303, headers: { location: back.href } });
        });
        const page = await toProvider(context);
        const res = await login(page, 'ada');
        expect(res.status()).toBe(400);
        expect(await page.content()).toContain('its state does not match');
        expect(await signedIn(context)).toBe(false);
        await context.close();
      }
      // a code replayed in another browser that copied the flow's cookie
      {
        const context = await e2e.newContext();
        const page = await toProvider(context);
        const flow = (await context.cookies()).find((c) => c.name === SSO_FLOW_COOKIE)!;
        expect(flow).toBeTruthy();
        const first = await login(page, 'ada');
        const back = first.url();
        await page.waitForURL((u) => u.origin === e2e.baseUrl && !u.pathname.startsWith('/sign-in'));
        expect(await signedIn(context)).toBe(true);
        const thief = await e2e.newContext();
        await thief.addCookies([{ ...flow, expires: -1 }]);
        const stolen = await thief.newPage();
        const replay = await stolen.goto(back);
        expect(replay?.status()).toBe(400);
        expect(await stolen.content()).toContain('it was already used, or it has expired');
        expect(await signedIn(thief)).toBe(false);
        await thief.close();
        await context.close();
      }
      // Hallway's own request sent on to another provider, which answers in its place
      {
        const context = await e2e.newContext();
        // Hallway's answer to the button (its flow cookie, its redirect) with the redirect pointed at the
        // other provider (a route sees only the first request of a redirect chain: this one)
        await context.route(`${e2e.baseUrl}/sign-in/sso`, async (r) => {
          const response = await r.fetch({ maxRedirects: 0 });
          const to = new URL(response.headers()['location']!);
          return r.fulfill({ response, headers: { ...response.headers(), location: new URL(to.pathname + to.search, impostor.issuer).href } });
        });
        const page = await toProvider(context);
        expect(new URL(page.url()).origin).toBe(impostor.issuer);
        const res = await login(page, 'ada');
        expect(new URL(res.url()).searchParams.get('iss')).toBe(impostor.issuer);
        expect(res.status()).toBe(400);
        expect(await page.content()).toContain('came from a different provider');
        expect(await signedIn(context)).toBe(false);
        await context.close();
      }
    },
    BROWSER_TEST_MS * 2,
  );

  it('an employee who has left is refused (403), and the refusal is counted', async () => {
    const w = walk();
    const before = await failures('sso-left');
    const res = await w.hallway(await w.providerLogin(await w.start(), 'lee'));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This account is closed');
    expect(w.jar.get(e2e.baseUrl, SESSION_COOKIE)).toBeUndefined();
    expect(await failures('sso-left')).toBe(before + 1);
  });

  it('an email the provider has not verified is refused (403), though an employee has it', async () => {
    const w = walk();
    const before = await failures('sso-unverified-email');
    const res = await w.hallway(await w.providerLogin(await w.start(), 'uma'));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Your email address is not verified');
    expect(w.jar.get(e2e.baseUrl, SESSION_COOKIE)).toBeUndefined();
    expect(await failures('sso-unverified-email')).toBe(before + 1);
  });

  it('a tampered state is refused (400) before the code is used: the untouched answer still signs in afterwards', async () => {
    const w = walk();
    const before = await failures('sso-bad-state');
    const back = new URL(await w.providerLogin(await w.start(), 'ada'));
    const flow = w.jar.get(e2e.baseUrl, SSO_FLOW_COOKIE)!;
    const tampered = new URL(back);
    tampered.searchParams.set('state', `${back.searchParams.get('state')}x`);
    const res = await w.hallway(tampered.href);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('its state does not match');
    expect(w.jar.get(e2e.baseUrl, SESSION_COOKIE)).toBeUndefined();
    expect(await failures('sso-bad-state')).toBe(before + 1);
    // the refusal did not spend the code: with the flow's cookie back, the real answer works
    w.jar.set(e2e.baseUrl, SSO_FLOW_COOKIE, flow);
    const ok = await w.hallway(back.href);
    expect(ok.status).toBe(303);
    expect(w.jar.get(e2e.baseUrl, SESSION_COOKIE)).toMatch(/^[a-z2-9]{24}\.[a-z2-9]{24}$/);
  });

  it('a flow cookie that Hallway did not sign, or none at all, is refused (400)', async () => {
    const w = walk();
    const back = await w.providerLogin(await w.start(), 'ada');
    const flow = w.jar.get(e2e.baseUrl, SSO_FLOW_COOKIE)!;
    const [body, mac] = flow.split('.') as [string, string];
    // the same flow with its own state changed, re-encoded: the signature no longer matches
    const changed = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    changed['next'] = '/admin';
    w.jar.set(e2e.baseUrl, SSO_FLOW_COOKIE, `${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${mac}`);
    const forged = await w.hallway(back);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('not started in this browser');
    const none = await w.hallway(back);
    expect(none.status).toBe(400);
    expect(w.jar.get(e2e.baseUrl, SESSION_COOKIE)).toBeUndefined();
  });

  it('a replayed code is refused (400) by the provider, even with the flow cookie copied', async () => {
    const w = walk();
    const back = await w.providerLogin(await w.start(), 'ada');
    const flow = w.jar.get(e2e.baseUrl, SSO_FLOW_COOKIE)!;
    const first = await w.hallway(back);
    expect(first.status).toBe(303);
    const before = await failures('sso-code-refused');
    // an attacker with the URL and a copy of the cookie, in another cookie jar
    const thief = walk();
    thief.jar.set(e2e.baseUrl, SSO_FLOW_COOKIE, flow);
    const replay = await thief.hallway(back);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('it was already used, or it has expired');
    expect(thief.jar.get(e2e.baseUrl, SESSION_COOKIE)).toBeUndefined();
    expect(await failures('sso-code-refused')).toBe(before + 1);
  });

  it('an answer from another provider (a different issuer) is refused (400), with or without its iss parameter', async () => {
    const w = walk();
    const before = await failures('sso-wrong-issuer');
    // Hallway's own request (its state, nonce, PKCE challenge), sent to the other provider
    const auth = new URL(await w.start());
    const elsewhere = new URL(auth.pathname + auth.search, impostor.issuer);
    const back = new URL(await w.providerLogin(elsewhere.href, 'ada'));
    expect(back.searchParams.get('iss')).toBe(impostor.issuer);
    const flow = w.jar.get(e2e.baseUrl, SSO_FLOW_COOKIE)!;
    const res = await w.hallway(back.href);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('came from a different provider');
    expect(await failures('sso-wrong-issuer')).toBe(before + 1);
    // the parameter removed: refused all the same (Hallway's provider always sends it, and knows no such code)
    back.searchParams.delete('iss');
    w.jar.set(e2e.baseUrl, SSO_FLOW_COOKIE, flow);
    const stripped = await w.hallway(back.href);
    expect(stripped.status).toBe(400);
    expect(w.jar.get(e2e.baseUrl, SESSION_COOKIE)).toBeUndefined();
  });

  it("an expired ID token is refused (400): token times are judged by Hallway's clock", async () => {
    const w = walk();
    const before = await failures('sso-token-invalid');
    aheadMs = 2 * 3600_000;
    try {
      const res = await w.hallway(await w.providerLogin(await w.start(), 'ada'));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('The sign-in could not be verified');
      expect(w.jar.get(e2e.baseUrl, SESSION_COOKIE)).toBeUndefined();
    } finally {
      aheadMs = 0;
    }
    expect(await failures('sso-token-invalid')).toBe(before + 1);
  });

  it('the authorization request carries PKCE (S256), state, nonce and the registered redirect URI', async () => {
    const auth = new URL(await walk().start());
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(auth.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(auth.searchParams.get('redirect_uri')).toBe(`${e2e.baseUrl}/sign-in/sso/callback`);
    expect(auth.searchParams.get('scope')).toBe('openid email');
  });

  it('the log says why a sign-in was refused, and holds no code, state or cookie of any of these walks', () => {
    expect(e2e.logLines.some((l) => l.includes('"reason":"sso-left"') && l.includes('single sign-on refused'))).toBe(true);
    expect(sentByWalks.size).toBeGreaterThan(5);
    expect(secretsInLog(e2e.logLines, { passwords: [SECRET], sent: sentByWalks, db: e2e.ctx.runtime.db })).toEqual([]);
  });

  it('both routes are in the access table, public (whoever signs in has no session yet)', () => {
    for (const path of ['/sign-in/sso', '/sign-in/sso/callback']) expect(ACCESS.find((r) => r.method === 'GET' && r.path === path)?.allow).toBe('public');
  });

  it('the configuration: the three variables together, https only, the button name optional', () => {
    const base = { HALLWAY_OIDC_ISSUER: 'https://login.example.test', HALLWAY_OIDC_CLIENT_ID: 'hallway', HALLWAY_OIDC_CLIENT_SECRET: 's' };
    expect(loadConfig(base).oidc).toEqual({ issuer: 'https://login.example.test', clientId: 'hallway', clientSecret: 's', name: 'your company account' });
    expect(loadConfig({ ...base, HALLWAY_OIDC_NAME: 'Okta' }).oidc?.name).toBe('Okta');
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(() => loadConfig({ ...base, HALLWAY_OIDC_CLIENT_SECRET: '' })).toThrow(/HALLWAY_OIDC_CLIENT_SECRET is required/);
    expect(() => loadConfig({ ...base, HALLWAY_OIDC_ISSUER: 'http://login.example.test' })).toThrow(/HALLWAY_OIDC_ISSUER must be an https:\/\/ URL/);
    expect(() => loadConfig({ ...base, HALLWAY_OIDC_ISSUER: 'login.example.test' })).toThrow(/HALLWAY_OIDC_ISSUER must be the provider's issuer URL/);
    expect(() => loadConfig({ HALLWAY_PASSWORDS: 'off' })).toThrow(/HALLWAY_PASSWORDS=off needs single sign-on/);
    expect(() => loadConfig({ ...base, HALLWAY_PASSWORDS: 'no' })).toThrow(/HALLWAY_PASSWORDS must be on or off/);
    expect(loadConfig({ ...base, HALLWAY_PASSWORDS: 'off' }).passwords).toBe(false);
    expect(loadConfig({}).passwords).toBe(true);
  });
});
