import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { BROWSER_TEST_MS, checkA11y, given, startE2E, watchConsole, screenshot } from './harness.ts';
import type { E2E } from './harness.ts';
import { cookieFor, givenDepartment, givenEmployee } from '../auth-helpers.ts';
import { givenStory } from '../http/stories-given.ts';
import { flushReads } from '../../src/circulation/record-read.ts';
import { SESSION_COOKIE } from '../../src/auth/sessions.ts';

/**
 * Issue 11, the new hire's and the employee's journeys in Chromium, at 1280×800 and 390×844, with
 * and without JavaScript. The employee tells a story (the leader chosen from the suggestions, or
 * typed as a colleague's exact name without JavaScript) and is thanked, says they heard a
 * colleague's story (twice: the second time records nothing), sends it to a new hire and retells
 * it from the original. The new hire finds it under "Sent to you" with the sender's name, opens it
 * and sees their own Start here progress move. Every page: axe clean, no console error, no
 * sideways scroll; with HALLWAY_E2E_SCREENS=1, screenshots go to .tmp/screens/journeys/ for review. One server for the file.
 */
const SCREENS = fileURLToPath(new URL('../../.tmp/screens/journeys/', import.meta.url));
const DAY = 86_400_000;

describe('the new hire and the employee, journeys in Chromium', () => {
  let e: E2E;
  let martaId = '';
  let pickId = '';
  const pickTitle = 'The CIO at the open house';
  const pickLeader = 'Marta Ilves, founder and CEO';

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    e = await startE2E();
    await givenDepartment(e.ctx, 'dept-care', 'Customer Care');
    await givenDepartment(e.ctx, 'dept-exec', 'Executive Office');
    for (const [themeId, name] of [['customer', 'Customer first'], ['vision', 'A shared vision'], ['care', 'Care for people']] as const) {
      await given(e.ctx, `theme-${themeId}`, 'ThemeDefined', { themeId, name, description: `Stories of ${name.toLowerCase()}.` });
    }
    martaId = (await givenEmployee(e.ctx, { name: 'Marta Ilves', departmentId: 'dept-exec', joinedOn: '2016-01-11' })).employeeId;
    const author = await givenEmployee(e.ctx, { name: 'Ada Author', departmentId: 'dept-exec' });
    pickId = await givenStory(e.ctx, {
      tellerId: author.employeeId, title: pickTitle, leader: pickLeader, occurredOn: '2017-05-12', themes: ['customer'], happenedIn: 'dept-exec',
      body: 'The hospital group’s CIO cornered Marta by the window.\n\nShe said: “You’re right. We have handled this badly,” and gave him her own number.',
    });
    await givenStory(e.ctx, { tellerId: author.employeeId, title: 'A picture on the back of a diagram', leader: pickLeader, themes: ['vision'], occurredOn: '2016-02' });
    await givenStory(e.ctx, { tellerId: author.employeeId, title: 'The cleaner’s daughter', leader: pickLeader, themes: ['care'], occurredOn: '2018' });
    await given(e.ctx, 'curation-start-here', 'StartHerePicksSet', { storyIds: [pickId] });
  }, 60_000);
  afterAll(async () => e?.close());


  async function contextFor(employeeId: string, width: number, height: number, js: boolean): Promise<BrowserContext> {
    const context = await e.newContext({ js, viewport: { width, height } });
    const token = (await cookieFor(e.ctx, employeeId)).slice(SESSION_COOKIE.length + 1);
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: e.baseUrl }]);
    return context;
  }

  for (const [width, height] of [[1280, 800], [390, 844]] as const) {
    for (const js of [true, false]) {
      const mode = `${width}-${js ? 'js' : 'nojs'}`;
      it(
        `employee tells, hears, sends and retells; the new hire finds it "Sent to you" and walks Start here (${width}×${height}, ${js ? 'with' : 'without'} JavaScript)`,
        async () => {
          const tag = `${width}${js ? 'j' : 'n'}`;
          const emma = await givenEmployee(e.ctx, { name: `Emma Employee ${tag}`, departmentId: 'dept-care' });
          const nadia = await givenEmployee(e.ctx, { name: `Nadia Newhire ${tag}`, departmentId: 'dept-care', joinedOn: new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10) });

          /**
           * What every page of the journey must be: no sideways scroll, no console error (checked at
           * the end), a screenshot; and axe clean. axe runs once per kind of page and state (it is
           * the slow part): `axe: false` marks a page whose kind an earlier step already checked.
           */
          const look = async (page: Page, step: string, { axe = true } = {}): Promise<void> => {
            const wide = (await page.evaluate('({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth })')) as { scroll: number; inner: number };
            expect(wide.scroll, `${step} at ${width}px scrolls sideways`).toBeLessThanOrEqual(wide.inner);
            if (axe) await checkA11y(page, `${step} (${mode})`);
            // from the top, so the sticky header is not painted over the middle of a full-page capture
            await page.evaluate('window.scrollTo(0, 0)');
            // caret 'initial': hiding the caret injects a <style>, which the page's CSP rightly reports
            await screenshot(page, `${SCREENS}${step}-${mode}.png`);
          };
          const heardEvents = async () =>
            (await e.ctx.store.readStream(`circulation-${pickId}`)).filter((x) => x.type === 'StoryHeard' && (x.data as { listenerId: string }).listenerId === emma.employeeId);

          // ---- the employee ----
          const emmaContext = await contextFor(emma.employeeId, width, height, js);
          const page = await emmaContext.newPage();
          const problems = watchConsole(page);

          // tell a story; the leader is a person
          await page.goto('/stories/new');
          await page.getByLabel('Title').fill(`Marta took the night shift (${tag})`);
          await page.getByLabel('What happened').fill('When the storm took the lines down, she sat at the desk all night.\n\n<b>Nobody</b> asked her to.');
          const leader = page.getByLabel('Who showed the behaviour');
          if (js) {
            // wait for the answer to the whole name: a choice made in an earlier answer would be swapped away
            const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/stories/new/leaders' && new URL(r.url()).searchParams.get('leader') === 'marta');
            await leader.pressSequentially('marta', { delay: 20 });
            await answered;
            const choice = page.getByRole('radio', { name: /Marta Ilves/ });
            await choice.waitFor({ timeout: 5000 });
            await choice.check();
            await look(page, 'employee-01-leader-suggested');
          } else {
            // the browser's own list offers the names; the exact name links the person
            expect(await page.locator('datalist#leader-people option[value="Marta Ilves"]').count()).toBe(1);
            await leader.fill('Marta Ilves');
            await look(page, 'employee-01-tell-form');
          }
          await page.getByLabel('When').fill('2024-05');
          await page.getByLabel('Customer first').check();
          await page.getByLabel('I saw it happen').check();
          await Promise.all([page.waitForURL(/\/stories\/[^/]+\?told=1$/, { timeout: 10_000 }), page.getByRole('button', { name: 'Tell the story' }).click()]);
          await page.locator('.thanks h2').waitFor();
          expect(await page.locator('.thanks h2').textContent()).toBe('Thank you for telling it');
          expect(await page.locator(`.story-meta a[href="/leaders/people/${martaId}"]`).textContent()).toBe('Marta Ilves');
          // how far it went: numbers for the teller, nobody named
          expect(await page.locator('#circulation .reach').textContent()).toMatch(/reached 0 people in 0 departments/);
          await look(page, 'employee-02-thank-you');

          // a colleague's story: heard, and heard again the same day (nothing recorded)
          await page.goto(`/stories/${pickId}`);
          await look(page, 'employee-03-story', { axe: false });
          await page.getByLabel('Where did you hear it?').selectOption('meeting');
          await page.getByRole('button', { name: "I've heard this one" }).click();
          await page.locator('#circulation .heard-state').waitFor({ timeout: 5000 });
          if (js) expect(await page.locator('#circulation [role="status"]').textContent()).toContain('noted that you had heard it');
          expect(await heardEvents()).toHaveLength(1);
          await page.getByRole('button', { name: "I've heard this one" }).click();
          if (js) {
            await expect.poll(() => page.locator('#circulation [role="status"]').textContent(), { timeout: 5000 }).toContain('nothing new was recorded');
          } else {
            await page.waitForLoadState();
          }
          expect(await page.locator('#circulation .heard-state').textContent()).toContain('You have heard this one');
          expect(await heardEvents()).toHaveLength(1);
          await look(page, 'employee-04-heard');

          // send it to the new hire
          const colleague = page.getByLabel('Colleague', { exact: true });
          if (js) {
            const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/colleagues' && new URL(r.url()).searchParams.get('toIdQ') === `newhire ${tag}`);
            await colleague.pressSequentially(`newhire ${tag}`, { delay: 20 });
            await answered;
            const choice = page.getByRole('radio', { name: new RegExp(`Nadia Newhire ${tag}`) });
            await choice.waitFor({ timeout: 5000 });
            await choice.check();
            await page.getByRole('button', { name: 'Send', exact: true }).click();
            await expect.poll(() => page.locator('#circulation [role="status"]').textContent(), { timeout: 5000 }).toContain('Sent');
          } else {
            await colleague.fill(`Nadia Newhire ${tag}`);
            await Promise.all([page.waitForURL((u) => u.pathname === `/stories/${pickId}`), page.getByRole('button', { name: 'Send', exact: true }).click()]);
          }
          await look(page, 'employee-05-sent', { axe: false });

          // retell it: the original's leader, date and themes filled in, the original beside the form
          await Promise.all([page.waitForURL(/\/stories\/new\?retellingOf=/), page.getByRole('link', { name: 'Retell it' }).click()]);
          expect(await page.getByLabel('Who showed the behaviour').inputValue()).toBe(pickLeader);
          expect(await page.getByLabel('When').inputValue()).toBe('2017-05-12');
          expect(await page.getByLabel('Customer first').isChecked()).toBe(true);
          expect(await page.locator('aside.original h2').textContent()).toBe(pickTitle);
          await look(page, 'employee-06-retell-form');
          await page.getByLabel('Title').fill(`The open house, as Emma heard it (${tag})`);
          await page.getByLabel('What happened').fill('My shift lead told me this on my first night.');
          await Promise.all([page.waitForURL(/\?told=1$/, { timeout: 10_000 }), page.getByRole('button', { name: 'Tell the story' }).click()]);
          expect(await page.locator(`.story-meta a[href="/stories/${pickId}"]`).textContent()).toBe(pickTitle);
          await look(page, 'employee-07-retold', { axe: false });
          expect(problems).toEqual([]);
          await emmaContext.close();

          // ---- the new hire ----
          const nadiaContext = await contextFor(nadia.employeeId, width, height, js);
          const home = await nadiaContext.newPage();
          const hireProblems = watchConsole(home);
          await home.goto('/');
          const headings = await home.locator('main h2').allTextContents();
          expect(headings[0]?.trim()).toBe('Sent to you');
          expect(headings.indexOf('Start here')).toBeLessThan(headings.indexOf('Recently told'));
          const sent = home.locator('section.shared-with-me li', { has: home.locator(`a[href="/stories/${pickId}"]`) });
          expect(await sent.locator('.sender').textContent()).toBe(`Emma Employee ${tag}`);
          const progress = await home.locator('.path-progress strong').textContent();
          const [, , total] = /^(\d+) of (\d+) read$/.exec(progress ?? '') ?? [];
          expect(progress).toBe(`0 of ${total} read`);
          expect(await home.locator('ol.path > li').first().locator('a').textContent()).toBe(pickTitle);
          await look(home, 'newhire-01-home');

          await Promise.all([home.waitForURL(`**/stories/${pickId}`), sent.getByRole('link').click()]);
          await look(home, 'newhire-02-story', { axe: false });
          // the read is appended off the request path; then home shows it read
          await flushReads(e.ctx);
          await home.goto('/');
          expect(await home.locator('.path-progress strong').textContent()).toBe(`1 of ${total} read`);
          expect(await home.locator('ol.path > li.done a').first().textContent()).toBe(pickTitle);
          expect(await home.locator('section.shared-with-me').count()).toBe(0);
          await look(home, 'newhire-03-progress');
          expect(hireProblems).toEqual([]);
          await nadiaContext.close();
        },
        BROWSER_TEST_MS * 2,
      );
    }
  }
});
