import type { MiddlewareHandler } from 'hono';
import type { AppContext, AppEnv } from '../http/env.ts';
import { resolveApiToken } from './api-tokens.ts';
import { cookieValue } from './cookie-value.ts';
import { requestHeader } from '../http/request-header.ts';
import { SESSION_COOKIE, setSessionCookie, validateSessionToken } from './sessions.ts';

/** Resolves the session cookie (or an API bearer token) to the signed-in person, or null. */
export function sessionMiddleware(ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('user', null);
    const auth = requestHeader(c, 'authorization');
    // API tokens are for the JSON API only: a leader's token must not tell stories or read pages
    if (auth?.startsWith('Bearer ') && c.req.path.startsWith('/api/')) {
      c.set('user', await resolveApiToken(ctx, auth.slice('Bearer '.length).trim()));
      return next();
    }
    // as hono's getCookie(c, SESSION_COOKIE) reads it, for a fifth of the cost (src/auth/cookie-value.ts)
    const token = cookieValue(requestHeader(c, 'cookie'), SESSION_COOKIE);
    if (token) {
      const session = await validateSessionToken(ctx, token);
      if (session) {
        const e = session.employee;
        c.set('user', {
          employeeId: e.employeeId,
          name: e.name,
          departmentId: e.departmentId,
          joinedOn: e.joinedOn,
          roles: e.roles,
          via: 'session',
          sessionId: session.sessionId,
        });
        // keep the cookie's expiry in step with the extended session
        if (session.extended) setSessionCookie(c, ctx, token, session.expiresAt);
      }
    }
    await next();
  };
}
