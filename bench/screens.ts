/**
 * Screenshots of the main pages of the demo company, for a person to look at (not a test):
 * `npx tsx bench/screens.ts [label]` writes .tmp/screens/<label>/<page>-<width>.png at 1280×800
 * and 390×844 (full page). Debian's Chromium through playwright-core. Further arguments name the
 * pages to take (all when none): `npx tsx bench/screens.ts s6 email-settings admin-settings`.
 */
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemoSite } from './demo-site.ts';
import type { DemoRole } from './demo-site.ts';

const label = process.argv[2] ?? 'after';
const only = new Set(process.argv.slice(3));
const out = `.tmp/screens/${label}`;
mkdirSync(out, { recursive: true });

const site = await startDemoSite();
const all: { name: string; path: string; role: DemoRole }[] = [
  { name: 'home', path: '/', role: 'new-hire' },
  { name: 'story', path: site.storyPath, role: 'employee' },
  { name: 'timelines', path: '/timelines', role: 'employee' },
  { name: 'search', path: '/search?q=customer', role: 'employee' },
  { name: 'dashboard', path: '/dashboard', role: 'leader' },
  { name: 'dashboard-all', path: '/dashboard?window=all', role: 'leader' },
  { name: 'people', path: '/admin/people', role: 'admin' },
  // trust (docs/trust.md): the admin's seal panel, a receipt check, erasing someone who has left
  { name: 'admin', path: '/admin', role: 'admin' },
  { name: 'verify', path: '/verify', role: 'employee' },
  { name: 'erase-confirm', path: '/admin/people/emp-028/erase', role: 'admin' },
  // email (README "Email"): a person's own settings, and the admin's digest switch
  { name: 'email-settings', path: '/me/email', role: 'employee' },
  { name: 'admin-settings', path: '/admin/settings', role: 'admin' },
];
const pages = all.filter((p) => only.size === 0 || only.has(p.name));
const browser = await chromium.launch({
  executablePath: process.env['CHROME_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const scheme of ['light', 'dark'] as const) {
    for (const [w, h] of [[1280, 800], [390, 844]] as const) {
      for (const p of pages) {
        const context = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme, locale: 'en-GB', extraHTTPHeaders: { cookie: site.cookie[p.role] } });
        const page = await context.newPage();
        const res = await page.goto(site.baseUrl + p.path, { waitUntil: 'networkidle' });
        const file = `${out}/${p.name}-${w}${scheme === 'dark' ? '-dark' : ''}.png`;
        await page.screenshot({ path: file, fullPage: true });
        // what a phone shows first, at full resolution, for a quick look
        if (w === 390) await page.screenshot({ path: file.replace('.png', '-top.png') });
        const wide = (await page.evaluate('document.scrollingElement.scrollWidth')) as number;
        // a large page comes gzip-compressed (src/http/compressed-pages.ts)
        const encoding = (await res?.allHeaders())?.['content-encoding'] ?? 'none';
        process.stdout.write(`${file}  scrollWidth ${wide}  status ${res?.status()}  content-encoding ${encoding}\n`);
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  await site.close();
}
