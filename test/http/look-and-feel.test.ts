import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';
import { signedIn } from '../auth-helpers.ts';

/** Issue 11, look and feel: everything the pages load is served by Hallway itself. */
describe('fonts, icons and the frame', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  beforeAll(async () => {
    h = await testHallway();
  });
  afterAll(async () => h.dispose());

  it('answers /favicon.ico with an icon, not a 404', async () => {
    const res = await h.app.request('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/x-icon');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]); // the ICO header
  });

  it('serves the variable fonts from their npm packages, cached as immutable', async () => {
    for (const f of ['inter.woff2', 'fraunces.woff2']) {
      const res = await h.app.request(`/static/${f}`);
      expect(res.status, f).toBe(200);
      expect(res.headers.get('content-type')).toBe('font/woff2');
      expect(res.headers.get('cache-control')).toContain('immutable');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('wOF2');
    }
  });

  it('serves an SVG favicon, app icons and a web manifest whose icons all exist', async () => {
    const manifest = (await (await h.app.request('/static/hallway.webmanifest')).json()) as { icons: { src: string }[] };
    expect(manifest.icons.length).toBeGreaterThanOrEqual(3);
    for (const icon of manifest.icons) expect((await h.app.request(icon.src)).status, icon.src).toBe(200);
  });

  it('links every asset from the page frame to /static or the root, never to another origin, and inlines Lucide icons', async () => {
    const { cookie } = await signedIn(h, { roles: ['admin'] });
    const html = await (await h.app.request('/', { headers: { Cookie: cookie } })).text();
    const refs = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => /^(https?:)?\/\//.test(r))).toEqual([]);
    expect(html).toContain('rel="manifest" href="/static/hallway.webmanifest"');
    expect(html).toContain('href="/static/favicon.svg"');
    expect(html).toMatch(/<svg class="icon"[^>]*aria-hidden="true"/);
    expect(html).not.toMatch(/style="/);
    expect(html).toContain('aria-current="page"');
  });
});
