import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { renderer } from '../../views/renderer.tsx';
import { AsOfBanner, AsOfPreparing, AsOfProblem } from '../../views/fragments/as-of-banner.tsx';
import { parseAsOf, utcDate } from '../asof/date.ts';
import type { AsOfDate } from '../asof/date.ts';
import { AsOfSnapshots, closedWith } from '../asof/snapshots.ts';
import type { Snapshot } from '../asof/snapshots.ts';
import type { PagePart } from '../asof/story-cut.ts';
import type { Runtime } from '../projections/runtime.ts';
import type { AppContext, AppEnv, CurrentUser } from './env.ts';
import { storyRoutes } from './stories.tsx';
import { timelineRoutes } from './timelines.tsx';
import { searchRoutes } from './search.tsx';
import { dashboardRoutes } from './dashboard.tsx';

/**
 * `?asOf=YYYY-MM-DD` on the pages below: the page as it stood at the end of that UTC day.
 *
 * The pages' own code is unchanged: the request goes to the same route modules, built over a
 * context whose read models are the date's snapshot (src/asof/snapshots.ts) and whose clock is
 * the end of that day (the dashboard's "last 30 days" end there). This middleware runs after the
 * access table, so who may open which page is exactly as today. Then the page gets the banner and
 * date control, and its links and GET forms to pages of this list keep the date.
 *
 * Decisions: a value that is not a calendar date, or a date after today, is answered 422 with the
 * reason and the date control (nothing is shown as if it were that date); `asOf=` empty is today's
 * page. Opening a story as it stood records no read: the reader is looking at the archive's past,
 * possibly at a text since amended or a story since retracted.
 */

/** The pages that can be shown as of a date (paths, as in src/http/access.ts). */
export const AS_OF_PAGES = [
  '/timelines', '/themes/:id', '/leaders/:name', '/leaders/people/:employeeId', '/departments/:id', '/stories/:id', '/search', '/dashboard', '/dashboard/stories/:id',
  // the dashboard's CSV tables, so that its download links keep the date too
  '/dashboard/export.csv',
];
const NOT_PAGES = new Set(['/stories/new']);
const patterns = AS_OF_PAGES.map((p) => new RegExp(`^${p.split('/').map((s) => (s.startsWith(':') ? '[^/]+' : s)).join('/')}/?$`));

/**
 * The pages that read what they show at a date's cut from the live read models when the cut is a
 * prefix of the log (src/asof/cut.ts), instead of building the date: one story's spread, the
 * dashboard and its CSV tables.
 */
const AT_CUT: [RegExp, CutPage][] = [
  [/^\/dashboard\/stories\/[^/]+\/?$/, 'dashboard-story'],
  // the dashboard, every window, and its CSV tables (src/asof/dashboard-cut.ts)
  [/^\/dashboard\/?$/, 'dashboard'],
  [/^\/dashboard\/export\.csv$/, 'dashboard-csv'],
];
type CutPage = 'dashboard-story' | 'dashboard' | 'dashboard-csv';
const cutPageOf = (path: string): CutPage | undefined => AT_CUT.find(([re]) => re.test(path))?.[1];
/**
 * A story page of such a date is read from a small views database of that page's part of the cut
 * (src/asof/story-cut.ts).
 */
const PARTS: [RegExp, (id: string) => PagePart][] = [
  [/^\/stories\/([^/]+)\/?$/, (storyId) => ({ kind: 'story', storyId })],
];
/**
 * Every timeline of such a date (any size, any page, htmx's "more" items) is read from the stories
 * and org models as they stood at the cut (src/asof/timeline-cut.ts).
 */
const TIMELINES: [RegExp, TimelineKind][] = [
  [/^\/timelines\/?$/, 'all'],
  [/^\/themes\/[^/]+\/?$/, 'theme'],
  [/^\/leaders\/people\/[^/]+\/?$/, 'person'],
  [/^\/leaders\/(?!people\/)[^/]+\/?$/, 'leader'],
  [/^\/departments\/[^/]+\/?$/, 'department'],
];
type TimelineKind = 'all' | 'theme' | 'person' | 'leader' | 'department';
const timelineOf = (path: string): TimelineKind | undefined => TIMELINES.find(([re]) => re.test(path))?.[1];
function pagePartOf(path: string): PagePart | undefined {
  if (NOT_PAGES.has(path)) return undefined;
  for (const [re, part] of PARTS) {
    const m = re.exec(path);
    if (!m) continue;
    try {
      return part(decodeURIComponent(m[1]!));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
/** How many as-of pages this process answered at a cut from the live read models, in all and by page (for tests and the bench). */
export const pagesAtCut: { count: number } & Record<CutPage, number> = { count: 0, 'dashboard-story': 0, dashboard: 0, 'dashboard-csv': 0 };
/** `/search` of a date whose cut is a prefix of the log: read from the search model at the cut (src/asof/search-cut.ts). */
const SEARCH_AT_CUT = /^\/search\/?$/;
/** How many as-of searches this process answered from the search model at a cut, by what they asked (for tests and the bench). */
export const searchPagesAtCut = { count: 0, words: 0, theme: 0, department: 0, paged: 0, fragment: 0 };
function countSearch(c: Context<AppEnv>): void {
  searchPagesAtCut.count += 1;
  if ((c.req.query('q') ?? '').trim()) searchPagesAtCut.words += 1;
  if (c.req.query('theme')) searchPagesAtCut.theme += 1;
  if (c.req.query('dept')) searchPagesAtCut.department += 1;
  if ((c.req.query('page') ?? '1') !== '1') searchPagesAtCut.paged += 1;
  if (c.req.header('hx-request') === 'true') searchPagesAtCut.fragment += 1;
}
/** How many as-of pages this process read from their part of a prefix cut, by kind (for tests and the bench). */
export const partPagesAtCut: Record<PagePart['kind'], number> = { story: 0 };
/** How many as-of timeline pages this process read from the stories model at a prefix cut, by kind (for tests and the bench). */
export const timelinePagesAtCut: Record<TimelineKind, number> = { all: 0, theme: 0, person: 0, leader: 0, department: 0 };

export function isAsOfPage(path: string): boolean {
  return !NOT_PAGES.has(path) && patterns.some((re) => re.test(path));
}

const unescapeAttr = (v: string): string => v.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const escapeAttr = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Links inside an as-of page keep the date: every href and hx-get to a page of the list gets
 * `asOf=date`, and every GET form whose action is one gets a hidden `asOf` field (a browser drops
 * an action's own query when it submits a GET form). Links to anything else (home, telling a
 * story, amending) lead back to today.
 */
export function keepDate(html: string, date: string): string {
  const hidden = `<input type="hidden" name="asOf" value="${date}">`;
  return html
    .replace(/<form\b[^>]*>/g, (tag) => {
      if (/\bmethod="post"/i.test(tag)) return tag;
      const action = /\baction="([^"]*)"/.exec(tag)?.[1];
      if (action === undefined || !action.startsWith('/')) return tag;
      return isAsOfPage(new URL(unescapeAttr(action), 'http://x').pathname) ? tag + hidden : tag;
    })
    .replace(/\b(href|hx-get)="(\/[^"]*)"/g, (attr, name: string, value: string) => {
      const url = new URL(unescapeAttr(value), 'http://x');
      if (!isAsOfPage(url.pathname) || url.searchParams.has('asOf')) return attr;
      url.searchParams.set('asOf', date);
      return `${name}="${escapeAttr(url.pathname + url.search + url.hash)}"`;
    });
}

/** The request's query without asOf, as [name, value] pairs. */
const otherParams = (c: Context<AppEnv>): [string, string][] =>
  [...new URL(c.req.url).searchParams.entries()].filter(([k]) => k !== 'asOf');

const todayHref = (path: string, keep: [string, string][]): string => {
  const q = new URLSearchParams(keep).toString();
  return q ? `${path}?${q}` : path;
};

/** The signed-in person of an outer request, handed to the snapshot's routes. */
const userOf = new WeakMap<Request, CurrentUser | null>();

/** The context the routes see for a date: its snapshot's read models, its end as the clock, no writes. */
function asOfContext(ctx: AppContext, snapshot: Snapshot): AppContext {
  const runtime: Runtime = {
    db: snapshot.db,
    // nothing is appended through an as-of page, so nothing has to be waited for
    waitFor: () => Promise.resolve(),
    caughtUp: Promise.resolve(),
    status: () => [],
    close: () => Promise.resolve(),
  };
  const { cutoffMs } = snapshot.asOf;
  return {
    ...ctx,
    runtime,
    // the snapshot's cut is set again when the live read models have moved on (src/asof/snapshots.ts)
    get asOfCut() {
      return snapshot.cut;
    },
    // the end of that day; today's snapshot is read at the real time (its day has not ended)
    clock: () => {
      const now = ctx.clock();
      return now.getTime() < cutoffMs ? now : new Date(cutoffMs);
    },
    asOf: { ...snapshot.asOf, recordClock: ctx.clock },
  };
}

/** The page routes over one snapshot, built once per snapshot (the routes keep their views connection). */
function pagesOver(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('user', userOf.get(c.req.raw) ?? null);
    return next();
  });
  app.use(renderer);
  app.route('/', storyRoutes(ctx));
  app.route('/', timelineRoutes(ctx));
  app.route('/', searchRoutes(ctx));
  app.route('/', dashboardRoutes(ctx));
  // the outer app's error handler answers (409, 503, 500 pages alike)
  app.onError((err) => {
    throw err;
  });
  return app;
}

/** The middleware (app.ts mounts it after the access table). */
export function asOfPages(ctx: AppContext, snapshots = new AsOfSnapshots(ctx.store, { live: ctx.runtime })): MiddlewareHandler<AppEnv> {
  // closed (their files removed) when the context is (src/services.ts)
  closedWith(ctx, snapshots);
  // by snapshot, not by connection: dates read from the live read models share one connection
  const apps = new WeakMap<Snapshot, Hono<AppEnv>>();
  const appFor = (s: Snapshot): Hono<AppEnv> => {
    let app = apps.get(s);
    if (!app) apps.set(s, (app = pagesOver(asOfContext(ctx, s))));
    return app;
  };

  return async (c, next) => {
    const value = c.req.query('asOf');
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || value === undefined || value === '' || !isAsOfPage(c.req.path)) return next();
    const keep = otherParams(c);
    const today = utcDate(ctx.clock());
    const parsed = parseAsOf(value, ctx.clock());
    if (!parsed.ok) {
      c.status(422);
      return c.render(<AsOfProblem message={parsed.message} path={c.req.path} keep={keep} max={today} todayHref={todayHref(c.req.path, keep)} />, { title: 'That date cannot be shown' });
    }
    const asOf: AsOfDate = parsed.asOf;
    // given up on (see below): a read that has not started is not done for nobody
    let gaveUp = false;
    const page = snapshots.use(asOf, async (s) => {
      if (gaveUp) return undefined;
      // asked of the page routes without Accept-Encoding: the page comes back as text (not gzip,
      // src/http/compressed-pages.ts), for the banner and the date in its links
      const headers = new Headers(c.req.raw.headers);
      headers.delete('accept-encoding');
      const inner = new Request(c.req.raw.url, { method: c.req.raw.method, headers });
      userOf.set(inner, c.get('user'));
      const res = await appFor(s).fetch(inner);
      // counted once answered (a read at the cut that could not be made is built instead)
      const atCut = s.cut && cutPageOf(c.req.path);
      if (atCut) {
        pagesAtCut.count += 1;
        pagesAtCut[atCut] += 1;
      }
      if (s.part) partPagesAtCut[s.part.kind] += 1;
      const timelineKind = s.timelines && timelineOf(c.req.path);
      if (timelineKind) timelinePagesAtCut[timelineKind] += 1;
      if (s.search) countSearch(c);
      for (const [name, v] of res.headers) if (name !== 'content-length') c.header(name, v);
      if (!(res.headers.get('content-type') ?? '').includes('text/html')) return c.body(await res.arrayBuffer(), res.status as 200);
      let html = keepDate(await res.text(), asOf.date);
      const main = html.indexOf('<main id="main">');
      if (main >= 0) {
        const at = main + '<main id="main">'.length;
        const banner = String(await (<AsOfBanner date={asOf.date} label={asOf.label} todayHref={todayHref(c.req.path, keep)} path={c.req.path} keep={keep} max={today} />).toString());
        html = html.slice(0, at) + banner + html.slice(at);
      }
      return c.body(html, res.status as 200);
    }, { cut: cutPageOf(c.req.path) !== undefined, part: pagePartOf(c.req.path), search: SEARCH_AT_CUT.test(c.req.path), timeline: timelineOf(c.req.path) !== undefined });
    // a date built from the log can take minutes in a large archive: after HALLWAY_ASOF_WAIT_SECONDS
    // the browser is told the date is being prepared and asks again by itself, while the build goes on
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([page, new Promise<typeof TIMED_OUT>((r) => (timer = setTimeout(r, ctx.config.asOfWaitSeconds * 1000, TIMED_OUT)))]).finally(() => clearTimeout(timer));
    if (waited !== TIMED_OUT) return waited!;
    gaveUp = true;
    // the build goes on for the next request; its failure is that request's to report
    page.catch(() => {});
    asOfPreparing.count += 1;
    c.status(503);
    c.header('Retry-After', String(ASK_AGAIN_SECONDS));
    c.header('Refresh', String(ASK_AGAIN_SECONDS));
    c.header('Cache-Control', 'no-store');
    return c.render(<AsOfPreparing label={asOf.label} href={`${c.req.path}${new URL(c.req.url).search}`} todayHref={todayHref(c.req.path, keep)} seconds={ASK_AGAIN_SECONDS} />, { title: 'Preparing that date' });
  };
}

/** How many as-of requests were answered "being prepared" (for tests). */
export const asOfPreparing = { count: 0 };
const ASK_AGAIN_SECONDS = 5;
const TIMED_OUT = Symbol('timed out');
