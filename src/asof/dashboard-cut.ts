import { upcast } from '../../events/catalogue.ts';
import { preparedPer } from '../projections/prepared.ts';
import type { Views } from '../projections/runtime.ts';
import { count, dashboardFrom, newTally } from '../projections/spread-dashboard.ts';
import type { Dashboard, DashboardSource, Settled, StoryInWindow, StoryState, Window } from '../projections/spread-dashboard.ts';
import type { StoryRow } from '../read/spread.ts';
import { edgesInWindow } from '../read/edge-log.ts';
import { sizeBucket } from '../spread/figures.ts';
import type { EventStore } from '../store/port.ts';
import { groupsAtCut, inCut, orgAtCut } from './cut.ts';
import { keepRecent } from '../read/recently-used.ts';
import type { Cut, OrgAtCut } from './cut.ts';
import type { DashboardExtras } from '../http/dashboard-body.tsx';

/**
 * The leadership dashboard (every window, and its CSV tables) as of a date whose cut is a prefix of
 * the log, read from the live read models, without building the date.
 *
 * For such a cut, "recorded before the cutoff" and "before the first event left out" (`firstOut`,
 * a log position) are the same events, so what the spread model keeps with its time (`at_ms`: the
 * cascade's edges, in the edge log; touches; a story's arrival in each department; when it was
 * told) is cut by time, and what it keeps only as it stands now is read as it stood from what the
 * model keeps of it by log position (src/projections/spread.ts):
 * - a story's title: the last `spread_story_titles` row before `firstOut`;
 * - its size and virality: the last `spread_growth` row before it (none: the teller alone, size 1,
 *   virality 0), and the size buckets' median viralities over every story told before the cutoff;
 * - retracted, awaiting review: `retracted_pos`, `held` and `approved_pos` against `firstOut`;
 * - its themes: `spread_story_theme_log` folded up to `firstOut`;
 * - the departments, people and themes: folded from their own streams up to `firstOut`
 *   (src/asof/cut.ts for the org; the themes' streams here).
 * The figures are then put together by the dashboard's own code (dashboardFrom), so the page is
 * the one a rebuild of the truncated log shows (test/http/as-of.test.ts compares them on random logs).
 *
 * What is kept, per reading connection: for CUTS_KEPT (4) cuts, the org and themes then, the
 * story-theme pairs then and the median per size bucket (about 100 bytes a story-theme pair: a few
 * MB at 20,000 stories), and the FIGURES_KEPT (4) figure sets last asked (at most 1,000 stories each,
 * with their curves: about 2 MB); the rendered pages are kept by src/read/kept.ts (16 values, 4M
 * characters per connection). The edge log is held in memory on the reading connection (src/read/edge-log.ts:
 * 16 bytes an edge, 32 MB at two million exposures), as the projection worker holds it for today's
 * dashboard.
 */

const statements = preparedPer((db: Views) => ({
  slots: db.prepare<[], number>('SELECT coalesce(max(rowid), 0) + 1 FROM spread_stories').pluck(),
  numbers: db.prepare<[], [number, string]>('SELECT no, department_id FROM spread_department_numbers').raw(),
  themeNumbers: db.prepare<[], [number, string]>('SELECT no, theme_id FROM spread_theme_numbers').raw(),
  themes: db.prepare<[], string>('SELECT theme_id FROM spread_themes').pluck(),
  themeLog: db.prepare<[number], [string, string, number | null, number]>('SELECT story_id, theme_id, pair, added FROM spread_story_theme_log WHERE position < ? ORDER BY position').raw(),
  byNo: db.prepare<[number], { story_id: string; retracted_pos: number | null; held: number; approved_pos: number | null }>(
    'SELECT story_id, retracted_pos, held, approved_pos FROM spread_stories WHERE rowid = ?',
  ),
  story: db.prepare<[string], StoryRow>('SELECT rowid AS story_no, * FROM spread_stories WHERE story_id = ?'),
  title: db.prepare<[string, number], string>('SELECT title FROM spread_story_titles WHERE story_id = ? AND position < ? ORDER BY position DESC LIMIT 1').pluck(),
  growth: db.prepare<[number, number], { size: number; virality: number }>('SELECT size, virality FROM spread_growth WHERE story_no = ? AND position < ? ORDER BY position DESC LIMIT 1'),
  told: db.prepare<[number], [number, string]>('SELECT rowid, story_id FROM spread_stories WHERE t0_ms < ?').raw(),
  touches: db.prepare<[string, number, number], number>('SELECT count(*) FROM spread_touches WHERE story_id = ? AND at_ms >= ? AND at_ms < ?').pluck(),
  arrivals: db.prepare<[string, number], { department_id: string; at_ms: number }>('SELECT department_id, at_ms FROM spread_arrivals WHERE story_id = ? AND at_ms < ? ORDER BY at_ms, department_id'),
  toldByGroup: db.prepare<[number, number, number], { d: string; n: number }>(
    'SELECT department_id AS d, count(*) AS n FROM spread_stories WHERE t0_ms >= ? AND t0_ms < ? AND NOT (held = 1 AND (approved_pos IS NULL OR approved_pos >= ?)) GROUP BY d',
  ),
  toldIds: db.prepare<[number, number, number], string>(
    'SELECT story_id FROM spread_stories WHERE t0_ms >= ? AND t0_ms < ? AND NOT (held = 1 AND (approved_pos IS NULL OR approved_pos >= ?))',
  ).pluck(),
  latestEdge: db.prepare<[number], number | null>('SELECT max(at_ms) FROM spread_nodes WHERE edge IS NOT NULL AND at_ms < ?').pluck(),
}));

/** What a cut's dashboards share (see above), worked out once per cut. */
interface AtCut {
  org: OrgAtCut;
  /** themes defined before the cut, as the spread model's rows stood (their order: by name, as the dashboard sorts them) */
  themeNames: { theme_id: string; name: string }[];
  /** story-theme pairs then: story id, theme id, packed pair */
  pairs: [string, string, number | null][];
  /** median virality per size bucket, over the stories told before the cutoff (filled on first use) */
  medians?: Map<number, number | null>;
  key: string;
}
/**
 * Kept per reading connection and cut, by the cutoff and the first event left out: what they hold
 * is made of the events before it alone, so it stays right as the log grows past it (a CSV download
 * appends an event, and the next request's cut is a new one at the same place). At most CUTS_KEPT.
 */
const kept = new WeakMap<Views, { cuts: Map<string, Promise<AtCut>>; figures: Map<string, Dashboard> }>();
const CUTS_KEPT = 4;
/** figure sets (the CSV's: up to 1,000 stories, each with its curve) kept per reading connection, least recently used out */
const FIGURES_KEPT = 4;

function keptOf(db: Views): { cuts: Map<string, Promise<AtCut>>; figures: Map<string, Dashboard> } {
  let k = kept.get(db);
  if (!k) kept.set(db, (k = { cuts: new Map(), figures: new Map() }));
  return k;
}

/** The position every event of the cut is before. */
const endOf = (cut: Cut): number => (Number.isFinite(cut.firstOut) ? cut.firstOut : Number.MAX_SAFE_INTEGER);

/** SQLite's NOCASE: ASCII letters folded, nothing else. */
const nocase = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

async function themesAtCut(db: Views, store: EventStore, cut: Cut): Promise<{ theme_id: string; name: string }[]> {
  const out: { theme_id: string; name: string }[] = [];
  // rows in the model's order; ThemeDefined inserts a theme or renames it (spread's defineTheme)
  for (const id of statements(db).themes.all()) {
    let name: string | undefined;
    for (const e of await store.readStream(`theme-${id}`)) {
      if (!inCut(e, cut) || e.type !== 'ThemeDefined') continue;
      name = (upcast(e.type, e.data, e.metadata.v ?? 1) as { name: string }).name;
    }
    if (name !== undefined) out.push({ theme_id: id, name });
  }
  // ORDER BY name COLLATE NOCASE, ties in row order
  return out.map((t, i) => ({ t, i, k: nocase(t.name) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i)).map((x) => x.t);
}

function pairsAtCut(db: Views, cut: Cut): [string, string, number | null][] {
  const now = new Map<string, [string, string, number | null]>();
  for (const [storyId, themeId, pair, added] of statements(db).themeLog.iterate(endOf(cut))) {
    const key = `${storyId}\u0000${themeId}`;
    if (added) now.set(key, [storyId, themeId, pair]);
    else now.delete(key);
  }
  return [...now.values()];
}

function atCut(db: Views, store: EventStore, cut: Cut): Promise<AtCut> {
  const byCut = keptOf(db).cuts;
  // (no event left out yet: only right at this position)
  const key = `${cut.cutoffMs}|${Number.isFinite(cut.firstOut) ? cut.firstOut : `none|${cut.factsPosition}`}`;
  let x = byCut.get(key);
  if (!x) {
    x = (async () => ({ org: await orgAtCut(db, store, cut), themeNames: await themesAtCut(db, store, cut), pairs: pairsAtCut(db, cut), key }))();
    x.catch(() => byCut.delete(key));
  }
  keepRecent(byCut, key, x, CUTS_KEPT);
  return x;
}

/** The median virality of each size bucket then: every story told before the cutoff, at its size and virality then. */
function mediansAtCut(db: Views, cut: Cut): Map<number, number | null> {
  const q = statements(db);
  const P = endOf(cut);
  const byBucket = new Map<number, number[]>();
  for (const [no] of q.told.iterate(cut.cutoffMs)) {
    const g = q.growth.get(no, P);
    const b = sizeBucket(g?.size ?? 1);
    let vs = byBucket.get(b);
    if (!vs) byBucket.set(b, (vs = []));
    vs.push(g?.virality ?? 0);
  }
  const medians = new Map<number, number | null>();
  for (const [b, vs] of byBucket) {
    vs.sort((a, z) => a - z);
    const n = vs.length;
    medians.set(b, n % 2 ? vs[n >> 1]! : (vs[(n >> 1) - 1]! + vs[n >> 1]!) / 2);
  }
  return medians;
}

/** The dashboard's source at the cut (see DashboardSource). */
function sourceAtCut(db: Views, cut: Cut, x: AtCut): DashboardSource {
  const q = statements(db);
  const P = endOf(cut);
  const C = cut.cutoffMs;
  const awaitingThen = (held: number, approvedPos: number | null): number => (held === 1 && (approvedPos === null || approvedPos >= P) ? 1 : 0);
  const stateOf = (r: { story_id: string; retracted_pos: number | null; held: number; approved_pos: number | null }): StoryState => ({
    story_id: r.story_id,
    retracted: r.retracted_pos !== null && r.retracted_pos < P ? 1 : 0,
    awaiting: awaitingThen(r.held, r.approved_pos),
  });
  return {
    settled(from, to, minGroup): Settled {
      const end = Math.min(to, C);
      const { groups, groupOf } = groupsAtCut(x.org, minGroup);
      const toldByGroup = new Map<string, number>();
      for (const r of q.toldByGroup.all(from, end, P)) {
        const g = groupOf(r.d);
        toldByGroup.set(g, (toldByGroup.get(g) ?? 0) + r.n);
      }
      const told = new Set(q.toldIds.all(from, end, P));
      const toldByTheme = new Map<string, number>();
      for (const [storyId, themeId] of x.pairs) if (told.has(storyId)) toldByTheme.set(themeId, (toldByTheme.get(themeId) ?? 0) + 1);
      const themeIdOf: string[] = [];
      for (const [no, id] of q.themeNumbers.all()) themeIdOf[no] = id;
      const storyThemePairs: number[] = [];
      for (const [, , pair] of x.pairs) if (pair !== null) storyThemePairs.push(pair);
      return { groups, groupOf, toldByGroup, themeNames: x.themeNames, toldByTheme, themeIdOf, storyThemePairs };
    },
    departmentNumbers: () => q.numbers.all(),
    tally(from, to, K, groupOfNo) {
      // a fresh count of the edges then: the edge log holds them in log order, cut by time
      const t = newTally(K, groupOfNo, q.slots.get()!);
      edgesInWindow(db, from, Math.min(to, C), (s, f, g) => count(t, s, f, g));
      return t;
    },
    storyByNo(no) {
      const r = q.byNo.get(no);
      return r && stateOf(r);
    },
    story(storyId) {
      const s = q.story.get(storyId);
      if (!s || !(s.t0_ms < C)) return undefined;
      const g = q.growth.get(s.story_no, P);
      const size = g?.size ?? 1;
      const state = stateOf(s);
      return {
        ...s, ...state,
        title: q.title.get(storyId, P) ?? s.title,
        size, bucket: sizeBucket(size), virality: g?.virality ?? 0,
        touches: q.touches.get(storyId, Number.MIN_SAFE_INTEGER, C)!,
      };
    },
    bucketMedian(size) {
      x.medians ??= mediansAtCut(db, cut);
      return x.medians.get(sizeBucket(size)) ?? null;
    },
    storyInWindow(s, from, to): StoryInWindow {
      const end = Math.min(to, C);
      const arr = q.arrivals.all(s.story_id, C);
      return {
        touches: q.touches.get(s.story_id, from, end)!,
        newDepartments: arr.filter((a) => a.at_ms >= from && a.at_ms < end && a.department_id !== s.department_id).length,
        curve: arr.map((a, i) => ({ days: Math.max(0, (a.at_ms - s.t0_ms) / 86_400_000), reached: i + 1 })),
      };
    },
  };
}

/** The dashboard's figures for window `w` as they stood at the cut (up to `limit` stories). */
export async function dashboardAtCut(db: Views, store: EventStore, cut: Cut, w: Window, minGroup: number, limit: number): Promise<Dashboard> {
  const x = await atCut(db, store, cut);
  const figures = keptOf(db).figures;
  const key = `${x.key}|${w.fromMs}|${w.toMs}|${minGroup}|${limit}`;
  const d = figures.get(key) ?? dashboardFrom(sourceAtCut(db, cut, x), w, minGroup, limit);
  keepRecent(figures, key, d, FIGURES_KEPT);
  return d;
}

/** What the page reads besides the figures, as it stood at the cut. */
export async function dashboardExtrasAtCut(db: Views, store: EventStore, cut: Cut, minGroup: number): Promise<DashboardExtras> {
  const x = await atCut(db, store, cut);
  const q = statements(db);
  return {
    latestSpreadAt: () => q.latestEdge.get(cut.cutoffMs) ?? null,
    arrivalsOf: (id) => q.arrivals.all(id, cut.cutoffMs).map((a) => ({ departmentId: a.department_id, atMs: a.at_ms })),
    groupOf: groupsAtCut(x.org, minGroup).groupOf,
  };
}
