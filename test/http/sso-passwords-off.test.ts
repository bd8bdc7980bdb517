import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { formHeaders, givenEmployee } from '../auth-helpers.ts';
import { startTestProvider } from '../support/oidc-provider.ts';
import type { TestProvider } from '../support/oidc-provider.ts';
import { walker } from '../support/sso-walk.ts';
import { openSetup } from '../../src/auth/setup.ts';
import { SESSION_COOKIE } from '../../src/auth/sessions.ts';
import { passwordHashOf } from '../../src/read/auth.ts';
import { orgQueries } from '../../src/read/org.ts';

/**
 * HALLWAY_PASSWORDS=off: the sign-in page offers only the company's provider, every password route
 * refuses clearly, and the first admin is still made through the printed setup link (with no
 * password), then signs in through the provider with the email they gave.
 */
describe('passwords off: single sign-on only', () => {
  let idp: TestProvider;
  let h: Awaited<ReturnType<typeof testHallway>>;
  const SECRET = 'passwords off test client secret';

  beforeAll(async () => {
    // this provider sends the email only from its userinfo endpoint (Hallway asks there)
    idp = await startTestProvider({ emailInIdToken: false });
    idp.configure([{ client_id: 'hallway', client_secret: SECRET, redirect_uris: ['http://localhost:3000/sign-in/sso/callback'] }], {
      root: { email: 'root@example.test', email_verified: true },
    });
    h = await testHallway({
      env: { HALLWAY_PASSWORDS: 'off', HALLWAY_OIDC_ISSUER: idp.issuer, HALLWAY_OIDC_CLIENT_ID: 'hallway', HALLWAY_OIDC_CLIENT_SECRET: SECRET, HALLWAY_OIDC_NAME: 'Example SSO' },
      load: { testOnlyHttpOidcIssuer: true },
      metrics: true,
    });
  });
  afterAll(async () => {
    await h?.dispose();
    await idp?.close();
  });

  it('the sign-in page offers the provider and no password form', async () => {
    const html = await (await h.app.request('/sign-in?next=%2Ftimelines')).text();
    expect(html).toContain('Sign in with Example SSO');
    expect(html).toContain('href="/sign-in/sso?next=%2Ftimelines"');
    expect(html).not.toContain('name="password"');
    expect(html).not.toContain('action="/sign-in"');
  });

  it('a password sign-in is refused (403) with a message naming the provider, and counted', async () => {
    const someone = await givenEmployee(h, { email: 'pat@example.test', password: 'a password from before' });
    const res = await h.app.request('/sign-in', { method: 'POST', headers: formHeaders(''), body: new URLSearchParams({ email: someone.email, password: someone.password! }).toString() });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This Hallway does not use passwords: everyone signs in with Example SSO.');
    expect(res.headers.get('set-cookie') ?? '').not.toContain(SESSION_COOKIE);
    expect((await h.metrics!.signInFailures.get()).values.find((v) => v.labels.reason === 'passwords-off')?.value).toBe(1);
  });

  it('invitation links (which set a password) are refused (403) the same way', async () => {
    const token = 'a'.repeat(48);
    const get = await h.app.request(`/invitation/${token}`);
    expect(get.status).toBe(403);
    expect(await get.text()).toContain('Passwords are turned off');
    const post = await h.app.request(`/invitation/${token}`, { method: 'POST', headers: formHeaders(''), body: 'password=whatever+long+enough&confirm=whatever+long+enough' });
    expect(post.status).toBe(403);
  });

  it('the first admin: the setup link asks for no password, then they sign in through the provider by that email (read from its userinfo endpoint)', async () => {
    const link = openSetup(h);
    const path = new URL(link!).pathname;
    const form = await (await h.app.request(path)).text();
    expect(form).toContain('Passwords are turned off: you will sign in with Example SSO');
    expect(form).not.toContain('name="password"');
    const made = await h.app.request(path, { method: 'POST', headers: formHeaders(''), body: new URLSearchParams({ name: 'Root Admin', email: 'root@example.test', departmentName: 'IT' }).toString() });
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toBe('/admin');
    const admin = orgQueries(h.runtime.db).employeeByEmail('root@example.test')!;
    expect(admin.roles).toContain('admin');
    expect(passwordHashOf(h.runtime.db, admin.employeeId)).toBeFalsy();

    const w = walker('http://localhost:3000', async (url, init) => h.app.request(url, init));
    const back = await w.providerLogin(await w.start('/admin'), 'root');
    const res = await w.hallway(back);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const page = await h.app.request('/admin', { headers: { Cookie: `${SESSION_COOKIE}=${w.jar.get('http://localhost:3000', SESSION_COOKIE)}` } });
    expect(page.status).toBe(200);
  });
});
