import type Database from 'better-sqlite3';
import type { Views } from './runtime.ts';
import { spreadStory } from '../read/spread.ts';
import type { StoryRow } from '../read/spread.ts';
import { bucketLabel, sizeBucket } from '../spread/figures.ts';
import { pairStory, pairTheme, STORY_LIMIT } from '../spread/edge-code.ts';
import { edgesInWindow, edgesInWindowFromNodes, orgAndStoriesVersion } from '../read/edge-log.ts';
import type { EdgeMark } from '../read/edge-log.ts';

/**
 * The leadership dashboard's figures (SPREAD.md, "Organisation figures") for a window of recorded
 * time [from, to), read from the spread projection. Departments with fewer than `minGroup`
 * employees are folded into one group, "Smaller departments", before anything is counted, so no
 * row or cell describes a handful of people. Nothing here carries a person's id or name.
 */

export const SMALLER = 'smaller-departments';
export const SMALLER_NAME = 'Smaller departments';

export interface Window {
  fromMs: number | null;
  toMs: number;
}

export interface Group {
  id: string;
  name: string;
  employees: number;
}
export interface CirculatingStory {
  storyId: string;
  title: string;
  size: number;
  added: number;
  touches: number;
  newDepartments: number;
  virality: number;
  bucket: string;
  bucketMedian: number | null;
  /** departments reached against days since told, a step per arrival */
  curve: { days: number; reached: number }[];
}
export interface DepartmentRow {
  id: string;
  name: string;
  told: number;
  received: number;
  passedOn: number;
  eiIndex: number | null;
  quiet: boolean;
}
export interface ThemeRow {
  themeId: string;
  name: string;
  told: number;
  nodesAdded: number;
}
export interface Dashboard {
  groups: Group[];
  stories: CirculatingStory[];
  flows: { from: string; to: string; count: number }[];
  departments: DepartmentRow[];
  themes: ThemeRow[];
}

const MIN = Number.MIN_SAFE_INTEGER;

/** Statements prepared once per database (preparing a dozen per page costs milliseconds). */
const prepared = new WeakMap<Views, Map<string, ReturnType<Views['prepare']>>>();
function sql<P extends unknown[], R>(db: Views, text: string) {
  let m = prepared.get(db);
  if (!m) prepared.set(db, (m = new Map()));
  let st = m.get(text);
  if (!st) m.set(text, (st = db.prepare(text)));
  return st as unknown as Database.Statement<P, R>;
}
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Department id -> the group it is shown in (itself, or the folded group). */
export function departmentGroups(db: Views, minGroup: number): { groups: Group[]; groupOf: (departmentId: string) => string } {
  const depts = sql<[], { department_id: string; name: string; open: number }>(db, 'SELECT department_id, name, open FROM spread_departments').all();
  const counts = new Map(
    sql<[], { department_id: string; n: number }>(db, 'SELECT department_id, count(*) AS n FROM spread_people WHERE active = 1 GROUP BY department_id').all().map((r) => [r.department_id, r.n]),
  );
  return groupsOf(depts, counts, minGroup);
}

/** The groups of departments (rows as spread_departments holds them) with `counts` active employees each. */
export function groupsOf(
  depts: readonly { department_id: string; name: string; open: number }[],
  counts: ReadonlyMap<string, number>,
  minGroup: number,
): { groups: Group[]; groupOf: (departmentId: string) => string } {
  const shown = new Map<string, Group>();
  let smaller = 0;
  let anySmallOpen = false;
  for (const d of depts) {
    const n = counts.get(d.department_id) ?? 0;
    if (n >= minGroup) shown.set(d.department_id, { id: d.department_id, name: d.name, employees: n });
    else {
      smaller += n;
      if (d.open) anySmallOpen = true;
    }
  }
  const groups = [...shown.values()].sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()) || cmp(a.id, b.id));
  if (anySmallOpen || smaller > 0) groups.push({ id: SMALLER, name: SMALLER_NAME, employees: smaller });
  return { groups, groupOf: (id) => (shown.has(id) ? id : SMALLER) };
}

/**
 * The median virality of the stories in a size bucket (read along the (bucket, virality) index;
 * the projection keeps every story's virality up to date, so nothing is computed or written here).
 */
function bucketMedian(db: Views, size: number): number | null {
  const b = sizeBucket(size);
  const n = sql<[number], { n: number }>(db, 'SELECT count(*) AS n FROM spread_stories WHERE bucket = ?').get(b)!.n;
  if (n === 0) return null;
  const at = sql<[number, number], { v: number }>(db, 'SELECT virality AS v FROM spread_stories WHERE bucket = ? ORDER BY virality LIMIT 1 OFFSET ?');
  const mid = at.get(b, n >> 1)!.v;
  return n % 2 ? mid : (at.get(b, (n >> 1) - 1)!.v + mid) / 2;
}

/**
 * The first `limit` stories that are not retracted or awaiting review, by nodes added (more first), ties by story id.
 * The touched stories are sorted by count as packed numbers (count × STORY_LIMIT + story number: one
 * numeric sort, no objects); only the stories of the counts that can make the cut are looked up, a count at a time.
 */
function rankStories(row: { get: (storyNo: number) => StoryState | undefined }, addedOf: Int32Array, touched: readonly number[], limit: number): [string, number][] {
  const keys = new Float64Array(touched.length);
  for (let i = 0; i < touched.length; i++) keys[i] = addedOf[touched[i]!]! * STORY_LIMIT + touched[i]!;
  keys.sort();
  const out: [string, number][] = [];
  let i = keys.length - 1;
  while (i >= 0 && out.length < limit) {
    const n = Math.floor(keys[i]! / STORY_LIMIT);
    const ids: string[] = [];
    for (; i >= 0 && Math.floor(keys[i]! / STORY_LIMIT) === n; i--) {
      const r = row.get(keys[i]! % STORY_LIMIT);
      if (r && !r.retracted && !r.awaiting) ids.push(r.story_id);
    }
    ids.sort(cmp);
    for (const id of ids.slice(0, limit - out.length)) out.push([id, n]);
  }
  return out;
}

/**
 * A circulating story's touches and departments newly reached in a window, and its curve: kept per
 * views connection under the story's touches and size (every exposure adds a touch, every new node
 * a person), so while events come in for one story the others' rows are not read again.
 */
const storyRowsKept = new WeakMap<Views, Map<string, Pick<CirculatingStory, 'touches' | 'newDepartments' | 'curve'>>>();
const STORY_ROWS_KEPT = 2000;

export type StoryInWindow = Pick<CirculatingStory, 'touches' | 'newDepartments' | 'curve'>;

function storyInWindow(db: Views, s: StoryRow, from: number, to: number): StoryInWindow {
  let kept = storyRowsKept.get(db);
  if (!kept) storyRowsKept.set(db, (kept = new Map()));
  const key = `${s.story_no}|${s.story_id}|${s.touches}|${s.size}|${s.department_id}|${from}|${to}`;
  let x = kept.get(key);
  if (x === undefined) {
    const arr = sql<[string], { department_id: string; at_ms: number }>(db, 'SELECT department_id, at_ms FROM spread_arrivals WHERE story_id = ? ORDER BY at_ms, department_id').all(s.story_id);
    // a window that holds all of a story's touches (all time, above all) has them all: no need to count
    // (two statements: SQLite reads one end of the index for a lone min() or max(), not for both)
    const first = sql<[string], number | null>(db, 'SELECT min(at_ms) FROM spread_touches WHERE story_id = ?').pluck().get(s.story_id) ?? null;
    const last = sql<[string], number | null>(db, 'SELECT max(at_ms) FROM spread_touches WHERE story_id = ?').pluck().get(s.story_id) ?? null;
    const all = first === null || last === null || (from <= first && last < to);
    const touches = all ? s.touches : sql<[string, number, number], number>(db, 'SELECT count(*) FROM spread_touches WHERE story_id = ? AND at_ms >= ? AND at_ms < ?').pluck().get(s.story_id, from, to)!;
    x = {
      touches,
      newDepartments: arr.filter((a) => a.at_ms >= from && a.at_ms < to && a.department_id !== s.department_id).length,
      curve: arr.map((a, i) => ({ days: Math.max(0, (a.at_ms - s.t0_ms) / 86_400_000), reached: i + 1 })),
    };
    if (kept.size >= STORY_ROWS_KEPT) kept.clear();
    kept.set(key, x);
  }
  return x;
}

/**
 * What one pass over a window's edges gives: the flow matrix (groups K × K), nodes added per story
 * (story numbers are the spread model's row ids), the stories each group received from and passed
 * to other groups (marks per (story, group): distinct counts without sets or sorting).
 */
export interface Tally {
  K: number;
  groupOfNo: Int32Array;
  counts: Float64Array;
  storySlots: number;
  addedOf: Int32Array;
  touched: number[];
  /** one bit per (story, group): the story reached / left the group across a border (bits, not bytes: at 20,000 stories and 50 groups a byte each made 2 MB a tally) */
  intoMarks: Uint8Array;
  outOfMarks: Uint8Array;
  received: number[];
  passed: number[];
  /** an edge from or to a department numbered after groupOfNo was read: this tally is not kept */
  unknownDepartment: boolean;
  /** the latest time among the edges counted */
  latest: number;
  mark?: EdgeMark;
}

const marksBytes = (storySlots: number, K: number): number => Math.ceil((storySlots * K) / 8);

export function newTally(K: number, groupOfNo: Int32Array, storySlots: number): Tally {
  return {
    K, groupOfNo, counts: new Float64Array(K * K), storySlots, addedOf: new Int32Array(storySlots), touched: [],
    intoMarks: new Uint8Array(marksBytes(storySlots, K)), outOfMarks: new Uint8Array(marksBytes(storySlots, K)),
    received: new Array<number>(K).fill(0), passed: new Array<number>(K).fill(0), unknownDepartment: false, latest: Number.NEGATIVE_INFINITY,
  };
}

export function count(x: Tally, storyNo: number, fromNo: number, toNo: number): void {
  const K = x.K;
  if (storyNo >= x.storySlots) {
    // a story numbered after the arrays were sized
    const more = Math.max(storyNo + 1, x.storySlots * 2);
    const a = new Int32Array(more);
    a.set(x.addedOf);
    const i = new Uint8Array(marksBytes(more, K));
    i.set(x.intoMarks);
    const o = new Uint8Array(marksBytes(more, K));
    o.set(x.outOfMarks);
    Object.assign(x, { addedOf: a, intoMarks: i, outOfMarks: o, storySlots: more });
  }
  const was = x.addedOf[storyNo]!;
  x.addedOf[storyNo] = was + 1;
  if (was === 0) x.touched.push(storyNo);
  const f = x.groupOfNo[fromNo];
  const t = x.groupOfNo[toNo];
  if (f === undefined || t === undefined) {
    x.unknownDepartment = true;
    return;
  }
  x.counts[f * K + t]! += 1;
  // a crossing between shown departments (two small ones folded together do not cross)
  if (f !== t) {
    const into = storyNo * K + t;
    if (!(x.intoMarks[into >> 3]! & (1 << (into & 7)))) {
      x.intoMarks[into >> 3]! |= 1 << (into & 7);
      x.received[t]! += 1;
    }
    const outOf = storyNo * K + f;
    if (!(x.outOfMarks[outOf >> 3]! & (1 << (outOf & 7)))) {
      x.outOfMarks[outOf >> 3]! |= 1 << (outOf & 7);
      x.passed[f]! += 1;
    }
  }
}

/**
 * Each window's tally, kept per views connection and topped up with the edges appended to the edge
 * log since (new events add to a window's figures; none is taken away, the log being append-only),
 * so an event costs the dashboard its own edges, not a pass over the window. A tally is keyed by
 * the window and the grouping of departments (folding changes with headcounts); windows move each
 * minute, so a few are kept and the oldest dropped.
 */
const tallies = new WeakMap<Views, Map<string, Tally>>();
const TALLIES_KEPT = 8;

/** Where the window's edges come from: the edge log in memory (kept and topped up), or the spread model's nodes (the from-scratch reference, nothing kept). */
export type EdgeSourceName = 'edge-log' | 'nodes';

function windowTally(db: Views, from: number, to: number, K: number, groupOfNo: Int32Array, source: EdgeSourceName): Tally {
  const slots = sql<[], number>(db, 'SELECT coalesce(max(rowid), 0) + 1 FROM spread_stories').pluck().get()!;
  if (source === 'nodes') {
    const x = newTally(K, groupOfNo, slots);
    edgesInWindowFromNodes(db, from, to, (s, f, t) => count(x, s, f, t));
    return x;
  }
  let kept = tallies.get(db);
  if (!kept) tallies.set(db, (kept = new Map()));
  const topUp = (key: string, end: number): Tally => {
    let x = kept.get(key) ?? newTally(K, groupOfNo, slots);
    const visit = (y: Tally) => (s: number, f: number, t: number, at: number) => {
      count(y, s, f, t);
      if (at > y.latest) y.latest = at;
    };
    let r = edgesInWindow(db, from, end, visit(x), x.mark);
    if (r.restarted) {
      // the edge log was rebuilt: count again from its start
      x = newTally(K, groupOfNo, slots);
      r = edgesInWindow(db, from, end, visit(x));
    }
    x.mark = r.mark;
    kept.delete(key);
    if (!x.unknownDepartment) {
      if (kept.size >= TALLIES_KEPT) kept.delete(kept.keys().next().value!);
      kept.set(key, x);
    }
    return x;
  };
  const groupsKey = `${K}|${groupOfNo.join(',')}`;
  // while every edge is before the window's end, the window is the same as one without an end, whose
  // tally serves the next minutes' windows too (all time, above all, is then counted once)
  const open = topUp(`${from}|open|${groupsKey}`, Number.POSITIVE_INFINITY);
  if (open.latest < to) return open;
  return topUp(`${from}|${to}|${groupsKey}`, to);
}

/**
 * The parts of a window's figures that depend on departments, people, themes and stories only, not
 * on exposures: kept per views connection under the counts of the events that change them
 * (src/projections/edge-log.ts), so a stream of reads and hearings does not make them be read again.
 */
export interface Settled {
  groups: readonly Group[];
  groupOf: (departmentId: string) => string;
  toldByGroup: Map<string, number>;
  themeNames: { theme_id: string; name: string }[];
  toldByTheme: Map<string, number>;
  themeIdOf: string[];
  storyThemePairs: number[];
}
const settledKept = new WeakMap<Views, Map<string, Settled>>();

const groupsKept = new WeakMap<Views, { key: string; value: ReturnType<typeof departmentGroups> }>();

/** departmentGroups, kept until departments or people change (the headlines ask for it beside the figures). */
export function departmentGroupsKept(db: Views, minGroup: number): ReturnType<typeof departmentGroups> {
  const key = `${orgAndStoriesVersion(db)}|${minGroup}`;
  const k = groupsKept.get(db);
  if (k && k.key === key) return k.value;
  const value = departmentGroups(db, minGroup);
  groupsKept.set(db, { key, value });
  return value;
}

function settledParts(db: Views, from: number, to: number, minGroup: number, source: EdgeSourceName): Settled {
  const work = (): Settled => {
    const { groups, groupOf } = source === 'nodes' ? departmentGroups(db, minGroup) : departmentGroupsKept(db, minGroup);
    const toldByGroup = new Map<string, number>();
    for (const r of sql<[number, number], { d: string; n: number }>(db, 'SELECT department_id AS d, count(*) AS n FROM spread_stories WHERE t0_ms >= ? AND t0_ms < ? AND awaiting = 0 GROUP BY d').all(from, to)) {
      const g = groupOf(r.d);
      toldByGroup.set(g, (toldByGroup.get(g) ?? 0) + r.n);
    }
    const themeNames = sql<[], { theme_id: string; name: string }>(db, 'SELECT theme_id, name FROM spread_themes ORDER BY name COLLATE NOCASE').all();
    const toldByTheme = new Map(
      sql<[number, number], { t: string; n: number }>(db,
        'SELECT st.theme_id AS t, count(*) AS n FROM spread_stories s JOIN spread_story_themes st ON st.story_id = s.story_id WHERE s.t0_ms >= ? AND s.t0_ms < ? AND s.awaiting = 0 GROUP BY st.theme_id',
      ).all(from, to).map((r) => [r.t, r.n]),
    );
    // the story-theme table read as packed numbers: strings cost a microsecond a row here
    const themeIdOf: string[] = [];
    for (const [no, id] of sql<[], [number, string]>(db, 'SELECT no, theme_id FROM spread_theme_numbers').raw().all()) themeIdOf[no] = id;
    const storyThemePairs = sql<[], number>(db, 'SELECT pair FROM spread_story_themes WHERE pair IS NOT NULL').pluck().all();
    return { groups, groupOf, toldByGroup, themeNames, toldByTheme, themeIdOf, storyThemePairs };
  };
  if (source === 'nodes') return work();
  let kept = settledKept.get(db);
  if (!kept) settledKept.set(db, (kept = new Map()));
  // while every story was told before the window's end, the window's end changes nothing here
  const latestTold = sql<[], number | null>(db, 'SELECT max(t0_ms) FROM spread_stories').pluck().get() ?? MIN;
  const key = `${orgAndStoriesVersion(db)}|${minGroup}|${from}|${latestTold < to ? 'open' : to}`;
  let x = kept.get(key);
  if (!x) {
    x = work();
    if (kept.size >= TALLIES_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, x);
  }
  return x;
}

/**
 * The figures for a window. `source` says where the window's edges come from: the edge log kept in
 * memory (the default), or the spread model's nodes (the from-scratch reference the tests compare with).
 */
export function dashboard(db: Views, w: Window, minGroup: number, limit = 20, source: EdgeSourceName = 'edge-log'): Dashboard {
  return dashboardFrom(liveSource(db, source), w, minGroup, limit);
}

/** A story's state the ranking reads (retracted or awaiting review: left out). */
export interface StoryState {
  story_id: string;
  retracted: number;
  awaiting: number;
}

/**
 * What the dashboard's figures are read from: the read models as they are (liveSource), or as they
 * stood at a log position (src/asof/dashboard-cut.ts). The figures are put together from it by
 * dashboardFrom alone, so both give the same page for the same rows.
 */
export interface DashboardSource {
  settled(from: number, to: number, minGroup: number): Settled;
  /** spread_department_numbers: number, department id */
  departmentNumbers(): [number, string][];
  tally(from: number, to: number, K: number, groupOfNo: Int32Array): Tally;
  /** a story by its number (the spread model's row id) */
  storyByNo(storyNo: number): StoryState | undefined;
  story(storyId: string): StoryRow | undefined;
  bucketMedian(size: number): number | null;
  storyInWindow(s: StoryRow, from: number, to: number): StoryInWindow;
}

export function liveSource(db: Views, source: EdgeSourceName = 'edge-log'): DashboardSource {
  const row = sql<[number], StoryState>(db, 'SELECT story_id, retracted, awaiting FROM spread_stories WHERE rowid = ?');
  return {
    settled: (from, to, minGroup) => settledParts(db, from, to, minGroup, source),
    departmentNumbers: () => sql<[], [number, string]>(db, 'SELECT no, department_id FROM spread_department_numbers').raw().all(),
    tally: (from, to, K, groupOfNo) => windowTally(db, from, to, K, groupOfNo, source),
    storyByNo: (no) => row.get(no),
    story: (id) => spreadStory(db, id),
    bucketMedian: (size) => bucketMedian(db, size),
    storyInWindow: (s, from, to) => storyInWindow(db, s, from, to),
  };
}

/** The figures for a window, from `src` (see DashboardSource). */
export function dashboardFrom(src: DashboardSource, w: Window, minGroup: number, limit = 20): Dashboard {
  const from = w.fromMs ?? MIN;
  const to = w.toMs;
  const settled = src.settled(from, to, minGroup);
  const { groupOf } = settled;
  const groups = [...settled.groups];

  // One pass over the edges added in the window (the edge log held in memory as typed columns,
  // src/read/edge-log.ts; later, only the edges added since) feeds the ranking, the flow matrix,
  // the crossings and the themes. Stories and groups are numbered: the per-edge work is arithmetic.
  // people whose department the model does not know (an import can carry them) fall in the folded
  // group; it is dropped again below if nothing landed in it
  const hadSmaller = groups.some((g) => g.id === SMALLER);
  if (!hadSmaller) groups.push({ id: SMALLER, name: SMALLER_NAME, employees: 0 });
  const gIndex = new Map(groups.map((g, i) => [g.id, i]));
  const K = groups.length;
  const groupIndex = new Map<string, number>();
  const gi = (departmentId: string): number => {
    let i = groupIndex.get(departmentId);
    if (i === undefined) groupIndex.set(departmentId, (i = gIndex.get(groupOf(departmentId))!));
    return i;
  };
  // departments are numbered in the packed edges (src/spread/edge-code.ts): number -> group index
  const tallyOnce = (): Tally => {
    const numbered = src.departmentNumbers();
    const groupOfNo = new Int32Array(numbered.reduce((m, [no]) => Math.max(m, no + 1), 0));
    for (const [no, id] of numbered) groupOfNo[no] = gi(id);
    return src.tally(from, to, K, groupOfNo);
  };
  let tally = tallyOnce();
  // a department numbered between reading the numbers and the edges: read them again (once is enough)
  if (tally.unknownDepartment) tally = tallyOnce();
  const { counts, addedOf, touched, received, passed } = tally;
  const flows: { from: string; to: string; count: number }[] = [];
  for (let f = 0; f < K; f++) for (let t = 0; t < K; t++) if (counts[f * K + t]) flows.push({ from: groups[f]!.id, to: groups[t]!.id, count: counts[f * K + t]! });

  // circulating stories: ranked by nodes added in the window (the teller's own node is not "added")
  const ranked = rankStories({ get: src.storyByNo }, addedOf, touched, limit);
  const medians = new Map<number, number | null>();
  const stories: CirculatingStory[] = [];
  for (const [storyId, added] of ranked) {
    const s = src.story(storyId);
    if (!s) continue;
    const b = sizeBucket(s.size);
    if (!medians.has(b)) medians.set(b, src.bucketMedian(s.size));
    const { touches, newDepartments, curve } = src.storyInWindow(s, from, to);
    stories.push({ storyId, title: s.title, size: s.size, added, touches, newDepartments, virality: s.virality, bucket: bucketLabel(b), bucketMedian: medians.get(b) ?? null, curve });
  }

  // departments: stories told by their people in the window (not those awaiting review)
  const told = settled.toldByGroup;
  const departments: DepartmentRow[] = groups.map((g, k) => {
    const i = counts[k * K + k]!;
    let e = 0;
    for (let o = 0; o < K; o++) if (o !== k) e += counts[k * K + o]! + counts[o * K + k]!;
    const rec = received[k]!;
    return { id: g.id, name: g.name, told: told.get(g.id) ?? 0, received: rec, passedOn: passed[k]!, eiIndex: e + i === 0 ? null : (e - i) / (e + i), quiet: rec === 0 };
  });

  // themes: stories told, and nodes added, in the window
  const { themeNames, toldByTheme: toldBy, themeIdOf, storyThemePairs } = settled;
  // by theme number, then by id (a story numbered after the tally's arrays added nothing in it)
  const addedByThemeNo = new Float64Array(themeIdOf.length);
  for (const pair of storyThemePairs) {
    const storyNo = pairStory(pair);
    if (storyNo < addedOf.length) addedByThemeNo[pairTheme(pair)]! += addedOf[storyNo]!;
  }
  const themeAdded = new Map<string, number>();
  themeIdOf.forEach((themeId, no) => themeAdded.set(themeId, addedByThemeNo[no]!));
  const themes = themeNames.map((t) => ({ themeId: t.theme_id, name: t.name, told: toldBy.get(t.theme_id) ?? 0, nodesAdded: themeAdded.get(t.theme_id) ?? 0 }));

  const smaller = departments[departments.length - 1]!;
  if (!hadSmaller && smaller.told === 0 && smaller.eiIndex === null) {
    groups.pop();
    departments.pop();
  }
  return { groups, stories, flows, departments, themes };
}
