import { Hono } from 'hono';
import { commit } from '../command.ts';
import type { AppContext, AppEnv } from './env.ts';
import { departmentGroups, SMALLER_NAME } from '../projections/spread-dashboard.ts';
import type { Dashboard } from '../projections/spread-dashboard.ts';
import { spreadStory, storyFigures, storyNodes } from '../read/spread.ts';
import { PRESETS, resolveWindow, WindowQuery } from '../spread/window.ts';
import type { ResolvedWindow } from '../spread/window.ts';
import { WindowForm } from '../../views/pages/dashboard.tsx';
import { DashboardStoryPage } from '../../views/pages/dashboard-story.tsx';
import { dashboardVersion } from '../read/edge-log.ts';
import { keptLatest } from '../read/kept-latest.ts';
import { workerOf } from '../projections/in-worker.ts';
import { dashboardFigures, renderDashboardBody, renderDashboardPage } from './dashboard-body.tsx';
import { dashboardAtCut, dashboardExtrasAtCut } from '../asof/dashboard-cut.ts';
import type { DashboardAsk } from './dashboard-body.tsx';
import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { keptUntilChangeAsync } from '../read/kept.ts';
import { figuresAtCut, groupsAtCut, nodesAtCut, orgAtCut, storyAtCut } from '../asof/cut.ts';
import type { Cut } from '../asof/cut.ts';
import type { SpreadFigures } from '../spread/figures.ts';
import type { CascadeNode } from '../spread/cascade.ts';

/**
 * One CSV cell: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it. Ratios
 * are rounded to three decimals, as the dashboard shows them (not 2.0555555555555554).
 */
const cell = (v: string | number | null): string => {
  if (v === null) return '';
  if (typeof v === 'number') return String(Number.isInteger(v) ? v : Math.round(v * 1000) / 1000);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${s.replace(/"/g, '""')}"`;
};
const csvOf = (header: string[], rows: (string | number | null)[][]): string =>
  [header.map(cell).join(','), ...rows.map((r) => r.map(cell).join(','))].join('\r\n') + '\r\n';

const TABLES = ['stories', 'flows', 'departments', 'themes'] as const;
const MINUTE = 60_000;

/** Windows end at the next whole minute (see dashboardRoutes). */
const dashboardWindowEnd = (ctx: AppContext): Date => new Date(Math.ceil(ctx.clock().getTime() / MINUTE) * MINUTE);

export { dashboardRenders } from './dashboard-body.tsx';

/**
 * How long a stale dashboard page is served while the projection worker works out the current one:
 * under a stream of exposures every request gets the last complete page at once (it says when its
 * figures are from), and one recount runs at a time; a page older than this (nobody asked for the
 * window for a while) is not served stale, the request waits for the recount instead.
 */
const STALE_FOR_MS = 60_000;

/**
 * The dashboard's body for a window: the same for every leader, so worked out once per window and
 * kept (src/read/kept-latest.ts) until what it reads changes (dashboardVersion: departments, people,
 * themes, stories or exposures; not sign-ins, searches or the other read models). In `serve` it is
 * worked out on the projection worker and served stale-while-revalidate, so no request waits for a
 * recount and none runs on this thread; with the projections on this thread (tests, the CLI) and
 * on dated pages it is worked out on this thread, and a request waits for the current one.
 */
async function dashboardPart(ctx: AppContext, w: ResolvedWindow): Promise<HtmlEscapedString> {
  const db = ctx.runtime.db;
  const cut = ctx.asOfCut;
  if (cut) {
    // as of a date read at its cut (src/asof/dashboard-cut.ts): the page is the same for every
    // position of the live read models with the same first event left out, so it is kept under that
    // (src/read/kept.ts's bounds: 16 values, 4M characters per connection)
    const ask: DashboardAsk = { w, minGroup: ctx.config.minGroup, askedAtMs: null };
    const page = await keptUntilChangeAsync(db, `dashboard-at-cut:${cut.cutoffMs}:${w.fromMs}|${w.toMs}|${w.query}:${ask.minGroup}`, () => String(ctx.asOfCut?.firstOut), async () =>
      renderDashboardPage(await dashboardAtCut(db, ctx.store, cut, w, ask.minGroup, 20), ask, await dashboardExtrasAtCut(db, ctx.store, cut, ask.minGroup)));
    return raw(page);
  }
  // a dated page reads its snapshot on this thread, and says nothing of when its figures were worked out
  const worker = ctx.asOf ? undefined : workerOf(ctx.runtime);
  const minGroup = ctx.config.minGroup;
  // the page says when its figures are from where it may be served stale (worked out on the worker);
  // elsewhere every page is current, and a dated page equals the rebuilt archive's (test/http/as-of.test.ts)
  const ask = (x: ResolvedWindow): DashboardAsk => ({ w: x, minGroup, askedAtMs: worker ? ctx.clock().getTime() : null });
  const made = await keptLatest(db, `dashboard-page:${w.query}:${minGroup}`, w, {
    version: () => dashboardVersion(db),
    // a preset window moves with the minute: the same key, a new input
    inputKey: (x) => `${x.fromMs}|${x.toMs}`,
    compute: (x) => (worker ? worker.run<{ value: string; version: string }>({ kind: 'dashboard-page', ask: ask(x) }) : renderDashboardBody(db, ask(x))),
    staleForMs: worker ? STALE_FOR_MS : 0,
    // and recounted at most every HALLWAY_DASHBOARD_RECOUNT_SECONDS (5) while served stale: under a
    // stream of exposures (every read is one) each window would otherwise be recounted back to back
    // on the worker, taking the CPU that requests need; the page says when its figures are from
    refreshEveryMs: worker ? ctx.config.dashboardRecountSeconds * 1000 : 0,
    sizeOf: (html) => html.length,
  });
  return raw(made.value);
}

/**
 * Works out and keeps every preset window's dashboard for the read models as they are (serve's
 * start calls it once they have caught up, before it says it is ready), so the first leader to
 * open the dashboard after a start or a rebuild does not wait for the edge log to load and the
 * figures to be counted. One window a turn of the event loop.
 */
export async function prepareDashboards(ctx: AppContext): Promise<void> {
  for (const preset of PRESETS) {
    await dashboardPart(ctx, resolveWindow({ window: preset }, dashboardWindowEnd(ctx)));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** What one story's spread page shows; undefined for a story not told, retracted or awaiting review. */
interface DashboardStory {
  title: string;
  figures: SpreadFigures;
  nodes: CascadeNode[];
  groups: ReturnType<typeof departmentGroups>;
}

function dashboardStoryNow(ctx: AppContext, id: string): DashboardStory | undefined {
  const db = ctx.runtime.db;
  const story = spreadStory(db, id);
  const figures = storyFigures(db, id);
  if (!story || !figures || story.retracted || story.awaiting) return undefined;
  return { title: story.title, figures, nodes: storyNodes(db, id), groups: departmentGroups(db, ctx.config.minGroup) };
}

/** The same, as of a date whose cut is a prefix of the log: the live read models cut there (src/asof/cut.ts). */
async function dashboardStoryAtCut(ctx: AppContext, cut: Cut, id: string): Promise<DashboardStory | undefined> {
  const db = ctx.runtime.db;
  const story = await storyAtCut(db, ctx.store, cut, id);
  if (!story || story.retracted || story.awaiting) return undefined;
  const org = await orgAtCut(db, ctx.store, cut);
  const nodes = nodesAtCut(db, cut, id);
  return { title: story.title, figures: figuresAtCut(db, cut, id, story.t0Ms, nodes, org), nodes, groups: groupsAtCut(org, ctx.config.minGroup) };
}

/** One story's spread page, rendered: its title's length, a colon, its title and its HTML ('' for no such story: one string, so kept.ts counts it). */
async function storyPage(s: DashboardStory | undefined, backQuery: string): Promise<string> {
  if (!s) return '';
  const names = new Map(s.groups.groups.map((g) => [g.id, g.name]));
  const groupName = (d: string): string => names.get(s.groups.groupOf(d)) ?? SMALLER_NAME;
  const html = String(await (<DashboardStoryPage title={s.title} figures={s.figures} nodes={s.nodes} groupName={groupName} backQuery={backQuery} />).toString());
  return `${s.title.length}:${s.title}${html}`;
}

/** The leadership dashboard, one story's spread, and the CSV export of the dashboard's tables (leader role; see access.ts). */
export function dashboardRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // an API token speaks for a leader on /api only, never for the pages
  app.use('/dashboard/*', async (c, next) => (c.get('user')?.via === 'token' ? c.text('API tokens are for /api only', 403) : next()));
  app.use('/dashboard', async (c, next) => (c.get('user')?.via === 'token' ? c.text('API tokens are for /api only', 403) : next()));

  /**
   * Windows end at the next whole minute: the figures of "the last 30 days" are then the same for a
   * minute (unless an event comes in), so they are worked out once and kept (src/read/kept.ts)
   * instead of once per request. Nothing recorded is left out: the end is never before now.
   */
  const windowEnd = (): Date => dashboardWindowEnd(ctx);

  const parseWindow = (query: Record<string, string>): { ok: true; w: ResolvedWindow } | { ok: false; errors: Record<string, string> } => {
    const r = WindowQuery.safeParse({ window: query['window'] || undefined, from: query['from'], to: query['to'] });
    if (r.success) return { ok: true, w: resolveWindow(r.data, windowEnd()) };
    const errors: Record<string, string> = {};
    for (const i of r.error.issues) errors[String(i.path[0] ?? 'window')] ??= i.message;
    return { ok: false, errors };
  };

  app.get('/dashboard', async (c) => {
    const p = parseWindow(c.req.query());
    if (!p.ok) {
      c.status(422);
      return c.render(
        <div class="dashboard">
          <h1>How stories travel</h1>
          <p class="error" role="alert">The window is not valid; correct the field marked below.</p>
          <WindowForm w={resolveWindow({}, ctx.clock())} errors={p.errors} />
        </div>,
        { title: 'Dashboard' },
      );
    }
    const part = await dashboardPart(ctx, p.w);
    return c.render(part, { title: 'Dashboard' });
  });

  app.get('/dashboard/stories/:id', async (c) => {
    const id = c.req.param('id');
    const p = parseWindow(c.req.query());
    const backQuery = p.ok ? p.w.query : '';
    const cut = ctx.asOfCut;
    // as of a date read at its cut: the page is the same until the live read models move on, so it
    // is kept under their position (src/read/kept.ts's bounds: 16 values, 4M characters per connection)
    const page = cut
      ? await keptUntilChangeAsync(ctx.runtime.db, `dashboard-story-at-cut:${cut.cutoffMs}:${id}:${ctx.config.minGroup}:${backQuery}`, () => String(ctx.asOfCut?.factsPosition), async () =>
          storyPage(await dashboardStoryAtCut(ctx, cut, id), backQuery))
      : await storyPage(dashboardStoryNow(ctx, id), backQuery);
    if (!page) return c.text('No such story', 404);
    const colon = page.indexOf(':');
    const end = colon + 1 + Number(page.slice(0, colon));
    return c.render(raw(page.slice(end)), { title: `Spread of ${page.slice(colon + 1, end)}` });
  });

  app.get('/dashboard/export.csv', async (c) => {
    const exportId = ctx.newId();
    const table = c.req.query('table') ?? 'stories';
    const p = parseWindow(c.req.query());
    if (!p.ok || !(TABLES as readonly string[]).includes(table)) {
      return c.text(`Bad request: ${!p.ok ? Object.values(p.errors).join('; ') : `table must be one of ${TABLES.join(', ')}`}`, 422);
    }
    // counted on the projection worker when there is one (it holds the edge log)
    const worker = ctx.asOf ? undefined : workerOf(ctx.runtime);
    const cut = ctx.asOfCut;
    const d = cut
      ? await dashboardAtCut(ctx.runtime.db, ctx.store, cut, p.w, ctx.config.minGroup, 1000)
      : worker
      ? await worker.run<Dashboard>({ kind: 'dashboard-figures', w: p.w, minGroup: ctx.config.minGroup, limit: 1000 })
      : dashboardFigures(ctx.runtime.db, p.w, ctx.config.minGroup, 1000);
    const name = new Map(d.groups.map((g) => [g.id, g.name]));
    let body: string;
    if (table === 'stories') {
      body = csvOf(
        ['storyId', 'title', 'peopleReached', 'touches', 'departmentsNewlyReached', 'structuralVirality', 'sizeBucket', 'bucketMedianVirality'],
        d.stories.map((s) => [s.storyId, s.title, s.added, s.touches, s.newDepartments, s.virality, s.bucket, s.bucketMedian]),
      );
    } else if (table === 'flows') {
      body = csvOf(['from', 'to', 'count'], d.flows.map((f) => [name.get(f.from) ?? f.from, name.get(f.to) ?? f.to, f.count]));
    } else if (table === 'departments') {
      body = csvOf(
        ['department', 'storiesTold', 'receivedFromOthers', 'passedToOthers', 'eiIndex', 'quietCorner'],
        d.departments.map((x) => [x.name, x.told, x.received, x.passedOn, x.eiIndex, x.quiet ? 'yes' : 'no']),
      );
    } else {
      body = csvOf(['theme', 'storiesTold', 'peopleReached'], d.themes.map((t) => [t.name, t.told, t.nodesAdded]));
    }
    // the download is recorded for the admins' audit trail (who took which figures out, and when:
    // the figures of the archive as it stood on a date are taken out now, not on that date)
    const asOf = ctx.asOf ? `, as it stood on ${ctx.asOf.date}` : '';
    await commit(ctx.asOf ? { ...ctx, clock: ctx.asOf.recordClock } : ctx, c.get('user')!.employeeId, [
      { stream: `export-${exportId}`, events: [{ type: 'DataExported', data: { exportId, what: 'dashboard-csv', detail: `${table} table, ${p.w.label}${asOf}`.slice(0, 200) } }], expectedRevision: 'no_stream' },
    ]);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="hallway-${table}.csv"`);
    return c.body(body);
  });

  return app;
}
