import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BROWSER_TEST_MS, checkA11y, failOnDialogs, signIn, startE2E } from './harness.ts';
import type { E2E } from './harness.ts';
import { givenDepartment } from '../auth-helpers.ts';
import { orgQueries } from '../../src/read/org.ts';

/**
 * Issue 3's admin flow in Chromium, once with JavaScript (htmx swaps #admin-page) and once
 * without (plain form posts and redirects): open a department, add a person, follow their
 * invitation link in another browser, set a password, grant a role, mark them as left.
 */
describe('administration in Chromium', () => {
  let e: E2E;
  let admin: { email: string; password: string };
  beforeAll(async () => {
    e = await startE2E();
    await givenDepartment(e.ctx, 'dept-people', 'People & Culture');
    admin = await e.person({ name: 'Quinn Castellan', roles: ['admin'], departmentId: 'dept-people' });
  });
  afterAll(async () => e?.close());

  async function flow(page: Page, js: boolean, n: number): Promise<void> {
    const mode = js ? 'with JavaScript' : 'without JavaScript';
    const dialogs: string[] = [];
    failOnDialogs(page, dialogs);
    await signIn(page, admin, '/admin/departments');
    expect(new URL(page.url()).pathname).toBe('/admin/departments');
    await checkA11y(page, `departments ${mode}`);
    // survives only if the page is not reloaded: htmx swaps in place, plain posts navigate
    if (js) await page.evaluate('window.__sameDocument = true');

    // a department; a blank name first: the message appears beside the field
    await page.locator('#open-name').fill(' ');
    await page.locator('#open-departmentId').fill(`dept-e2e-${n}`);
    await page.getByRole('button', { name: 'Open the department' }).click();
    await page.locator('#open-name-error').waitFor();
    expect(await page.locator('#open-name-error').textContent()).toBe('Name is required');
    await page.locator('#open-name').fill(`Night shift ${n} <b>`);
    await page.getByRole('button', { name: 'Open the department' }).click();
    await page.getByText('Department opened.').waitFor();
    expect(await page.locator(`#dept-dept-e2e-${n}`).textContent()).toContain(`Night shift ${n} <b>`);
    if (js) expect(await page.evaluate('window.__sameDocument === true')).toBe(true);

    // a person, invited
    await page.goto('/admin/people');
    await checkA11y(page, `people ${mode}`);
    const email = `invited${n}@example.test`;
    await page.locator('#add-name').fill(`Invited Person ${n}`);
    await page.locator('#add-email').fill(email);
    await page.locator('#add-departmentId').selectOption(`dept-e2e-${n}`);
    await page.locator('#add-joinedOn').fill('2026-11-02');
    await page.getByRole('button', { name: 'Add and invite' }).click();
    const linkBox = page.getByLabel(`Invitation link for Invited Person ${n}`);
    await linkBox.waitFor();
    const link = await linkBox.inputValue();
    expect(link).toMatch(/\/invitation\/[a-z2-9]{48}$/);

    // the invited person, in their own browser
    const theirs = await e.newContext({ js });
    const them = await theirs.newPage();
    await them.goto(link);
    await checkA11y(them, `invitation ${mode}`);
    await them.locator('#password').fill('too short');
    await them.locator('#confirm').fill('too short');
    await them.getByRole('button', { name: 'Set my password' }).click();
    await them.locator('#password-error').waitFor();
    expect(await them.locator('#password-error').textContent()).toContain('at least 12 characters');
    await them.locator('#password').fill(`a fine long password ${n}`);
    await them.locator('#confirm').fill(`a fine long password ${n}`);
    await Promise.all([them.waitForURL((u) => u.pathname === '/'), them.getByRole('button', { name: 'Set my password' }).click()]);
    expect(await them.getByRole('button', { name: /Sign out/ }).count()).toBe(1);

    // grant curator, then mark as left: their browser is signed out
    const id = orgQueries(e.ctx.runtime.db).employeeByEmail(email)!.employeeId;
    await page.goto(`/admin/people/${id}`);
    await checkA11y(page, `person ${mode}`);
    await page.getByRole('button', { name: 'Grant curator' }).click();
    await page.getByText('Role granted.').waitFor();
    expect(orgQueries(e.ctx.runtime.db).employee(id)!.roles).toEqual(['curator']);
    await page.getByRole('button', { name: `Mark Invited Person ${n} as left` }).click();
    await page.getByText('Marked as left; their sessions have ended.').waitFor();
    await them.goto('/');
    expect(new URL(them.url()).pathname).toBe('/sign-in');
    await theirs.close();

    await page.goto('/admin/audit');
    await checkA11y(page, `audit ${mode}`);
    expect(await page.locator('tr[data-kind="session-revoked"]').count()).toBeGreaterThan(0);
    expect(dialogs).toEqual([]);
  }

  it(
    'works with JavaScript (htmx)',
    async () => {
      const context = await e.newContext({ js: true });
      const page = await context.newPage();
      await flow(page, true, 1);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'works without JavaScript',
    async () => {
      const context = await e.newContext({ js: false });
      const page = await context.newPage();
      await flow(page, false, 2);
      await context.close();
    },
    BROWSER_TEST_MS,
  );
});
