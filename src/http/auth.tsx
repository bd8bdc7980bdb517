import { Hono } from 'hono';
import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PasswordsOffPage, SignInPage, TooManyAttemptsPage } from '../../views/pages/sign-in.tsx';
import type { SignInProps } from '../../views/pages/sign-in.tsx';
import { SetupClosedPage, SetupPage } from '../../views/pages/setup.tsx';
import type { SetupValues } from '../../views/pages/setup.tsx';
import { InvitationInvalidPage, InvitationPage } from '../../views/pages/invitation.tsx';
import type { FieldErrors } from '../../views/fragments/admin-fields.tsx';
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from '../auth/passwords.ts';
import { acceptInvitation, addPeople, emailClaimHolder, invitationHolder, openDepartment } from '../auth/people.ts';
import { clientIp, createAttemptLimits, recordFailure, reserveSignIn, retryAfter } from '../auth/rate-limit.ts';
import { trustedDevice } from '../auth/device.ts';
import { failureReason, recordSignInFailure } from '../auth/sign-in-failures.ts';
import type { AttemptLimits } from '../auth/rate-limit.ts';
import { createSession, deleteSessionCookie, endSession, SESSION_COOKIE, setSessionCookie, signedInAs } from '../auth/sessions.ts';
import { consumeSetup, restoreSetup, setupStatus } from '../auth/setup.ts';
import { isDomainError } from '../domain/decider.ts';
import { orgQueries } from '../read/org.ts';
import { passwordHashOf } from '../read/auth.ts';
import type { AppContext, AppEnv } from './env.ts';
import { getCookie } from 'hono/cookie';

// C0 controls, DEL and backslash: browsers strip or rewrite them (`/\t/evil` is `//evil`)
const UNSAFE_IN_NEXT = /[\u0000-\u001f\u007f\\]/u;
const BASE = 'http://hallway.invalid';

/**
 * Only local paths: a `next` pointing elsewhere would make sign-in an open redirect. It must
 * start with one `/`, hold no control character or backslash (also once
 * percent-decoded, in case a proxy or a second hop decodes it), and parse as same-origin. The
 * parsed form is returned, so the Location header is plain ASCII and exactly what a browser sees.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return '/';
  const local = (s: string): boolean => s.startsWith('/') && !s.startsWith('//') && !UNSAFE_IN_NEXT.test(s);
  let decoded = next;
  for (let i = 0; i < 4; i++) {
    if (!local(decoded)) return '/';
    let once: string;
    try {
      once = decodeURIComponent(decoded);
    } catch {
      return '/';
    }
    if (once === decoded) break;
    decoded = once;
  }
  if (!local(decoded)) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  const path = url.pathname + url.search + url.hash;
  return local(path) ? path : '/';
}

const GENERIC_FAILURE = 'That email and password do not match an account. Check both and try again.';

const tooMany = (seconds: number): string =>
  `Too many failed attempts. For your account's safety, wait ${seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : seconds === 1 ? 'a second' : `${seconds} seconds`} and try again.`;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** After a successful form post: htmx follows HX-Redirect (a full page load), browsers a 303. */
function done(c: Context<AppEnv>, to: string): Response {
  if (c.req.header('hx-request')) {
    c.header('HX-Redirect', to);
    return c.body(null, 204);
  }
  return c.redirect(to, 303);
}

const SetupForm = z.object({
  name: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  email: z.string().trim().min(1, 'is required').pipe(z.email('must be an email address').max(320, 'must be at most 320 characters')),
  departmentName: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  password: z.string(),
});

const fieldErrors = (issues: { path: PropertyKey[]; message: string }[]): FieldErrors => {
  const out: FieldErrors = {};
  for (const i of issues) {
    const k = String(i.path[0] ?? '_form');
    out[k] ??= i.message;
  }
  return out;
};

export function authRoutes(ctx: AppContext, limits: AttemptLimits = createAttemptLimits()): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const now = (): number => ctx.clock().getTime();
  // single sign-on beside the password form, or instead of it (HALLWAY_PASSWORDS=off)
  const sso = ctx.config.oidc ? { name: ctx.config.oidc.name } : undefined;
  const signInPage = (props: SignInProps) => <SignInPage {...props} passwords={ctx.config.passwords} {...(sso ? { sso } : {})} />;
  /** 403 for a password route while passwords are off (config ensures single sign-on is set up then) */
  const passwordsOff = (c: Context<AppEnv>, title: string): Response | Promise<Response> | null => {
    if (ctx.config.passwords || !sso) return null;
    c.status(403);
    return c.render(<PasswordsOffPage sso={sso} />, { title });
  };

  /** 429 with Retry-After when this IP or account has failed too often; null when allowed. */
  const limited = (c: Context<AppEnv>, ip: string, account: string | null, page: (wait: number) => Response | Promise<Response>): Response | Promise<Response> | null => {
    const wait = retryAfter(limits, ip, account, now());
    if (wait === 0) return null;
    c.header('Retry-After', String(wait));
    c.status(429);
    return page(wait);
  };

  app.get('/sign-in', (c) => {
    if (c.get('user')) return c.redirect(safeNext(c.req.query('next')), 303);
    return c.render(signInPage({ next: safeNext(c.req.query('next')) }), { title: 'Sign in' });
  });

  app.post('/sign-in', async (c) => {
    const off = passwordsOff(c, 'Sign in');
    if (off) {
      ctx.metrics?.signInFailures.inc({ reason: 'passwords-off' });
      return off;
    }
    const form = await c.req.parseBody();
    const email = str(form['email']).trim();
    const password = str(form['password']);
    const next = safeNext(form['next']);
    const ip = clientIp(c);
    const employee = email ? orgQueries(ctx.runtime.db).employeeByEmail(email) : undefined;
    const device = employee ? trustedDevice(c, ctx, employee.employeeId) : null;
    // reserved before the hash is checked: parallel guesses cannot all be checked before one is counted
    const attempt = reserveSignIn(limits, `sign-in:${email.toLowerCase()}`, ip, device, now());
    if (typeof attempt === 'number') {
      c.header('Retry-After', String(attempt));
      c.status(429);
      ctx.metrics?.signInFailures.inc({ reason: 'too-many-attempts' });
      return c.render(signInPage({ email, error: tooMany(attempt), next }), { title: 'Sign in' });
    }
    const hashRow = employee ? { password_hash: passwordHashOf(ctx.runtime.db, employee.employeeId) } : undefined;
    // the same work and the same message whether or not the email exists
    const ok = employee && !employee.leftAt && hashRow?.password_hash ? await verifyPassword(hashRow.password_hash, password) : await verifyAgainstDummy(password);
    if (!ok || !employee) {
      attempt.fail(now());
      // a blank address is no attempt on anyone; everything else goes into the audit trail
      const reason = email ? failureReason(employee, !!hashRow?.password_hash) : null;
      ctx.metrics?.signInFailures.inc({ reason: reason ?? 'blank-email' });
      if (reason) await recordSignInFailure(ctx, employee?.employeeId, reason);
      c.status(401);
      return c.render(signInPage({ email, error: GENERIC_FAILURE, next }), { title: 'Sign in' });
    }
    attempt.succeed();
    await signedInAs(c, ctx, employee.employeeId);
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

  // ------------------------------------------------------------ first run

  // HALLWAY_PASSWORDS=off: the setup form asks for no password (the admin signs in through the provider)
  const setupSso = !ctx.config.passwords && sso ? { sso } : {};

  app.get('/setup/:token', (c) => {
    const status = setupStatus(ctx, c.req.param('token'));
    if (status !== 'open') {
      c.status(status === 'gone' ? 410 : 404);
      return c.render(<SetupClosedPage gone={status === 'gone'} />, { title: 'Setup' });
    }
    return c.render(<SetupPage token={c.req.param('token')} {...setupSso} />, { title: 'Set up Hallway' });
  });

  app.post('/setup/:token', async (c) => {
    const token = c.req.param('token');
    const ip = clientIp(c);
    const blocked = limited(c, ip, null, (wait) => c.render(<TooManyAttemptsPage message={tooMany(wait)} />, { title: 'Setup' }));
    if (blocked) return blocked;
    const status = setupStatus(ctx, token);
    if (status !== 'open') {
      recordFailure(limits, ip, null, now());
      c.status(status === 'gone' ? 410 : 404);
      return c.render(<SetupClosedPage gone={status === 'gone'} />, { title: 'Setup' });
    }
    const form = await c.req.parseBody();
    const values: SetupValues = { name: str(form['name']), email: str(form['email']), departmentName: str(form['departmentName']) };
    const parsed = SetupForm.safeParse({ ...values, password: str(form['password']) });
    const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error.issues);
    // with passwords off the first admin has none: they sign in through the provider with this email
    const pw = ctx.config.passwords ? passwordProblem(str(form['password'])) : null;
    if (pw) errors['password'] ??= pw;
    if (parsed.success && (await emailClaimHolder(ctx, parsed.data.email)) !== null) errors['email'] ??= 'is already used by an employee';
    if (!parsed.success || Object.keys(errors).length) {
      c.status(422);
      return c.render(<SetupPage token={token} values={values} errors={errors} {...setupSso} />, { title: 'Set up Hallway' });
    }
    // checked again and used up with no await in between: of two posts at once, only one creates an admin
    if (setupStatus(ctx, token) !== 'open') {
      c.status(404);
      return c.render(<SetupClosedPage gone={false} />, { title: 'Setup' });
    }
    const expiresAt = ctx.setup.expiresAt;
    consumeSetup(ctx);
    const { name, email, departmentName, password } = parsed.data;
    const departmentId = randomUUID();
    const employeeId = randomUUID();
    try {
      const opened = await openDepartment(ctx, 'system', departmentId, departmentName);
      if (isDomainError(opened)) throw new Error(opened.message);
      const added = await addPeople(ctx, 'system', [
        {
          person: { employeeId, name, email, departmentId, joinedOn: ctx.clock().toISOString().slice(0, 10) },
          roles: ['admin'],
          ...(ctx.config.passwords ? { passwordHash: await hashPassword(password) } : {}),
        },
      ]);
      if (isDomainError(added)) throw new Error(added.message);
    } catch (e) {
      // nothing of the admin exists yet: the link stays usable (a department may have been opened)
      restoreSetup(ctx, token, expiresAt);
      throw e;
    }
    const session = await createSession(ctx, employeeId);
    setSessionCookie(c, ctx, session.token, session.expiresAt);
    return done(c, '/admin');
  });

  // ------------------------------------------------------------ invitations

  app.get('/invitation/:token', (c) => {
    const off = passwordsOff(c, 'Invitation');
    if (off) return off;
    const holder = invitationHolder(ctx, c.req.param('token'));
    if (!holder) {
      c.status(404);
      return c.render(<InvitationInvalidPage />, { title: 'Invitation' });
    }
    return c.render(<InvitationPage token={c.req.param('token')} name={holder.name} />, { title: 'Welcome' });
  });

  app.post('/invitation/:token', async (c) => {
    const off = passwordsOff(c, 'Invitation');
    if (off) return off;
    const token = c.req.param('token');
    const ip = clientIp(c);
    // the invitation is the account here: its token names the person
    const account = `invitation:${token.slice(0, 64)}`;
    const blocked = limited(c, ip, account, (wait) => c.render(<TooManyAttemptsPage message={tooMany(wait)} />, { title: 'Invitation' }));
    if (blocked) return blocked;
    const holder = invitationHolder(ctx, token);
    if (!holder) {
      recordFailure(limits, ip, account, now());
      c.status(404);
      return c.render(<InvitationInvalidPage />, { title: 'Invitation' });
    }
    const form = await c.req.parseBody();
    const password = str(form['password']);
    const errors: FieldErrors = {};
    const pw = passwordProblem(password);
    if (pw) errors['password'] = pw;
    else if (str(form['confirm']) !== password) errors['confirm'] = 'does not match the password';
    if (Object.keys(errors).length) {
      recordFailure(limits, ip, account, now());
      c.status(422);
      return c.render(<InvitationPage token={token} name={holder.name} errors={errors} />, { title: 'Welcome' });
    }
    const r = await acceptInvitation(ctx, holder.employeeId, token, await hashPassword(password));
    if (isDomainError(r)) {
      c.status(404);
      return c.render(<InvitationInvalidPage />, { title: 'Invitation' });
    }
    limits.account.clear(account);
    const session = await createSession(ctx, holder.employeeId);
    setSessionCookie(c, ctx, session.token, session.expiresAt);
    return done(c, '/');
  });

  return app;
}
