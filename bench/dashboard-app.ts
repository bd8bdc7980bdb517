import { Hono } from 'hono';
import type { Config } from '../src/config.ts';
import { dashboardRoutes } from '../src/http/dashboard.tsx';
import type { AppContext, AppEnv } from '../src/http/env.ts';
import type { Views } from '../src/projections/runtime.ts';
import { renderer } from '../views/renderer.tsx';

/**
 * The dashboard's routes over a built views.db, as a leader sees them: what the dashboard benches
 * time (no store, no session look-up; the store bench measures the store).
 */
export function dashboardBenchApp(views: Views, config: Config, now: number): Hono<AppEnv> {
  const ctx = { runtime: { db: views }, config, clock: () => new Date(now) } as unknown as AppContext;
  const app = leaderBenchApp();
  app.route('/', dashboardRoutes(ctx));
  return app;
}

/** An app whose every request comes from a signed-in leader, with the page renderer: routes go on it. */
export function leaderBenchApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('user', { employeeId: 'e0', name: 'Leader', departmentId: 'd0', joinedOn: '2020-01-01', roles: ['leader'], via: 'session' });
    await next();
  });
  app.use(renderer);
  return app;
}

/** Milliseconds for one GET answered 200 and read to the end (anything else throws). */
export async function timedGet(app: Hono<AppEnv>, path: string): Promise<number> {
  const s = performance.now();
  const res = await app.request(path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  await res.text();
  return performance.now() - s;
}
