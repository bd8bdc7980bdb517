import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BROWSER_TEST_MS, checkA11y, signIn, startE2E, watchConsole, screenshot } from './harness.ts';
import type { E2E } from './harness.ts';
import { givenDepartment } from '../auth-helpers.ts';

/** The archive as it stood on a date, in Chromium: the banner, the date control, links keeping the date. Screenshots: .tmp/screens/asof/. */
const SHOTS = fileURLToPath(new URL('../../.tmp/screens/asof/', import.meta.url));

describe('the archive as it stood on a date, in Chromium', () => {
  let e: E2E;
  let reader: { email: string; password: string };
  const put = async (stream: string, type: string, data: Record<string, unknown>, at: string, v?: number) => {
    const r = await e.ctx.store.append(stream, [{ id: e.ctx.newId(), type, data, metadata: { at, actor: 'system', ...(v ? { v } : {}) } }]);
    await e.ctx.runtime.waitFor(r.position);
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e = await startE2E();
    reader = await e.person({ name: 'Rita Reader', roles: ['leader'] });
    await givenDepartment(e.ctx, 'dept-noc', 'Network operations centre');
    // the teller worked here before the stories were told (the archive as it stood knows them)
    const teller = { employeeId: 'emp-tom' };
    await put('employee-emp-tom', 'EmployeeJoined', { employeeId: 'emp-tom', name: 'Tom Teller', email: 'tom@example.test', departmentId: 'dept-noc', joinedOn: '2019-01-07' }, '2021-02-01T09:00:00.000Z');
    const story = (storyId: string, title: string, body: string, at: string) =>
      put(`story-${storyId}`, 'StorySubmitted', { storyId, title, body, tellerId: teller.employeeId, leader: 'Marta Ilves', occurredOn: '2019-05', themes: [], relation: 'witnessed', anonymous: false }, at, 2);
    await story('s-open-house', 'The CIO at the open house', 'She gave the customer her cell number.', '2021-03-02T09:00:00.000Z');
    await story('s-ladder', 'The rotten pole', 'He stopped the climb.', '2021-03-03T09:00:00.000Z');
    await put('story-s-open-house', 'StoryAmended', { storyId: 's-open-house', title: 'The CIO and the furious customer', body: 'She gave the furious customer her personal cell number and took his calls for weeks.', reason: 'more detail' }, '2021-03-08T09:00:00.000Z');
    await story('s-later', 'Told the week after', 'Later.', '2021-03-09T09:00:00.000Z');
  });
  afterAll(async () => e?.close());

  it('shows the banner and the date control; links keep the date; the control changes it; "back to today" leaves it', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signIn(page, reader, '/timelines?asOf=2021-03-04');
    const banner = page.locator('.as-of-banner');
    await expect.poll(() => banner.innerText()).toContain('Hallway as it stood on 4 March 2021 — back to today');
    expect(await page.locator('main').innerText()).toContain('The CIO at the open house');
    expect(await page.locator('main').innerText()).not.toContain('Told the week after');
    await checkA11y(page, 'timelines as of 4 March 2021');
    await screenshot(page, `${SHOTS}timelines-as-of.png`);

    // a story inside keeps the date: its text of that day
    await page.getByRole('link', { name: 'The CIO at the open house' }).first().click();
    await page.waitForURL(/\/stories\/s-open-house\?asOf=2021-03-04/);
    expect(await page.locator('h1').innerText()).toContain('The CIO at the open house');
    expect(await banner.innerText()).toContain('4 March 2021');
    await checkA11y(page, 'a story as of 4 March 2021');
    await screenshot(page, `${SHOTS}story-as-of.png`);

    // the date control: a later date shows the amended text
    await page.getByLabel('Show the archive as it stood on').fill('2021-03-08');
    await page.locator('.as-of-control button').click();
    await page.waitForURL(/asOf=2021-03-08/);
    expect(await page.locator('h1').innerText()).toContain('The CIO and the furious customer');
    expect(await banner.innerText()).toContain('Hallway as it stood on 8 March 2021');

    // back to today
    await banner.getByRole('link', { name: 'back to today' }).click();
    await page.waitForURL((u) => u.pathname === '/stories/s-open-house' && !u.searchParams.has('asOf'));
    expect(await page.locator('.as-of-banner').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, BROWSER_TEST_MS);

  it('live search as of a date keeps the date (htmx) and finds only what was told by then', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    await signIn(page, reader, '/search?asOf=2021-03-04');
    await page.getByLabel('Words to find').pressSequentially('week', { delay: 30 });
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('week');
    expect(new URL(page.url()).searchParams.get('asOf')).toBe('2021-03-04');
    expect(await page.locator('#search-results').innerText()).not.toContain('Told the week after');
    await screenshot(page, `${SHOTS}search-as-of.png`);
    // the dashboard as it stood, for a leader, with its window form keeping the date
    await page.goto('/dashboard?asOf=2021-03-04');
    expect(await page.locator('.as-of-banner').innerText()).toContain('4 March 2021');
    await checkA11y(page, 'dashboard as of 4 March 2021');
    await screenshot(page, `${SHOTS}dashboard-as-of.png`);
    await context.close();
  }, BROWSER_TEST_MS);

  it('a date that cannot be shown says why, with the control to pick another', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    await signIn(page, reader, '/timelines?asOf=2021-02-30');
    expect(await page.getByRole('alert').innerText()).toContain('is not a date on the calendar');
    await checkA11y(page, 'a bad date');
    await screenshot(page, `${SHOTS}bad-date.png`);
    await context.close();
  }, BROWSER_TEST_MS);
});
