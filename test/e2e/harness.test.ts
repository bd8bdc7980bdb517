import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, startE2E } from './harness.ts';
import type { E2E } from './harness.ts';

/** The accessibility check itself must be able to fail, with and without JavaScript. */
describe('the e2e harness', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => e?.close());

  const bad = '<!doctype html><html lang="en"><head><title>probe</title></head><body><main><img src="/static/x.png"><button></button></main></body></html>';

  for (const js of [true, false]) {
    it(`fails on serious or critical axe findings (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const context = await e.newContext({ js });
      await context.route('**/__a11y-probe', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: bad }));
      const page = await context.newPage();
      await page.goto('/__a11y-probe');
      const errors = console.error;
      console.error = () => {};
      try {
        await expect(checkA11y(page, 'probe')).rejects.toThrow(/image-alt|button-name/);
      } finally {
        console.error = errors;
      }
      await context.close();
    });
  }

  it('serves the real app: the sign-in page passes', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    const res = await page.goto('/sign-in');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await checkA11y(page, 'sign-in page');
    await context.close();
  });
});
