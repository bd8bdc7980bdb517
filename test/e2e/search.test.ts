import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BROWSER_TEST_MS, checkA11y, failOnDialogs, given, signIn, startE2E } from './harness.ts';
import type { E2E } from './harness.ts';
import { givenDepartment } from '../auth-helpers.ts';

describe('search in Chromium', () => {
  let e: E2E;
  let reader: { email: string; password: string };
  beforeAll(async () => {
    e = await startE2E();
    reader = await e.person({ name: 'Rita Reader' });
    const teller = await e.person({ name: 'Tom Teller', departmentId: 'dept-noc' });
    await givenDepartment(e.ctx, 'dept-noc', 'Network operations centre');
    await given(e.ctx, 'theme-theme-customer', 'ThemeDefined', { themeId: 'theme-customer', name: 'Customer first', description: 'Customers first.' });
    await given(e.ctx, 'theme-theme-safety', 'ThemeDefined', { themeId: 'theme-safety', name: 'Safety before speed', description: 'Safety.' });
    const story = (storyId: string, fields: Record<string, unknown>) =>
      given(e.ctx, `story-${storyId}`, 'StorySubmitted', {
        storyId, tellerId: teller.employeeId, occurredOn: '2019-05', themes: [], relation: 'witnessed', anonymous: false, ...fields,
      });
    await story('s-open-house', {
      title: 'The CIO at the open house',
      body: 'She gave the furious customer her personal cell number and took his calls day and night for weeks.',
      leader: 'Marta Ilves, founder',
      happenedIn: 'dept-noc',
      themes: ['theme-customer'],
    });
    await story('s-ladder', { title: 'The rotten pole', body: 'He stopped the climb: the pole was rotten.', leader: 'Joe Barros', themes: ['theme-safety'] });
    for (let i = 0; i < 12; i++) await story(`s-umbrella-${i}`, { title: `Umbrella story ${i}`, body: 'Under the umbrella.', leader: 'Someone' });
    await story('s-xss', { title: 'Markup <b>test</b>', body: '<script>alert(1)</script><img src=x onerror=alert(1)> customer pwned', leader: 'Mallory' });
  });
  afterAll(async () => e?.close());

  const hits = (page: Page) => page.locator('#search-results .search-hit-title a');

  it('updates the results live as one types, marks matches and filters by theme', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    failOnDialogs(page, dialogs);
    await signIn(page, reader, '/search');
    expect(new URL(page.url()).pathname).toBe('/search');
    await checkA11y(page, 'empty search page');

    // a marker on window survives only if the page is never reloaded: the results came by htmx
    await page.evaluate('window.__stillHere = true');
    await page.getByLabel('Words to find').pressSequentially('personal ce', { delay: 30 });
    await expect.poll(() => hits(page).allTextContents(), { timeout: 5000 }).toEqual(['The CIO at the open house']);
    expect(await page.evaluate('window.__stillHere === true')).toBe(true);
    expect(await page.locator('#search-results mark').allTextContents()).toEqual(expect.arrayContaining(['personal', 'cell']));
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('personal ce');
    // hallway.js keeps the tab's title in step with the live results
    await expect.poll(() => page.title()).toBe('Search: personal ce · Hallway');
    // and "/" jumps back to the search box from anywhere on the page
    await page.locator('h1').click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).not.toBe('q');
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('q');
    await checkA11y(page, 'search results');

    // markup typed into a story is text; it never runs
    await page.getByLabel('Words to find').fill('customer');
    await expect.poll(() => hits(page).count(), { timeout: 5000 }).toBe(2);
    expect(await page.locator('#search-results').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.locator('#search-results img, #search-results script').count()).toBe(0);

    // the theme select narrows the results without a reload
    await page.getByLabel('Theme', { exact: true }).selectOption('theme-customer');
    await expect.poll(() => hits(page).allTextContents(), { timeout: 5000 }).toEqual(['The CIO at the open house']);
    expect(await page.evaluate('window.__stillHere === true')).toBe(true);

    // paging links fetch the next page of results in place
    await page.getByLabel('Theme', { exact: true }).selectOption('');
    await page.getByLabel('Words to find').fill('umbrella');
    await expect.poll(() => hits(page).count(), { timeout: 5000 }).toBe(10);
    await page.getByRole('link', { name: 'Next →' }).click();
    await expect.poll(() => hits(page).count(), { timeout: 5000 }).toBe(2);
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    expect(await page.evaluate('window.__stillHere === true')).toBe(true);

    // a refused query (422, which htmx 4 swaps) puts its message beside the box, out of band;
    // the box's maxlength stops people typing it, so the request is made as a tampered one would be
    await page.evaluate(`htmx.ajax('GET', '/search?q=${'a'.repeat(201)}', { target: '#search-results' })`);
    await expect.poll(() => page.locator('#q-error').textContent(), { timeout: 5000 }).toContain('at most 200 characters');
    await page.getByLabel('Words to find').fill('zebracorn');
    await expect.poll(() => page.locator('#q-error').textContent(), { timeout: 5000 }).toBe('');
    await expect.poll(() => page.locator('.search-none').textContent(), { timeout: 5000 }).toContain('No stories match');
    await checkA11y(page, 'no results');
    expect(dialogs).toEqual([]);
    await context.close();
  }, BROWSER_TEST_MS);

  it('works without JavaScript: the form submits and the page shows the results', async () => {
    const context = await e.newContext({ js: false });
    const page = await context.newPage();
    await signIn(page, reader, '/search');
    await page.getByLabel('Words to find').fill('rotten pole');
    await Promise.all([page.waitForURL(/q=rotten/), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await hits(page).allTextContents()).toEqual(['The rotten pole']);
    expect(await page.locator('#search-results mark').allTextContents()).toContain('rotten');
    await checkA11y(page, 'search results without JavaScript');
    await page.getByLabel('Words to find').fill('');
    await page.getByLabel('Theme', { exact: true }).selectOption('theme-customer');
    await Promise.all([page.waitForURL(/theme=theme-customer/), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await hits(page).allTextContents()).toEqual(['The CIO at the open house']);
    await context.close();
  }, BROWSER_TEST_MS);
});
