import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '@hono/node-server';
import { testHallway } from '../helpers.ts';
import { signedIn } from '../auth-helpers.ts';

/**
 * Served by @hono/node-server, the security headers go straight onto node's response
 * (src/http/secure-headers.ts), not through the app's fetch Response: a served answer must carry
 * exactly the headers app.request gives for the same request, each once.
 */
describe('security headers when served', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let server: ReturnType<typeof serve>;
  let port = 0;
  let cookie = '';
  beforeAll(async () => {
    h = await testHallway();
    cookie = (await signedIn(h, { name: 'Sam Served' })).cookie;
    await new Promise<void>((resolve) => {
      server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.dispose();
  });

  /** status and raw header lines of a served request */
  const served = (method: string, path: string, headers: Record<string, string>): Promise<{ status: number; raw: string[] }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, raw: res.rawHeaders }));
      });
      req.on('error', reject);
      req.end();
    });
  // what node adds for the connection and the body, and the request id (a new one each time)
  const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-request-id']);

  const cases: [string, string, string, Record<string, string>][] = [
    ['a page', 'GET', '/sign-in', {}],
    ['a signed-in page', 'GET', '/timelines', {}],
    ['liveness', 'GET', '/healthz', {}],
    ['a static file', 'GET', '/static/hallway.css', {}],
    ['a redirect to sign in', 'GET', '/timelines', { cookie: 'none' }],
    ['a route not in the table', 'GET', '/nowhere', {}],
    ['a cross-site form post', 'POST', '/sign-out', { origin: 'https://evil.example' }],
  ];
  for (const [what, method, path, extra] of cases) {
    it(`are those of app.request, each once: ${what}`, async () => {
      const headers: Record<string, string> = { cookie, ...extra };
      if (headers['cookie'] === 'none') delete headers['cookie'];
      const want = await h.app.request(path, { method, headers });
      const got = await served(method, path, headers);
      expect(got.status).toBe(want.status);
      const names: string[] = [];
      const gotHeaders: Record<string, string> = {};
      for (let i = 0; i < got.raw.length; i += 2) {
        const name = got.raw[i]!.toLowerCase();
        names.push(name);
        if (!TRANSPORT.has(name)) gotHeaders[name] = got.raw[i + 1]!;
      }
      const wantHeaders = Object.fromEntries([...want.headers].filter(([name]) => !TRANSPORT.has(name)));
      // @hono/node-server gives a body-less answer (a redirect) its own default content type
      if (!want.headers.has('content-type')) expect(gotHeaders['content-type']).toBe('text/plain; charset=UTF-8');
      if (!want.headers.has('content-type')) delete gotHeaders['content-type'];
      expect(gotHeaders).toEqual(wantHeaders);
      expect(names.filter((n) => n !== 'set-cookie').length).toBe(new Set(names.filter((n) => n !== 'set-cookie')).size);
      expect(gotHeaders['content-security-policy']).toContain("default-src 'self'");
      expect(gotHeaders['x-frame-options']).toBe('SAMEORIGIN');
    });
  }
});
