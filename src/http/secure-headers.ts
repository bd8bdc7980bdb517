import { ServerResponse } from 'node:http';
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './env.ts';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * hono/secure-headers' headers, set before the route answers instead of after.
 *
 * hono's middleware sets its headers on the finished response; on @hono/node-server that turns the
 * light response (a string body and a header list, written straight to the socket) into a full
 * fetch Response that is then read back as a stream: a tenth of a page's CPU time under load.
 * Here the header list is worked out once by hono's own middleware (so the values stay exactly
 * hono's), then set on the context up front, where the route's response picks them up. A response
 * built outside the context (a bare `new Response`) has not got them: those get them afterwards,
 * the slow way. Under @hono/node-server they go on node's response itself (test/http/secure-headers-served.test.ts).
 */
export function secureHeadersUpFront(options: SecureHeadersOptions): MiddlewareHandler<AppEnv> {
  // worked out on the first request (hono's middleware is asynchronous), then kept
  let headers: [string, string][] | undefined;
  const probe = async (): Promise<[string, string][]> => {
    const res = await new Hono().use(secureHeaders(options)).get('/', (c) => c.body(null, 204)).request('/');
    const list = [...res.headers.entries()].filter(([name]) => name !== 'content-type');
    if (list.length === 0) throw new Error('secure headers: hono set none');
    return list;
  };
  return async (c, next) => {
    const list = (headers ??= await probe());
    const outgoing = nodeResponse(c.env);
    if (outgoing) {
      // served by @hono/node-server: straight onto node's response, which merges them into the
      // head it writes (a route's own value for one of them wins there, as with c.header), so no
      // fetch Headers object is filled and read back a dozen entries at a time on every request
      for (const [name, value] of list) outgoing.setHeader(name, value);
      return next();
    }
    for (const [name, value] of list) c.header(name, value);
    await next();
    if (!c.res.headers.has(list[0]![0])) for (const [name, value] of list) c.res.headers.set(name, value);
  };
}

/** node's response when @hono/node-server serves the request (its env), before anything is written. */
function nodeResponse(env: unknown): { setHeader(name: string, value: string): unknown } | undefined {
  const outgoing = (env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing instanceof ServerResponse && !outgoing.headersSent ? outgoing : undefined;
}
