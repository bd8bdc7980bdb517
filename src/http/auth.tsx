import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { SignInPage } from '../../views/pages/sign-in.tsx';
import { verifyAgainstDummy, verifyPassword } from '../auth/passwords.ts';
import { createSession, deleteSessionCookie, endSession, SESSION_COOKIE, setSessionCookie } from '../auth/sessions.ts';
import { orgQueries } from '../read/org.ts';
import type { AppContext, AppEnv } from './env.ts';

/** Only local paths: a `next` pointing elsewhere would make sign-in an open redirect. */
export const safeNext = (next: unknown): string =>
  typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';

const GENERIC_FAILURE = 'That email and password do not match an account. Check both and try again.';

export function authRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/sign-in', (c) => {
    if (c.get('user')) return c.redirect(safeNext(c.req.query('next')), 303);
    return c.render(<SignInPage next={safeNext(c.req.query('next'))} />, { title: 'Sign in' });
  });

  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const email = typeof form['email'] === 'string' ? form['email'].trim() : '';
    const password = typeof form['password'] === 'string' ? form['password'] : '';
    const next = safeNext(form['next']);
    const employee = email ? orgQueries(ctx.runtime.db).employeeByEmail(email) : undefined;
    const hashRow = employee
      ? ctx.runtime.db.prepare<[string], { password_hash: string | null }>('SELECT password_hash FROM auth_credentials WHERE employee_id = ?').get(employee.employeeId)
      : undefined;
    // the same work and the same message whether or not the email exists
    const ok = employee && !employee.leftAt && hashRow?.password_hash ? await verifyPassword(hashRow.password_hash, password) : await verifyAgainstDummy(password);
    if (!ok || !employee) {
      c.status(401);
      return c.render(<SignInPage email={email} error={GENERIC_FAILURE} next={next} />, { title: 'Sign in' });
    }
    const { token, expiresAt } = await createSession(ctx, employee.employeeId);
    setSessionCookie(c, ctx, token, expiresAt);
    return c.redirect(next, 303);
  });

  app.post('/sign-out', async (c) => {
    const user = c.get('user');
    if (user?.sessionId) await endSession(ctx, user.sessionId, 'signed-out', user.employeeId);
    deleteSessionCookie(c);
    if (getCookie(c, SESSION_COOKIE) && c.req.header('hx-request')) {
      c.header('HX-Redirect', '/sign-in');
      return c.body(null, 204);
    }
    return c.redirect('/sign-in', 303);
  });

  return app;
}
