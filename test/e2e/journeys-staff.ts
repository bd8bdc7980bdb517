import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { BROWSER_TEST_MS, checkA11y, failOnDialogs, startE2E, watchConsole, screenshot } from './harness.ts';
import type { E2E } from './harness.ts';
import { cookieFor } from '../auth-helpers.ts';
import { DEMO_ACCOUNTS } from '../../events/seed/org.ts';
import { DEMO_FILE } from '../../src/cli/demo.ts';
import { importFile } from '../../src/importer.ts';
import { getTheme } from '../../src/read/stories.ts';

/**
 * Issue 11: the curator's, the leader's and the admin's journeys in Chromium, on the demo company,
 * at 1280×800 and 390×844, with JavaScript (htmx) and without. Each page is checked by axe, must
 * not scroll sideways, and the whole journey must log no console error and no CSP violation.
 * Screenshots go to .tmp/screens/journeys/ for review. One server for the file.
 */
const SHOTS = '.tmp/screens/journeys';
export type Size = readonly [width: number, height: number];

/** words typed in the picks' search box, and the demo story they find, per run */
const PICKS: Record<string, [string, string]> = {
  '1280-js': ['racks', 'Tomasz and the van full of second-hand racks'],
  '1280-nojs': ['OUTAGE script', 'Sofie tore up the outage script'],
  '390-js': ['pole', 'Not up that pole, not in this wind'],
  '390-nojs': ['helen', 'The contract Helen walked away from'],
};

/**
 * The journeys at one window size, with and without JavaScript. Each size is its own test file
 * (journeys-staff-desktop, journeys-staff-phone), so the two run side by side and the suite's
 * slowest file is half as long.
 */
export function staffJourneys(size: Size): void {
  describe(`staff journeys in Chromium at ${size[0]}×${size[1]}`, () => {
    let e: E2E;
    const cookies: Record<string, string> = {};
    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      e = await startE2E();
      await importFile(e.ctx.store, DEMO_FILE);
      await e.ctx.runtime.waitFor(await e.ctx.store.headPosition(), 60_000);
      for (const role of ['curator', 'leader', 'admin'] as const) cookies[role] = (await cookieFor(e.ctx, DEMO_ACCOUNTS[role])).split('=')[1]!;
    }, 120_000);
    afterAll(async () => e?.close());

    /** A signed-in context for the role, and what its pages report (console errors, CSP violations, dialogs). */
    async function open(role: string, js: boolean, [width, height]: readonly [number, number]) {
      const context: BrowserContext = await e.newContext({ js, viewport: { width, height }, ...(js ? { permissions: ['clipboard-read', 'clipboard-write'] } : {}) });
      await context.addCookies([{ name: 'hallway_session', value: cookies[role]!, url: e.baseUrl }]);
      const page = await context.newPage();
      const problems = watchConsole(page);
      page.on('response', (r) => {
        if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
      });
      const dialogs: string[] = [];
      failOnDialogs(page, dialogs);
      return { context, page, problems, dialogs };
    }

    /**
     * The page as it is: no sideways scroll, axe, a screenshot. The width is read from the DevTools
     * protocol's layout metrics, which work with the page's JavaScript off (page.evaluate does not).
     */
    async function look(page: Page, name: string, label: string): Promise<void> {
      const cdp = await page.context().newCDPSession(page);
      const m = (await cdp.send('Page.getLayoutMetrics')) as { cssContentSize: { width: number }; cssLayoutViewport: { clientWidth: number } };
      await cdp.detach();
      expect(Math.round(m.cssContentSize.width), `${label} scrolls sideways`).toBeLessThanOrEqual(m.cssLayoutViewport.clientWidth);
      await checkA11y(page, label);
      await screenshot(page, `${SHOTS}/${name}.png`);
    }

    for (const js of [true, false]) {
      const mode = `${size[0]}×${size[1]} ${js ? 'with' : 'without'} JavaScript`;
      const tag = `${size[0]}-${js ? 'js' : 'nojs'}`;

      it(
        `curator: finds a pick with the search box, defines and retires a theme with a confirm step, ${mode}`,
        async () => {
          const { context, page, problems, dialogs } = await open('curator', js, size);
          try {
            await page.goto('/curation');
            await look(page, `curator-${tag}-1-curation`, `curation ${mode}`);
            if (js) await page.evaluate('window.__sameDocument = true');
            // the picks: a search box, not a long list
            expect(await page.locator('#add-pick').count()).toBe(0);
            // each run picks its own story (they share one server)
            const [words, title] = PICKS[tag]!;
            await page.locator('#pick-q').fill(words);
            if (!js) await page.getByRole('button', { name: 'Find', exact: true }).click();
            const add = page.getByRole('button', { name: `Add “${title}”` });
            await add.waitFor();
            if (js) expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
            await look(page, `curator-${tag}-2-suggestions`, `pick suggestions ${mode}`);
            await add.click();
            const picked = page.locator('#picks [role="status"]');
            await expect.poll(() => picked.textContent()).toBe(`Added “${title}” to the picks.`);
            expect(await page.locator('.picks-form ol li a', { hasText: title }).count()).toBe(1);

            // a theme, defined, confirmed beside its form
            const name = `Journey <theme> ${tag}`;
            await page.locator('#new-name').fill(name);
            await page.getByRole('button', { name: 'Define the theme' }).click();
            await expect.poll(() => page.locator('#define + [role="status"]').textContent()).toContain(`Theme “${name}” defined.`);
            await look(page, `curator-${tag}-3-defined`, `theme defined ${mode}`);

            // retiring asks first: in place with htmx, on a page of its own without
            const id = `journey-theme-${tag}`;
            if (js) await page.evaluate('window.__sameDocument = true');
            await page.getByRole('link', { name: `Retire “${name}”…` }).click();
            const yes = page.getByRole('button', { name: `Yes, retire “${name}”` });
            await yes.waitFor();
            if (js) {
              expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
              expect(new URL(page.url()).pathname).toBe('/curation');
            } else expect(new URL(page.url()).pathname).toBe(`/curation/themes/${id}/retire`);
            await look(page, `curator-${tag}-4-confirm-retire`, `retire confirm ${mode}`);
            expect(getTheme(e.ctx.runtime.db, id)?.retired).toBe(false);
            await yes.click();
            await expect.poll(() => page.locator(`#theme-${id} [role="status"]`).textContent()).toContain(`Retired “${name}”.`);
            expect(getTheme(e.ctx.runtime.db, id)?.retired).toBe(true);
            // with JavaScript the confirmation takes focus, so it is read out where the person is
            if (js) await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.classList.contains("done")')).toBe(true);
            expect(dialogs).toEqual([]);
            expect(problems).toEqual([]);
          } finally {
            await context.close();
          }
        },
        BROWSER_TEST_MS * 2,
      );

      it(
        `leader: reads the dashboard's sentences and each figure's explanation, follows a quiet window to the active one, ${mode}`,
        async () => {
          const { context, page, problems } = await open('leader', js, size);
          try {
            await page.goto('/dashboard?window=365');
            expect(await page.locator('.headlines li').count()).toBeGreaterThanOrEqual(3);
            expect(await page.locator('.headlines li').first().textContent()).toMatch(/travelled furthest in the last 365 days: \d+ people heard it/);
            await look(page, `leader-${tag}-1-dashboard`, `dashboard ${mode}`);
            // a figure's explanation on keyboard focus (CSS only: works without JavaScript)
            const term = page.locator('button.term').first();
            const tip = page.locator(`#${await term.getAttribute('aria-describedby')}`);
            expect(await tip.isVisible()).toBe(false);
            await term.focus();
            expect(await tip.isVisible()).toBe(true);
            if (js) {
              await page.keyboard.press('Escape');
              expect(await tip.isVisible()).toBe(false);
            }
            // the flow matrix keeps reading size: it scrolls in its own box on a phone
            // (a string: the tests are typed without the DOM's types)
            const shown = (await page.evaluate(
              '(() => { const s = getComputedStyle(document.querySelector("table.heatmap td[class]")); return { fontSize: s.fontSize, backgroundColor: s.backgroundColor }; })()',
            )) as { fontSize: string; backgroundColor: string };
            expect(parseFloat(shown.fontSize)).toBeGreaterThanOrEqual(12);
            expect(shown.backgroundColor).not.toBe('rgba(0, 0, 0, 0)');
            // a story's own page
            await page.locator('section[aria-labelledby="circulating"] tbody a').first().click();
            await page.locator('dl.figures').waitFor();
            await look(page, `leader-${tag}-2-story`, `story spread ${mode}`);
            // a window with nothing in it says so and offers the one with activity
            await page.goto('/dashboard?from=2001-01-01&to=2001-01-31');
            const notice = page.locator('.notice[role="status"]', { hasText: 'Nothing new in' });
            await notice.waitFor();
            await look(page, `leader-${tag}-3-quiet-window`, `quiet window ${mode}`);
            await notice.getByRole('link').click();
            await page.locator('.headlines li').first().waitFor();
            expect(problems).toEqual([]);
          } finally {
            await context.close();
          }
        },
        BROWSER_TEST_MS * 2,
      );

      it(
        `admin: checklist, people search and pages, a transfer, a copyable invitation, the audit trail filtered and paged, ${mode}`,
        async () => {
          const { context, page, problems, dialogs } = await open('admin', js, size);
          try {
            await page.goto('/admin');
            expect(await page.locator('.checklist-steps li').count()).toBe(4);
            await look(page, `admin-${tag}-1-overview`, `admin overview ${mode}`);

            await page.goto('/admin/people');
            expect(await page.locator('#people-count').textContent()).toMatch(/page 1 of \d+$/);
            await page.getByRole('link', { name: 'Next page' }).click();
            await page.waitForURL(/page=2/);
            await page.locator('#q').fill('a');
            await page.getByRole('button', { name: 'Find', exact: true }).click();
            await page.waitForURL(/q=a/);
            await look(page, `admin-${tag}-2-people`, `people ${mode}`);

            // a person: the transfer offers only the other departments
            await page.locator('table tbody tr a').nth(2).click();
            await page.locator('#transfer-departmentId').waitFor();
            const current = (await page.locator('dl.facts dd').nth(2).textContent())!.trim();
            const offered = await page.locator('#transfer-departmentId option').allTextContents();
            expect(offered).not.toContain(current);
            expect(offered.length).toBeGreaterThan(2);
            // an invitation link: selectable, and with JavaScript a copy button
            await page.getByRole('button', { name: /invitation/ }).click();
            const link = page.locator('#invitation-url');
            await link.waitFor();
            expect(await link.inputValue()).toMatch(/\/invitation\/[a-z2-9]{48}$/);
            const copy = page.locator('button[data-copy-for="invitation-url"]');
            if (js) {
              await copy.click();
              await expect.poll(() => page.locator('[data-copy-status="invitation-url"]').textContent()).toMatch(/^(Copied\.|Selected: press Ctrl\+C)/);
              const copied = await page.evaluate('navigator.clipboard.readText()').catch(() => null);
              if (copied !== null) expect(copied).toBe(await link.inputValue());
            } else {
              expect(await copy.isVisible()).toBe(false);
              await link.selectText();
            }
            await look(page, `admin-${tag}-3-invitation`, `invitation link ${mode}`);

            // the audit trail: filtered by action and paged
            await page.goto('/admin/audit');
            await page.locator('#audit-action').selectOption('people');
            await page.getByRole('button', { name: 'Filter' }).click();
            await page.waitForURL(/action=people/);
            const kinds = await page.locator('table.audit tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
            expect(kinds.length).toBeGreaterThan(0);
            for (const k of kinds) expect(['joined', 'transferred', 'left', 'invited', 'password-set']).toContain(k);
            await look(page, `admin-${tag}-4-audit`, `audit ${mode}`);
            const older = page.getByRole('link', { name: 'Older' });
            if ((await older.count()) > 0) {
              await older.click();
              await page.waitForURL(/before=/);
              expect(page.url()).toContain('action=people');
            }
            expect(dialogs).toEqual([]);
            expect(problems).toEqual([]);
          } finally {
            await context.close();
          }
        },
        BROWSER_TEST_MS * 2,
      );
    }
  });
}
