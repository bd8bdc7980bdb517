import { Hono } from 'hono';
import type { AsOfSnapshots } from '../../src/asof/snapshots.ts';
import { asOfPages } from '../../src/http/as-of.tsx';
import type { AppContext, AppEnv } from '../../src/http/env.ts';
import { renderer } from '../../views/renderer.tsx';

/**
 * The dated pages alone (asOfPages over `snapshots`), for a leader in d-eng set directly on the
 * request: these tests are about what a date shows, not about signing in.
 */
export function asOfApp(ctx: AppContext, snapshots: AsOfSnapshots, employeeId: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('user', { employeeId, name: `Person ${employeeId}`, departmentId: 'd-eng', joinedOn: '2020-01-01', roles: ['leader'], via: 'session' });
    await next();
  });
  app.use(renderer);
  app.use(asOfPages(ctx, snapshots));
  return app;
}
