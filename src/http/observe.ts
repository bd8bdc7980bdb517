import { BlockList, isIP } from 'node:net';
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { requestHeader } from './request-header.ts';
import { routePath } from 'hono/route';
import { resolveApiToken } from '../auth/api-tokens.ts';
import { clientIp } from '../auth/rate-limit.ts';
import { orgQueries } from '../read/org.ts';
import { silentLogger } from '../observability/logger.ts';
import type { AppContext, AppEnv } from './env.ts';

/**
 * Every request gets an id (X-Request-Id: the caller's when it is a short token, else a new UUID),
 * one JSON log line when it is answered, and its count and duration in the metrics. The route
 * label and the logged `route` are the matched pattern (`/stories/:id`), never the path: paths can
 * carry invitation and setup tokens, and query strings carry what people type.
 */
export function observe(ctx: AppContext): MiddlewareHandler<AppEnv> {
  // hono's request-id middleware, but the caller's id read without building the request's Headers (src/http/request-header.ts)
  const ids: MiddlewareHandler<AppEnv> = async (c, next) => {
    let reqId = requestHeader(c, 'x-request-id');
    if (!reqId || reqId.length > 64 || /[^\w\-=]/.test(reqId)) reqId = crypto.randomUUID();
    c.set('requestId', reqId);
    c.header('X-Request-Id', reqId);
    await next();
  };
  const logger = ctx.logger ?? silentLogger;
  // The request line's fields are fixed and safe (request id, method, route pattern, status,
  // duration), so it skips the redaction every other line goes through, which cost more than the
  // rest of the line (about 10 µs a request). One child, made once, with no redact paths.
  const requestLines = logger.child({}, { redact: { paths: [] } });
  // each (method, route, status)'s counter and histogram, looked up once: prom-client hashes the labels on every call otherwise
  const series = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  const seriesOf = (method: string, route: string, status: string) => {
    const key = `${method} ${route} ${status}`;
    let s = series.get(key);
    if (!s && ctx.metrics) {
      const labels = { method, route, status };
      series.set(key, (s = { count: ctx.metrics.requests.labels(labels), time: ctx.metrics.duration.labels(labels) }));
    }
    return s;
  };
  return (c, next) =>
    ids(c, async () => {
      const started = performance.now();
      // the process's logger, not a child per request (a child costs its bindings' serialisation on
      // every request): lines about a request carry its reqId themselves
      c.set('log', logger);
      try {
        await next();
      } finally {
        const seconds = (performance.now() - started) / 1000;
        const route = routePath(c, -1);
        const status = c.res.status;
        const s = seriesOf(c.req.method, route, String(status));
        if (s) {
          s.count.inc();
          s.time.observe(seconds);
        }
        if (requestLines.isLevelEnabled('info')) requestLines.info({ reqId: c.get('requestId'), method: c.req.method, route, status, ms: Math.round(seconds * 10_000) / 10 }, 'request');
      }
    });
}

/** The allow list as node's BlockList (it matches addresses and subnets, IPv4 and IPv6). */
function allowList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return list;
}

/** An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; the allow list names a.b.c.d. */
const plain = (ip: string): string => (ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip);

/**
 * GET /metrics (Prometheus text format): from an address in HALLWAY_METRICS_ALLOW (loopback by
 * default, for a scraper beside the process), or with an admin's API token from anywhere.
 */
export function metricsRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const allowed = allowList(ctx.config.metricsAllow);
  app.get('/metrics', async (c) => {
    const metrics = ctx.metrics;
    if (!metrics) return c.text('Metrics are not collected by this process.', 404);
    const ip = plain(clientIp(c));
    const family = isIP(ip);
    const byAddress = family !== 0 && allowed.check(ip, family === 6 ? 'ipv6' : 'ipv4');
    if (!byAddress) {
      const auth = c.req.header('authorization');
      const user = auth?.startsWith('Bearer ') ? await resolveApiToken(ctx, auth.slice('Bearer '.length).trim()) : null;
      if (!user) {
        c.header('WWW-Authenticate', 'Bearer');
        return c.text('Metrics are for the addresses in HALLWAY_METRICS_ALLOW, or with an admin\'s API token (Authorization: Bearer …).', 401);
      }
      // a token speaks as a leader on the API; whether its holder is also an admin is in the org model
      if (!orgQueries(ctx.runtime.db).employee(user.employeeId)?.roles.includes('admin')) return c.text('Metrics need an admin\'s API token.', 403);
    }
    c.header('Content-Type', metrics.registry.contentType);
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics());
  });
  return app;
}
