/**
 * Browser-test harness: the real Hallway (embedded store on disk in a temp dir, projections, the
 * HTTP server on a free port) driven by Debian's Chromium through playwright-core, with axe-core
 * checks. `npx playwright install` does not work here; CI installs /usr/bin/chromium. If it is
 * missing the suite fails with a clear message rather than skipping.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import type { LoadOptions } from '../../src/config.ts';
import { openHallway } from '../../src/services.ts';
import type { OpenOptions } from '../../src/services.ts';
import { startServer } from '../../src/server.ts';
import { freePort, tempDir } from '../helpers.ts';
import { givenEmployee } from '../auth-helpers.ts';
import type { TestPerson } from '../auth-helpers.ts';
import type { AppContext } from '../../src/http/env.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { secretsInLog } from './log-secrets.ts';

/** Debian's Chromium; HALLWAY_E2E_CHROMIUM points elsewhere (used to check the missing-browser message). */
export const CHROMIUM = process.env['HALLWAY_E2E_CHROMIUM'] ?? '/usr/bin/chromium';
/** per browser flow: a busy two-core machine can be slow; the whole suite stays well under 90 s */
export const BROWSER_TEST_MS = 60_000;

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface E2E {
  ctx: AppContext;
  baseUrl: string;
  browser: Browser;
  /** a fresh browser context (own cookies); `js: false` turns JavaScript off */
  newContext(opts?: { js?: boolean; viewport?: { width: number; height: number }; permissions?: string[] }): Promise<BrowserContext>;
  /** an employee with a password, ready to sign in through the real form */
  person(p?: Partial<TestPerson>): Promise<TestPerson & { password: string }>;
  /** every JSON line the server logged so far (it logs at `trace`, as serve does at its most verbose) */
  readonly logLines: readonly string[];
  /**
   * Issue 14: stops everything, then fails if any log line holds a password, a cookie, a value a
   * browser sent in a form or a query string, or a story's text (test/e2e/log-secrets.ts).
   */
  close(): Promise<void>;
}

export interface E2EOptions {
  /** more environment for loadConfig (the single sign-on tests set HALLWAY_OIDC_*) */
  env?: Record<string, string>;
  /** loadConfig's code-only options (testOnlyHttpOidcIssuer) */
  load?: LoadOptions;
  /** openHallway's options (a clock, metrics) */
  open?: OpenOptions;
}

export async function startE2E({ env = {}, load = {}, open = {} }: E2EOptions = {}): Promise<E2E> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install chromium). It is missing, so test/e2e cannot run.`);
  }
  const tmp = tempDir('hallway-e2e-');
  const port = await freePort();
  const config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir, PORT: String(port), HALLWAY_PUBLIC_URL: `http://127.0.0.1:${port}`, ...env }, load);
  // logging on, as serve has it, into memory: close() searches it for anything secret or typed
  const logLines: string[] = [];
  const logger = createLogger('trace', { write: (line: string) => void logLines.push(line) });
  const hallway = await openHallway(config, { log: (m) => logger.warn(m), logger, ...open });
  /** what browsers sent (form fields, query values) and the cookies they held */
  const sent = new Set<string>();
  const passwords = new Set<string>();
  const server = await startServer(hallway);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const baseUrl = `http://127.0.0.1:${server.port}`;
  let n = 0;
  return {
    ctx: hallway,
    baseUrl,
    browser,
    async newContext({ js = true, viewport, permissions } = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: js, locale: 'en-GB', ...(viewport ? { viewport } : {}), ...(permissions ? { permissions } : {}) });
      if (!js) withoutJs.add(context);
      context.on('request', (r) => {
        const url = new URL(r.url());
        if (url.origin !== baseUrl) return;
        for (const v of url.searchParams.values()) sent.add(v);
        const body = r.postData();
        if (body && (r.headers()['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) for (const v of new URLSearchParams(body).values()) sent.add(v);
      });
      // the cookies it held (sessions, device cookies), taken as it closes
      const closeContext = context.close.bind(context);
      context.close = async (...args: Parameters<BrowserContext['close']>) => {
        for (const c of await context.cookies().catch(() => [])) sent.add(c.value);
        return closeContext(...args);
      };
      return context;
    },
    async person(p = {}) {
      n += 1;
      const password = `e2e password ${n} horse battery`;
      const person = await givenEmployee(hallway, { email: `e2e${n}@example.test`, ...p, password });
      passwords.add(password);
      return { ...person, password };
    },
    logLines,
    async close() {
      let leaks: string[] = [];
      try {
        for (const c of browser.contexts()) for (const k of await c.cookies().catch(() => [])) sent.add(k.value);
        await browser.close().catch(() => {});
        await server.stop();
        leaks = secretsInLog(logLines, { passwords, sent, db: hallway.runtime.db });
      } finally {
        await hallway.close();
        tmp.remove();
      }
      if (leaks.length > 0) throw new Error(`the server's log holds what it must not (issue 14):\n${leaks.join('\n')}`);
    },
  };
}

/** Signs in through the real /sign-in page (following `next` back to `path`). */
export async function signIn(page: Page, who: { email: string; password: string }, path = '/'): Promise<void> {
  await page.goto(path);
  await page.waitForURL(/\/sign-in/);
  await checkA11y(page, 'sign-in page');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

const withoutJs = new WeakSet<BrowserContext>();
/** per browser: one JavaScript-enabled page (its own scripts blocked) where axe checks pages that have JavaScript off */
const checkers = new WeakMap<Browser, Promise<{ page: Page; origin: string }>>();

/**
 * Runs axe-core on the page as it is now and throws on serious or critical violations, printing
 * them. axe's source is evaluated through page.evaluate (the DevTools protocol, which the page's
 * CSP does not govern), so the page keeps its real CSP and no inline script is added to it; no
 * bypassCSP is needed.
 *
 * axe needs timers, which do not run in a context with JavaScript off. For such a page the DOM
 * it has now is checked instead in a JavaScript-enabled page of the same origin whose own scripts
 * are blocked, so what axe sees is exactly what the person without JavaScript sees. That page is
 * kept: each check writes the markup into it with document.open/write, which keeps its window (and
 * the axe already loaded there) — loading axe into a fresh page cost seconds per check.
 */
export async function checkA11y(page: Page, label: string): Promise<Violation[]> {
  if (withoutJs.has(page.context())) {
    const browser = page.context().browser()!;
    const origin = new URL(page.url()).origin;
    let checker = checkers.get(browser);
    if (!checker) {
      checker = (async () => {
        const c = await browser.newContext({ javaScriptEnabled: true, locale: 'en-GB' });
        await c.route('**/*.js', (r) => r.abort());
        await c.route(`${origin}/__axe-checker`, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><html lang="en"><title>checker</title></html>' }));
        const p = await c.newPage();
        await p.goto(`${origin}/__axe-checker`);
        return { page: p, origin };
      })();
      checkers.set(browser, checker);
    }
    const html = await page.content();
    const viewport = page.viewportSize();
    const { page: copy, origin: checkerOrigin } = await checker;
    if (checkerOrigin !== origin) throw new Error(`checkA11y: one browser, one origin (${checkerOrigin}, not ${origin})`);
    if (viewport) await copy.setViewportSize(viewport);
    // the same document, new markup: styles load (colour contrast needs them), scripts are blocked
    await copy.evaluate(
      `new Promise((resolve) => { document.open(); document.write(${JSON.stringify(html)}); document.close();
        if (document.readyState === 'complete') resolve(); else window.addEventListener('load', () => resolve(), { once: true }); })`,
    );
    return runAxe(copy, `${label} (without JavaScript)`);
  }
  return runAxe(page, label);
}

async function runAxe(page: Page, label: string): Promise<Violation[]> {
  const loaded = await page.evaluate('typeof axe !== "undefined"');
  if (!loaded) await page.evaluate(axeSource);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })))`)) as Violation[];
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const text = bad.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n    at ${v.nodes.join('\n    at ')}`).join('\n');
    console.error(`axe found ${bad.length} serious or critical problem(s) on ${label} (${page.url()}):\n${text}`);
    throw new Error(`accessibility: ${bad.length} serious or critical violation(s) on ${label}: ${bad.map((v) => v.id).join(', ')}`);
  }
  return violations;
}

/**
 * A full-page screenshot for a person to look at, written only when HALLWAY_E2E_SCREENS=1: no test
 * asserts on it, and capturing and encoding a full page costs a third of a second per step, which
 * across the browser tests is a minute of `npm test`. `caret: 'initial'` because hiding the caret
 * injects a <style>, which the page's CSP rightly reports.
 */
export async function screenshot(page: Page, path: string, { fullPage = true }: { fullPage?: boolean } = {}): Promise<void> {
  if (process.env['HALLWAY_E2E_SCREENS'] !== '1') return;
  await page.screenshot({ path, fullPage, caret: 'initial' });
}

/** Console errors and warnings (Chromium reports CSP violations there) and page errors the page reports from now on. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

/** Fails the test if the page ever opens a dialog (an injected alert() would). */
export function failOnDialogs(page: Page, seen: string[]): void {
  page.on('dialog', (d) => {
    seen.push(d.message());
    void d.dismiss();
  });
}

let seq = 0;
/** Given: events appended straight to the real store (for data the flow under test does not create). */
export async function given(ctx: AppContext, stream: string, type: string, data: Record<string, unknown>, actor = 'system'): Promise<void> {
  seq += 1;
  const r = await ctx.store.append(stream, [{ id: ctx.newId(), type, data, metadata: { at: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(), actor } }]);
  await ctx.runtime.waitFor(r.position);
}
