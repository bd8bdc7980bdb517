import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_MS, checkA11y, startE2E, watchConsole } from './harness.ts';
import type { E2E } from './harness.ts';
import { cookieFor } from '../auth-helpers.ts';
import { DEMO_ACCOUNTS } from '../../events/seed/org.ts';
import { DEMO_FILE } from '../../src/cli/demo.ts';
import { importFile } from '../../src/importer.ts';

/**
 * Issue 11, look and feel: the demo company's main pages on a phone (390×844) and a laptop,
 * in light and dark. No page scrolls sideways, and no page logs a console error or a CSP
 * violation, including after htmx swaps.
 */
describe('the main pages on a phone and a laptop', () => {
  let e: E2E;
  let storyPath = '';
  beforeAll(async () => {
    e = await startE2E();
    await importFile(e.ctx.store, DEMO_FILE);
    await e.ctx.runtime.waitFor(await e.ctx.store.headPosition(), 60_000);
    const row = e.ctx.runtime.db.prepare<[], { story_id: string }>('SELECT story_id FROM story_stories WHERE retracted = 0 ORDER BY length(body) DESC LIMIT 1').get();
    storyPath = `/stories/${row!.story_id}`;
  }, 120_000);
  afterAll(async () => e?.close());

  const PAGES: { path: string | (() => string); role: keyof typeof DEMO_ACCOUNTS }[] = [
    { path: '/', role: 'new-hire' },
    { path: () => storyPath, role: 'employee' },
    { path: '/timelines', role: 'employee' },
    { path: '/search?q=customer', role: 'employee' },
    { path: '/stories/new', role: 'employee' },
    { path: '/curation', role: 'curator' },
    { path: '/dashboard', role: 'leader' },
    { path: '/admin', role: 'admin' },
    { path: '/admin/people', role: 'admin' },
    { path: '/admin/departments', role: 'admin' },
    { path: '/admin/audit', role: 'admin' },
  ];


  for (const [width, height] of [[390, 844], [1280, 800]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(
        `no page scrolls sideways or logs a console error at ${width}×${height}, ${scheme}`,
        async () => {
          const context = await e.browser.newContext({ baseURL: e.baseUrl, viewport: { width, height }, colorScheme: scheme, locale: 'en-GB' });
          try {
            const cookies: Record<string, string> = {};
            for (const [role, id] of Object.entries(DEMO_ACCOUNTS)) cookies[role] = (await cookieFor(e.ctx, id)).split('=')[1]!;
            const page = await context.newPage();
            const problems = watchConsole(page);
            for (const p of PAGES) {
              const path = typeof p.path === 'string' ? p.path : p.path();
              await context.clearCookies();
              await context.addCookies([{ name: 'hallway_session', value: cookies[p.role]!, url: e.baseUrl }]);
              const res = await page.goto(path, { waitUntil: 'load' });
              expect(res?.status(), path).toBe(200);
              const wide = (await page.evaluate('({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth })')) as { scroll: number; inner: number };
              expect(wide.scroll, `${path} at ${width}px scrolls sideways`).toBeLessThanOrEqual(wide.inner);
              if (width === 390) {
                // the header stays compact: brand and menu on one line, not three
                const header = await page.locator('header.top').boundingBox();
                expect(header!.height, `${path}: header height`).toBeLessThanOrEqual(72);
              }
              await checkA11y(page, `${path} at ${width}px, ${scheme}`);
            }
            expect(problems).toEqual([]);
          } finally {
            await context.close();
          }
        },
        BROWSER_TEST_MS * 2,
      );
    }
  }

  it(
    'htmx swaps on /admin/people and a person page cause no CSP violation',
    async () => {
      const context = await e.browser.newContext({ baseURL: e.baseUrl, viewport: { width: 390, height: 844 }, locale: 'en-GB' });
      try {
        const token = (await cookieFor(e.ctx, DEMO_ACCOUNTS.admin)).split('=')[1]!;
        await context.addCookies([{ name: 'hallway_session', value: token, url: e.baseUrl }]);
        const page = await context.newPage();
        const problems = watchConsole(page);
        await page.goto('/admin/people');
        await page.evaluate('window.__sameDocument = true');
        await page.locator('#add-name').fill('Wren Okafor');
        await page.locator('#add-email').fill('wren.okafor@example.test');
        await page.locator('#add-departmentId').selectOption({ index: 1 });
        await page.getByRole('button', { name: 'Add and invite' }).click();
        await page.getByLabel('Invitation link for Wren Okafor').waitFor();
        expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
        const wide = (await page.evaluate('document.scrollingElement.scrollWidth')) as number;
        expect(wide).toBeLessThanOrEqual(390);
        await page.goto('/admin/people?q=wren');
        await page.getByRole('link', { name: 'Wren Okafor' }).click();
        await page.getByRole('button', { name: 'Grant curator' }).click();
        await page.getByText('Role granted.').waitFor();
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    BROWSER_TEST_MS,
  );
});
