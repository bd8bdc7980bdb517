import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { renderer } from '../../views/renderer.tsx';
import { problemResponse } from '../../views/fragments/problem.tsx';
import type { AppEnv } from '../../src/http/env.ts';

// the same renderer and problem page app.ts's onError uses, on a route that always conflicts
const app = new Hono<AppEnv>()
  .use(renderer)
  .get('/conflict', (c) => problemResponse(c, 409, 'Someone else changed this', 'Reload <b>now</b>'));

describe('the problem page (conflicts, lag, failures)', () => {
  it('is a full page for a browser and a swappable fragment for htmx, with the status kept and text escaped', async () => {
    const page = await app.request('/conflict');
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('Reload &lt;b&gt;now&lt;/b&gt;');
    const fragment = await app.request('/conflict', { headers: { 'HX-Request': 'true' } });
    expect(fragment.status).toBe(409);
    const frag = await fragment.text();
    expect(frag).not.toMatch(/<html/i);
    expect(frag).toContain('role="alert"');
  });
});
