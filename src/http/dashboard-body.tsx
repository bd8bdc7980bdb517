import type { Views } from '../projections/runtime.ts';
import { dashboard, departmentGroupsKept } from '../projections/spread-dashboard.ts';
import type { Dashboard } from '../projections/spread-dashboard.ts';
import { latestSpreadAt, storyArrivals } from '../read/spread.ts';
import { dashboardVersion } from '../read/edge-log.ts';
import { firstArrivals, headlines, windowPhrase } from '../spread/headlines.ts';
import type { ResolvedWindow } from '../spread/window.ts';
import { DashboardPage } from '../../views/pages/dashboard.tsx';

/**
 * The dashboard's body for a window, worked out from the read models of one views connection: in
 * `serve`, on the projection worker's (src/projections/worker.ts), so the thread that answers
 * requests never counts or renders it; in tests and on dated pages, on the caller's. A pure
 * function of the read models, the window and the time it was asked at, and it says which version
 * of them it read (dashboardVersion), so what is kept can be compared with what is there now.
 */

/** How many dashboard bodies were worked out on this thread (tests: none on serve's serving thread). */
export const dashboardRenders = { count: 0 };

/** What the serving thread asks for (plain values: it crosses to the worker). */
export interface DashboardAsk {
  w: ResolvedWindow;
  minGroup: number;
  /** the app's clock when asked (ms): the page says its figures are as of then; null: say nothing (a dated page) */
  askedAtMs: number | null;
}

export async function renderDashboardBody(db: Views, ask: DashboardAsk): Promise<{ value: string; version: string }> {
  // read before counting: everything below is synchronous, so the figures are of this version
  const version = dashboardVersion(db);
  dashboardRenders.count += 1;
  const d = dashboard(db, ask.w, ask.minGroup);
  const value = await renderDashboardPage(d, ask, { latestSpreadAt: () => latestSpreadAt(db), arrivalsOf: (id) => storyArrivals(db, id), groupOf: departmentGroupsKept(db, ask.minGroup).groupOf });
  return { value, version };
}

/** What the page reads besides the figures: as the read models are now, or as they stood at a cut (src/asof/dashboard-cut.ts). */
export interface DashboardExtras {
  /** when a story last passed from one person to another (null: never) */
  latestSpreadAt: () => number | null;
  /** a story's arrival in each department, in order */
  arrivalsOf: (storyId: string) => { departmentId: string; atMs: number }[];
  groupOf: (departmentId: string) => string;
}

/** The dashboard's body for the figures `d` of the window asked. */
export async function renderDashboardPage(d: Dashboard, ask: DashboardAsk, x: DashboardExtras): Promise<string> {
  const { w, minGroup } = ask;
  // an archive that has been quiet lately (a demo loaded weeks ago): point at its latest activity
  let latest: { from: string; to: string } | undefined;
  if (d.flows.length === 0) {
    const last = x.latestSpreadAt();
    if (last !== null && last !== undefined) latest = { from: new Date(last - 29 * 86_400_000).toISOString().slice(0, 10), to: new Date(last).toISOString().slice(0, 10) };
  }
  const said = d.stories.length ? headlines(d, firstArrivals(x.arrivalsOf, d, w, x.groupOf), windowPhrase(w)) : [];
  const page = <DashboardPage d={d} w={w} minGroup={minGroup} latest={latest} headlines={said} figuresAsOf={ask.askedAtMs ?? undefined} />;
  return String(await page.toString());
}

/** The figures alone (the CSV export), up to `limit` stories. */
export function dashboardFigures(db: Views, w: ResolvedWindow, minGroup: number, limit: number): Dashboard {
  return dashboard(db, w, minGroup, limit);
}
