import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHallway } from '../helpers.ts';

describe('the app', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  beforeAll(async () => {
    h = await testHallway();
  });
  afterAll(async () => h.dispose());

  it('serves htmx from the pinned package, not a CDN', async () => {
    const res = await h.app.request('/static/htmx.min.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect((await res.text()).length).toBeGreaterThan(10_000);
  });

  it('sends a Content-Security-Policy that allows no inline script', async () => {
    const res = await h.app.request('/sign-in');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });
});
