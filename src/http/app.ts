import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { ConcurrencyError } from '../store/port.ts';
import { ProjectionLagError } from '../projections/runtime.ts';
import { renderer } from '../../views/renderer.tsx';
import { problemResponse } from '../../views/fragments/problem.tsx';
import { enforceAccess } from './access.ts';
import { statusOf } from './refusal.ts';
import type { AppContext, AppEnv } from './env.ts';
import { staticRoutes } from './static.ts';
import { secureHeadersUpFront } from './secure-headers.ts';
import { sessionMiddleware } from '../auth/middleware.ts';
import { authRoutes } from './auth.tsx';
import { ssoRoutes } from './sso.tsx';
import { adminRoutes } from './admin.tsx';
import { storyRoutes } from './stories.tsx';
import { timelineRoutes } from './timelines.tsx';
import { leaderRoutes } from './leaders.tsx';
import { curationRoutes } from './curation.tsx';
import { searchRoutes } from './search.tsx';
import { circulationRoutes } from './circulation.tsx';
import { dashboardRoutes } from './dashboard.tsx';
import { apiRoutes } from './api.tsx';
import { apiTokenRoutes } from './api-tokens.tsx';
import { reviewRoutes } from './review.tsx';
import { lineageRoutes } from './lineage.tsx';
import { formBodies, requestLimits } from './limits.ts';
import { readiness, readinessReport } from './readiness.ts';
import { asOfPages } from './as-of.tsx';
import { receiptRoutes } from './receipts.tsx';
import { metricsRoutes, observe } from './observe.ts';
import { emailRoutes } from './email.tsx';
import { KeptRoutes } from './kept-routes.ts';

const UNSAFE = /^(POST|PUT|PATCH|DELETE)$/;

/**
 * CSRF: hono/csrf for forms, and the same Origin rule for every other unsafe request (htmx, JSON).
 * A request with neither Origin nor Sec-Fetch-Site comes from a non-browser client (curl, a
 * script with an API token): browsers send at least one of them on every POST, so such a request
 * cannot be a forged cross-site one, and it is let through to the route's own checks.
 */
function originCheck(ctx: AppContext): MiddlewareHandler<AppEnv> {
  const allowed = (origin: string, url: string): boolean => origin === new URL(url).origin || origin === new URL(ctx.config.publicUrl).origin;
  const forms = csrf({ origin: (origin, c) => allowed(origin, c.req.url) });
  return async (c, next) => {
    if (!UNSAFE.test(c.req.method)) return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    if (origin === undefined && site === undefined) return next();
    if (origin !== undefined && !allowed(origin, c.req.url)) return c.text('Forbidden: cross-origin request', 403);
    if (origin === undefined && site !== 'same-origin') return c.text('Forbidden: cross-site request', 403);
    return forms(c, next);
  };
}

/** Builds the whole app over its context; server.ts only serves it, tests call app.request(). */
export function createApp(ctx: AppContext): Hono<AppEnv> {
  // each (method, path)'s matching routes worked out once (src/http/kept-routes.ts)
  const app = new Hono<AppEnv>({ router: new KeptRoutes() });

  // outermost: every answer, refusals included, gets a request id, a log line and its metrics
  app.use(observe(ctx));
  app.use(
    secureHeadersUpFront({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
    }),
  );
  // first, so that refusals before the routes (413, 414, 400, 503) are full pages too
  app.use(renderer);
  // sizes before anything reads the body or the session; readiness before any read model is used
  app.use(requestLimits());
  app.use(readiness(ctx));
  app.use(originCheck(ctx));
  app.use(sessionMiddleware(ctx));
  app.use(enforceAccess);
  // ?asOf=YYYY-MM-DD: after the access table, so each page's audience is unchanged
  app.use(asOfPages(ctx));
  app.use(formBodies());

  app.onError((err, c) => {
    if (err instanceof ConcurrencyError) {
      return problemResponse(c, statusOf(err), 'Someone else changed this at the same time', `Your change was not saved, and nothing was lost: reload to see theirs, then try again. (${err.message})`);
    }
    if (err instanceof ProjectionLagError) {
      // the append succeeded; only the pages are behind, so say so rather than "nothing changed"
      c.header('Retry-After', '2');
      return problemResponse(c, statusOf(err), 'Saved, still catching up', 'Your change was saved, but the pages are still catching up. Reload in a moment to see it.');
    }
    if ('getResponse' in err && typeof err.getResponse === 'function') return err.getResponse() as Response;
    c.get('log').error({ err, reqId: c.get('requestId') }, 'unhandled error');
    return problemResponse(c, 500, 'Something went wrong on our side', 'Nothing was changed. Try again; if it keeps happening, tell your administrator.');
  });

  app.route('/', staticRoutes);
  // liveness for load balancers: says only whether every read model is running, nothing more
  app.get('/healthz', (c) => {
    const failed = ctx.runtime.status().filter((p) => p.failed).length;
    return c.json({ ok: failed === 0 }, failed === 0 ? 200 : 503);
  });
  // readiness: 200 once the read models have caught up with the log and while the store answers, 503 otherwise
  app.get('/readyz', async (c) => {
    const report = await readinessReport(ctx);
    return c.json(report, report.ready ? 200 : 503);
  });
  app.route('/', metricsRoutes(ctx));
  app.route('/', authRoutes(ctx));
  app.route('/', ssoRoutes(ctx));
  app.route('/', adminRoutes(ctx));
  app.route('/', storyRoutes(ctx));
  app.route('/', timelineRoutes(ctx));
  app.route('/', leaderRoutes(ctx));
  app.route('/', curationRoutes(ctx));
  app.route('/', searchRoutes(ctx));
  app.route('/', circulationRoutes(ctx));
  app.route('/', dashboardRoutes(ctx));
  app.route('/', apiRoutes(ctx));
  app.route('/', apiTokenRoutes(ctx));
  app.route('/', reviewRoutes(ctx));
  app.route('/', lineageRoutes(ctx));
  app.route('/', receiptRoutes(ctx));
  app.route('/', emailRoutes(ctx));
  return app;
}
