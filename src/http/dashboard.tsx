import { Hono } from 'hono';
import type { AppContext, AppEnv } from './env.ts';

export function dashboardRoutes(_ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
