import type { Views } from '../projections/runtime.ts';
import { dashboard, departmentGroupsKept } from '../projections/spread-dashboard.ts';
import type { Dashboard } from '../projections/spread-dashboard.ts';
import { latestSpreadAt } from '../read/spread.ts';
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
  const { w, minGroup } = ask;
  const d = dashboard(db, w, minGroup);
  // an archive that has been quiet lately (a demo loaded weeks ago): point at its latest activity
  let latest: { from: string; to: string } | undefined;
  if (d.flows.length === 0) {
    const last = latestSpreadAt(db);
    if (last !== null && last !== undefined) latest = { from: new Date(last - 29 * 86_400_000).toISOString().slice(0, 10), to: new Date(last).toISOString().slice(0, 10) };
  }
  const said = d.stories.length ? headlines(d, firstArrivals(db, d, w, departmentGroupsKept(db, minGroup).groupOf), windowPhrase(w)) : [];
  const page = <DashboardPage d={d} w={w} minGroup={minGroup} latest={latest} headlines={said} figuresAsOf={ask.askedAtMs ?? undefined} />;
  return { value: String(await page.toString()), version };
}

/** The figures alone (the CSV export), up to `limit` stories. */
export function dashboardFigures(db: Views, w: ResolvedWindow, minGroup: number, limit: number): Dashboard {
  return dashboard(db, w, minGroup, limit);
}
