import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_MS, checkA11y, failOnDialogs, signIn, startE2E, watchConsole, screenshot } from './harness.ts';
import type { E2E } from './harness.ts';
import { importFile } from '../../src/importer.ts';

const SHOTS = '.tmp/screens/review';

/**
 * Issue 12, section 3, in Chromium on the demo archive: from the open-house story's repair-crew
 * retelling to its lineage, where the retellings show the drift word by word; axe clean, on a
 * desktop and a phone, with and without JavaScript.
 */
describe('the lineage page in Chromium', () => {
  let e: E2E;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e = await startE2E();
    await importFile(e.ctx, fileURLToPath(new URL('../../events/seed/demo.jsonl', import.meta.url)));
    await e.ctx.runtime.waitFor(await e.ctx.store.headPosition());
  });
  afterAll(async () => e?.close());

  for (const js of [true, false]) {
    it(`from a retelling to its lineage ${js ? 'with' : 'without'} JavaScript`, async () => {
      const reader = await e.person({ name: `Lina Reader ${js ? 'js' : 'nojs'}` });
      const context = await e.newContext({ js });
      const page = await context.newPage();
      const problems = watchConsole(page);
      const dialogs: string[] = [];
      failOnDialogs(page, dialogs);
      await signIn(page, reader, '/stories/story-open-house-repair');
      const link = page.getByRole('link', { name: /How it changed as it was retold \(3 tellings\)/ });
      await Promise.all([page.waitForURL(/\/lineage$/), link.click()]);
      expect(await page.locator('h1').textContent()).toContain('The CIO at the open house');
      const noc = page.locator('#telling-story-open-house-noc > article');
      expect(await noc.locator('.word-diff del').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('cell')]));
      expect(await noc.locator('.word-diff ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('mobile')]));
      expect(await noc.locator('.word-diff-figure').textContent()).toMatch(/\d+% of the words kept/);
      expect(await page.locator('li.telling.current').getAttribute('id')).toBe('telling-story-open-house-repair');
      await checkA11y(page, `lineage page ${js ? 'with' : 'without'} JavaScript`);
      if (js) {
        await screenshot(page, `${SHOTS}/lineage.png`);
        await page.setViewportSize({ width: 390, height: 844 });
        await checkA11y(page, 'lineage page on a phone');
        const overflow = await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');
        expect(overflow).toBe(false);
        await screenshot(page, `${SHOTS}/lineage-phone.png`, { fullPage: false });
      }
      expect(problems).toEqual([]);
      expect(dialogs).toEqual([]);
      await context.close();
    }, BROWSER_TEST_MS);
  }
});
