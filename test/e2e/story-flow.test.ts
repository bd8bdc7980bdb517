import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BROWSER_TEST_MS, checkA11y, failOnDialogs, given, signIn, startE2E } from './harness.ts';
import type { E2E } from './harness.ts';
import { givenDepartment } from '../auth-helpers.ts';

/**
 * Issue 4's browser flow: tell a story through the form, find it on its theme's timeline and in
 * search, amend it and see its history; once with JavaScript (htmx) and once without.
 */
describe('telling, finding and amending a story in Chromium', () => {
  let e: E2E;
  let teller: { email: string; password: string; name: string };
  beforeAll(async () => {
    e = await startE2E();
    await givenDepartment(e.ctx, 'dept-repair', 'Field repair');
    await given(e.ctx, 'theme-theme-serve', 'ThemeDefined', { themeId: 'theme-serve', name: 'Leaders who serve', description: 'Leaders who carry the ladder.' });
    await given(e.ctx, 'theme-theme-courage', 'ThemeDefined', { themeId: 'theme-courage', name: 'Courage to say no', description: 'Saying no.' });
    teller = await e.person({ name: 'Greta Galloway', departmentId: 'dept-repair' });
  });
  afterAll(async () => e?.close());

  async function flow(page: Page, js: boolean, word: string): Promise<void> {
    const mode = js ? 'with JavaScript' : 'without JavaScript';
    const title = `The ${word} in the storm (${js ? 'js' : 'no js'})`;
    const body = `She carried the ${word} herself.\n\n<script>alert(1)</script><img src=x onerror=alert(1)>`;

    await signIn(page, teller, '/stories/new');
    expect(new URL(page.url()).pathname).toBe('/stories/new');
    await checkA11y(page, `story form ${mode}`);

    await page.getByLabel('Title').fill(title);
    await page.getByLabel('What happened').fill(body);
    await page.getByLabel('Who showed the behaviour').fill('Joe Barros, repair crew lead');
    await page.getByLabel('Where (department, optional)').selectOption('dept-repair');
    await page.getByLabel('When').fill('2023-11-02');
    await page.getByLabel('Leaders who serve').check();
    await page.getByLabel('I saw it happen').check();
    await Promise.all([
      page.waitForURL((u) => /^\/stories\/(?!new)[^/]+$/.test(u.pathname), { timeout: 10_000 }),
      page.getByRole('button', { name: 'Tell the story' }).click(),
    ]);
    const storyPath = new URL(page.url()).pathname;
    await expect.poll(() => page.locator('h1').textContent()).toBe(title);
    // the body is shown as text, paragraphs kept
    const shown = await page.locator('main').textContent();
    expect(shown).toContain('<script>alert(1)</script><img src=x onerror=alert(1)>');
    expect(await page.locator('main img, main script').count()).toBe(0);
    await checkA11y(page, `story page ${mode}`);

    // on its theme's timeline
    await page.goto('/themes/theme-serve');
    await expect.poll(() => page.locator(`main a[href="${storyPath}"]`).count()).toBeGreaterThan(0);
    expect(await page.locator(`main a[href="${storyPath}"]`).first().textContent()).toContain(title);
    expect(await page.locator('main img, main script[src*="alert"], main script:not([src])').count()).toBe(0);
    await checkA11y(page, `theme timeline ${mode}`);

    // in search
    await page.goto('/search');
    if (js) {
      await page.getByLabel('Words to find').pressSequentially(word, { delay: 20 });
    } else {
      await page.getByLabel('Words to find').fill(word);
      await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: 'Search' }).click()]);
    }
    await expect.poll(() => page.locator(`#search-results a[href="${storyPath}"]`).count(), { timeout: 5000 }).toBe(1);
    expect(await page.locator('#search-results').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.locator('#search-results img, #search-results script').count()).toBe(0);
    await checkA11y(page, `search results ${mode}`);

    // amend it, then see the history with the reason and the earlier text
    await page.goto(storyPath);
    await Promise.all([page.waitForURL(/\/amend$/), page.getByRole('link', { name: 'Amend' }).click()]);
    await checkA11y(page, `amend form ${mode}`);
    await page.getByLabel('What happened').fill(`She carried the ${word} herself, both ways.`);
    await page.getByLabel('Why are you amending it?').fill('I remembered the way back');
    await Promise.all([page.waitForURL((u) => u.pathname === storyPath), page.getByRole('button', { name: 'Save the amendment' }).click()]);
    expect(await page.locator('main').textContent()).toContain('both ways');
    const history = page.locator('section.history');
    expect(await history.textContent()).toContain('I remembered the way back');
    expect(await history.locator('details.earlier').textContent()).toContain('<script>alert(1)</script>');
    await checkA11y(page, `story history ${mode}`);
  }

  it('works with JavaScript (htmx)', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    failOnDialogs(page, dialogs);
    await flow(page, true, 'ladder');
    expect(dialogs).toEqual([]);
    await context.close();
  }, BROWSER_TEST_MS);

  it('works without JavaScript', async () => {
    const context = await e.newContext({ js: false });
    const page = await context.newPage();
    await flow(page, false, 'lantern');
    await context.close();
  }, BROWSER_TEST_MS);
});
