import type { MiddlewareHandler } from 'hono';
import type { AppContext, AppEnv } from '../http/env.ts';

/** Resolves the session cookie (or API token) to the signed-in person. Filled in by the auth work. */
export function sessionMiddleware(_ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('user', null);
    await next();
  };
}
