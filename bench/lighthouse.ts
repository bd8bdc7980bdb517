/**
 * `npm run lighthouse`: Lighthouse 12 (pinned; 13 needs Node 22) over the demo company's main
 * pages, each signed in as the role that would open it (a session cookie sent through
 * `extraHeaders`), in Debian's Chromium (CHROME_PATH, default /usr/bin/chromium). Prints
 * performance, accessibility and best-practices scores and the failing audits. Lighthouse's
 * default mobile profile (simulated slow 4G, 4× CPU slowdown); `--desktop` for the desktop one.
 * Aims (issue 11): performance ≥ 95, accessibility 100, best practices 100. Not part of `npm test`.
 * Exit code 1 when an aim is missed.
 */
import lighthouse from 'lighthouse';
import type { Flags, Result } from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { startDemoSite } from './demo-site.ts';
import type { DemoRole } from './demo-site.ts';

const desktop = process.argv.includes('--desktop');
const AIMS = { performance: 95, accessibility: 100, 'best-practices': 100 } as const;
type Category = keyof typeof AIMS;

const site = await startDemoSite();
const only = process.env['LH_ONLY'];
const allPages: { name: string; path: string; role: DemoRole }[] = [
  { name: 'home', path: '/', role: 'new-hire' },
  { name: 'story', path: site.storyPath, role: 'employee' },
  { name: 'timelines', path: '/timelines', role: 'employee' },
  { name: 'search', path: '/search?q=customer', role: 'employee' },
  { name: 'dashboard', path: '/dashboard', role: 'leader' },
  { name: 'admin', path: '/admin/people', role: 'admin' },
];
const pages = only ? allPages.filter((p) => only.split(',').includes(p.name)) : allPages;

const chrome = await chromeLauncher.launch({
  chromePath: process.env['CHROME_PATH'] ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const rows: { name: string; scores: Record<Category, number>; failing: string[] }[] = [];
let missed = false;
try {
  for (const p of pages) {
    const flags: Flags = {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: Object.keys(AIMS),
      extraHeaders: { Cookie: site.cookie[p.role] },
      ...(desktop ? { formFactor: 'desktop', screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false } } : {}),
    };
    const config = desktop ? { extends: 'lighthouse:default', settings: { formFactor: 'desktop' as const, throttling: { rttMs: 40, throughputKbps: 10240, cpuSlowdownMultiplier: 1, requestLatencyMs: 0, downloadThroughputKbps: 0, uploadThroughputKbps: 0 }, screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false } } } : undefined;
    const run = await lighthouse(site.baseUrl + p.path, flags, config);
    if (!run) throw new Error(`lighthouse gave no result for ${p.path}`);
    const lhr: Result = run.lhr;
    if (lhr.runtimeError) process.stderr.write(`${p.name}: lighthouse could not measure it: ${lhr.runtimeError.code} ${lhr.runtimeError.message}\n`);
    const scores = {} as Record<Category, number>;
    const failing: string[] = [];
    for (const cat of Object.keys(AIMS) as Category[]) {
      const c = lhr.categories[cat];
      scores[cat] = Math.round((c?.score ?? 0) * 100);
      if (scores[cat] < AIMS[cat]) missed = true;
      for (const ref of c?.auditRefs ?? []) {
        const a = lhr.audits[ref.id];
        if (a && ref.weight > 0 && a.score !== null && a.score < 1 && (cat !== 'performance' || a.score < 0.9)) {
          // the first offending elements, so the line says where to look
          const items = (a.details as { items?: { node?: { snippet?: string } }[] } | undefined)?.items ?? [];
          const where = items.map((i) => i.node?.snippet).filter(Boolean).slice(0, 2).join(' ');
          failing.push(`${cat}: ${a.id} (${a.displayValue ?? a.score})${where ? ` at ${where}` : ''}`);
        }
      }
    }
    if (process.env['LH_DEBUG']) {
      for (const id of ['mainthread-work-breakdown', 'bootup-time', 'dom-size', 'long-tasks']) {
        const d = lhr.audits[id]?.details as { items?: Record<string, unknown>[] } | undefined;
        process.stderr.write(`${p.name} ${id}: ${JSON.stringify(d?.items?.slice(0, 6))}\n`);
      }
    }
    rows.push({ name: p.name, scores, failing });
  }
} finally {
  await chrome.kill();
  await site.close();
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
process.stdout.write(`\nLighthouse ${desktop ? 'desktop' : 'mobile'} (aims: performance ≥ ${AIMS.performance}, accessibility ${AIMS.accessibility}, best practices ${AIMS['best-practices']})\n`);
process.stdout.write(`${pad('page', 11)}${pad('perf', 6)}${pad('a11y', 6)}${pad('best', 6)}\n`);
for (const r of rows) {
  process.stdout.write(`${pad(r.name, 11)}${pad(r.scores.performance, 6)}${pad(r.scores.accessibility, 6)}${pad(r.scores['best-practices'], 6)}\n`);
}
for (const r of rows) for (const f of r.failing) process.stdout.write(`  ${r.name}: ${f}\n`);
process.exit(missed ? 1 : 0);
