import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AppEnv } from './env.ts';

const require = createRequire(import.meta.url);
const pub = (name: string): string => fileURLToPath(new URL(`../../public/${name}`, import.meta.url));

/**
 * Everything the pages load comes from here, never from a CDN: the archive runs offline and the
 * CSP allows only 'self'. htmx and the fonts are served from their pinned npm packages.
 * `immutable` files change only with a package upgrade, so browsers may keep them for a year.
 */
const files: Record<string, { path: string; type: string; immutable?: boolean }> = {
  'htmx.min.js': { path: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'hallway.css': { path: pub('hallway.css'), type: 'text/css; charset=utf-8' },
  'hallway.js': { path: pub('hallway.js'), type: 'text/javascript; charset=utf-8' },
  // Latin subset, variable weight: one file per family covers every weight the CSS uses
  'inter.woff2': { path: require.resolve('@fontsource-variable/inter/files/inter-latin-wght-normal.woff2'), type: 'font/woff2', immutable: true },
  'fraunces.woff2': { path: require.resolve('@fontsource-variable/fraunces/files/fraunces-latin-wght-normal.woff2'), type: 'font/woff2', immutable: true },
  'favicon.svg': { path: pub('favicon.svg'), type: 'image/svg+xml' },
  'favicon.ico': { path: pub('favicon.ico'), type: 'image/x-icon' },
  'icon-192.png': { path: pub('icon-192.png'), type: 'image/png' },
  'icon-512.png': { path: pub('icon-512.png'), type: 'image/png' },
  'apple-touch-icon.png': { path: pub('apple-touch-icon.png'), type: 'image/png' },
  'hallway.webmanifest': { path: pub('hallway.webmanifest'), type: 'application/manifest+json' },
};
const cache = new Map<string, Buffer>();

function serve(name: string) {
  const f = files[name];
  if (!f) return null;
  let body = cache.get(f.path);
  if (body === undefined) {
    body = readFileSync(f.path);
    cache.set(f.path, body);
  }
  return { body, f };
}

export const staticRoutes = new Hono<AppEnv>()
  .get('/static/:file', (c) => {
    const found = serve(c.req.param('file'));
    if (!found) return c.text('Not found', 404);
    c.header('Content-Type', found.f.type);
    c.header('Cache-Control', found.f.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    return c.body(new Uint8Array(found.body));
  })
  // browsers and bookmark tools ask for these at the root whatever the page links to
  .get('/favicon.ico', (c) => {
    const found = serve('favicon.ico')!;
    c.header('Content-Type', found.f.type);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(new Uint8Array(found.body));
  });
