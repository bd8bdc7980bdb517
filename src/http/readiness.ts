import type { MiddlewareHandler } from 'hono';
import { problemResponse } from '../../views/fragments/problem.tsx';
import type { AppContext, AppEnv } from './env.ts';

/** Whether the read models have caught up with the log as it was at start-up (absent: they have). */
export const isReady = (ctx: AppContext): boolean => ctx.ready?.() ?? true;

/** how long /readyz waits for the store before calling it unreachable (a probe must answer quickly) */
export const STORE_PROBE_MS = 2_000;

export interface ReadinessReport {
  ready: boolean;
  /** the read models have caught up with the log (and the start-up work is done) */
  caughtUp: boolean;
  /** the event store answered a read of its head position within STORE_PROBE_MS */
  store: 'reachable' | 'unreachable';
}

/**
 * What /readyz answers: ready only when the read models have caught up AND the event store
 * answers now. A Hallway whose EventStoreDB went away still renders pages from its read models,
 * but every write would fail: a load balancer should send people elsewhere.
 */
export async function readinessReport(ctx: AppContext): Promise<ReadinessReport> {
  const caughtUp = isReady(ctx);
  let timer: NodeJS.Timeout | undefined;
  const reachable = await Promise.race([
    ctx.store.headPosition().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), STORE_PROBE_MS);
    }),
  ]);
  clearTimeout(timer);
  return { ready: caughtUp && reachable, caughtUp, store: reachable ? 'reachable' : 'unreachable' };
}

/** Seconds a client is asked to wait while the read models catch up */
export const CATCHING_UP_RETRY_AFTER = 5;

/**
 * `serve` listens before the read models have caught up with the log (after a rebuild, or on a
 * copied archive that can take a while). Until they have, every page answers 503 "catching up"
 * with a Retry-After: a page built from half-applied read models would show a wrong archive, and
 * a form checked against them (is this email taken?) could let a wrong write through.
 * /healthz (alive), /readyz (caught up) and the static files answer throughout.
 */
export function readiness(ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isReady(ctx)) return next();
    const p = c.req.path;
    if (p === '/healthz' || p === '/readyz' || p === '/metrics' || p.startsWith('/static/')) return next();
    c.header('Retry-After', String(CATCHING_UP_RETRY_AFTER));
    return problemResponse(c, 503, 'Catching up', 'Hallway has just started and is still catching up with the archive. Nothing was changed. Reload this page in a few seconds.');
  };
}
