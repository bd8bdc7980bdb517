import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_MS, checkA11y, failOnDialogs, given, signIn, startE2E, watchConsole, screenshot } from './harness.ts';
import type { E2E } from './harness.ts';
import { givenDepartment } from '../auth-helpers.ts';

const SHOTS = '.tmp/screens/review';

/**
 * Issue 12, section 1, in Chromium: an admin turns review on, a teller tells a story that waits,
 * a curator returns it with a note, the teller sees the note on home and amends, the curator
 * approves, and a colleague finds it on the timeline. axe on every page of the flow.
 */
describe('the review queue in Chromium', () => {
  let e: E2E;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e = await startE2E();
    await givenDepartment(e.ctx, 'dept-noc', 'Network operations');
    await given(e.ctx, 'theme-theme-serve', 'ThemeDefined', { themeId: 'theme-serve', name: 'Leaders who serve', description: 'Leaders who carry the ladder.' });
  });
  afterAll(async () => e?.close());

  it('turn on, tell, return with a note, amend, approve, find', async () => {
    const admin = await e.person({ name: 'Ada Admin', roles: ['admin'] });
    const curator = await e.person({ name: 'Cora Curator', roles: ['curator'] });
    const teller = await e.person({ name: 'Tess Teller', departmentId: 'dept-noc' });
    const colleague = await e.person({ name: 'Omar Other', departmentId: 'dept-noc' });
    const as = async () => {
      const context = await e.newContext();
      const page = await context.newPage();
      const problems = watchConsole(page);
      const dialogs: string[] = [];
      failOnDialogs(page, dialogs);
      return { context, page, problems, dialogs };
    };

    // the admin turns review on
    const a = await as();
    await signIn(a.page, admin, '/admin/settings');
    await checkA11y(a.page, 'settings');
    await a.page.getByLabel('On: curators review each new story').check();
    await Promise.all([a.page.waitForURL(/done=on/), a.page.getByRole('button', { name: 'Save' }).click()]);
    expect(await a.page.locator('.notice').textContent()).toContain('is on');
    await screenshot(a.page, `${SHOTS}/settings.png`);

    // the teller tells a story: it waits
    const t = await as();
    await signIn(t.page, teller, '/stories/new');
    await t.page.getByLabel('Title').fill('Her own cell number');
    await t.page.getByLabel('What happened').fill('She gave the NOC her own cell number.');
    await t.page.getByLabel('Who showed the behaviour').fill('Maria Santos');
    await t.page.getByLabel('When').fill('2021-03');
    await t.page.getByLabel('Leaders who serve').check();
    await t.page.getByLabel('I saw it happen').check();
    await Promise.all([t.page.waitForURL((u) => /^\/stories\/(?!new)[^/]+$/.test(u.pathname)), t.page.getByRole('button', { name: 'Tell the story' }).click()]);
    const storyPath = new URL(t.page.url()).pathname;
    const storyId = storyPath.split('/')[2]!;
    expect(await t.page.locator('.thanks .awaiting-review').textContent()).toContain('waits for a curator');
    expect(await t.page.locator('p.notice.awaiting-review[role="note"]').textContent()).toContain('Awaiting review');
    await checkA11y(t.page, 'story awaiting review (teller)');
    await screenshot(t.page, `${SHOTS}/story-awaiting.png`);

    // a colleague cannot find it
    const o = await as();
    await signIn(o.page, colleague, '/timelines');
    expect(await o.page.locator(`main a[href="${storyPath}"]`).count()).toBe(0);
    const hidden = await o.page.goto(storyPath);
    expect(hidden!.status()).toBe(404);

    // the curator returns it with a note
    const c = await as();
    await signIn(c.page, curator, '/review');
    const item = c.page.locator(`#review-${storyId}`);
    expect(await item.locator('.waited').textContent()).toMatch(/^Waiting /);
    expect(await item.textContent()).toContain('Tess Teller');
    await checkA11y(c.page, 'review queue');
    await screenshot(c.page, `${SHOTS}/queue.png`);
    await item.getByLabel('Note to the teller').fill('Which weeks did the calls come? Say so.');
    await Promise.all([c.page.waitForURL(/done=returned/), item.getByRole('button', { name: 'Return with this note' }).click()]);
    expect(await c.page.locator('.notice').first().textContent()).toContain('Returned');
    expect(await c.page.locator(`#review-${storyId}`).count()).toBe(0);
    await checkA11y(c.page, 'review queue after a return');

    // the teller sees the note on home, amends
    await t.page.goto('/');
    expect(await t.page.locator('section.awaiting-review blockquote').textContent()).toBe('Which weeks did the calls come? Say so.');
    await checkA11y(t.page, 'home with a returned story');
    await screenshot(t.page, `${SHOTS}/home-returned.png`);
    await Promise.all([t.page.waitForURL(/\/amend$/), t.page.getByRole('link', { name: 'Amend “Her own cell number”' }).click()]);
    await t.page.getByLabel('What happened').fill('She gave the NOC her own cell number, and took the calls for two weeks.');
    await t.page.getByLabel('Why are you amending it?').fill('Said when, as the curator asked');
    await Promise.all([t.page.waitForURL((u) => u.pathname === storyPath), t.page.getByRole('button', { name: 'Save the amendment' }).click()]);
    expect(await t.page.locator('.notice.awaiting-review').textContent()).toContain('Awaiting review');
    // the amendment, word by word, in the story's history
    expect(await t.page.locator('.history details.changes ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('two weeks')]));
    await checkA11y(t.page, 'story back in the queue, with its history');

    // back in the queue: the curator approves
    await c.page.goto('/review');
    await Promise.all([c.page.waitForURL(/done=approved/), c.page.locator(`#review-${storyId}`).getByRole('button', { name: 'Approve “Her own cell number”' }).click()]);
    expect(await c.page.locator('p', { hasText: 'Nothing is waiting for review.' }).count()).toBe(1);

    // the colleague finds it now
    await o.page.goto('/themes/theme-serve');
    await expect.poll(() => o.page.locator(`main a[href="${storyPath}"]`).count()).toBeGreaterThan(0);
    await o.page.goto(storyPath);
    expect(await o.page.locator('main').textContent()).toContain('two weeks');
    expect(await o.page.locator('.awaiting-review').count()).toBe(0);

    // the admin's audit lists the return and the approval
    await a.page.goto('/admin/audit?action=review');
    expect(await a.page.locator('tr[data-kind="story-returned"]').textContent()).toContain('Which weeks');
    expect(await a.page.locator('tr[data-kind="story-approved"]').count()).toBe(1);
    await checkA11y(a.page, 'audit: review');

    for (const x of [a, t, o, c]) {
      expect(x.problems.filter((p) => !p.includes('404'))).toEqual([]);
      expect(x.dialogs).toEqual([]);
      await x.context.close();
    }
  }, BROWSER_TEST_MS * 2);
});
