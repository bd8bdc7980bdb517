import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AppEnv } from './env.ts';

const require = createRequire(import.meta.url);
// htmx is served from the pinned npm package, never from a CDN: the archive runs offline.
const files: Record<string, { path: string; type: string }> = {
  'htmx.min.js': { path: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'hallway.css': { path: fileURLToPath(new URL('../../public/hallway.css', import.meta.url)), type: 'text/css; charset=utf-8' },
  'hallway.js': { path: fileURLToPath(new URL('../../public/hallway.js', import.meta.url)), type: 'text/javascript; charset=utf-8' },
};
const cache = new Map<string, string>();

export const staticRoutes = new Hono<AppEnv>().get('/static/:file', (c) => {
  const f = files[c.req.param('file')];
  if (!f) return c.text('Not found', 404);
  let body = cache.get(f.path);
  if (body === undefined) {
    body = readFileSync(f.path, 'utf8');
    cache.set(f.path, body);
  }
  c.header('Content-Type', f.type);
  c.header('Cache-Control', 'public, max-age=3600');
  return c.body(body);
});
