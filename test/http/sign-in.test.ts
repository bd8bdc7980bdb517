import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { givenEmployee } from '../auth-helpers.ts';

describe('signing in and out', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  beforeAll(async () => {
    h = await testHallway();
    await givenEmployee(h, { email: 'ada@example.test', password: 'correct horse battery', roles: [] });
  });
  afterAll(async () => h.dispose());

  const post = (body: string, cookie = '') =>
    h.app.request('/sign-in', { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost', Cookie: cookie } });

  it('signs in with the right password and sets a safe session cookie', async () => {
    const res = await post('email=ada%40example.test&password=correct+horse+battery');
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^hallway_session=[a-z2-9]{24}\.[a-z2-9]{24};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    const token = cookie.split(';')[0]!;
    const home = await h.app.request('/', { headers: { Cookie: token } });
    expect(home.status).not.toBe(303);
    // signing out ends the session: the same cookie no longer works
    const out = await h.app.request('/sign-out', { method: 'POST', headers: { Cookie: token, Origin: 'http://localhost' } });
    expect(out.status).toBe(303);
    const after = await h.app.request('/', { headers: { Cookie: token } });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/sign-in/);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const wrong = await post('email=ada%40example.test&password=not+the+password');
    const unknown = await post('email=nobody%40example.test&password=not+the+password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.text()).replace(/value="[^"]*"/g, '');
    const b = (await unknown.text()).replace(/value="[^"]*"/g, '');
    expect(a).toBe(b);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a cross-origin form post', async () => {
    const res = await h.app.request('/sign-in', {
      method: 'POST',
      body: 'email=ada%40example.test&password=correct+horse+battery',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://evil.example' },
    });
    expect(res.status).toBe(403);
  });
});
