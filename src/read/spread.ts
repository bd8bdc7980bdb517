import type { Views } from '../projections/runtime.ts';
import type { StoryRow } from '../projections/spread.ts';
import type { CascadeNode } from '../spread/cascade.ts';
import type { SpreadFigures, TreeSummary } from '../spread/figures.ts';
import { finishFigures } from '../spread/figures.ts';
import type { Standing } from '../domain/circulation.ts';
import { preparedPer } from '../projections/prepared.ts';

/**
 * Read-side queries over the spread read model (tables `spread_*`, kept by
 * src/projections/spread.ts): one story's figures, its nodes, the story page's counters, what was
 * sent to a person, and the facts recording circulation needs. Statements are prepared once per
 * views connection; nothing here writes.
 */

export type { StoryRow };

export interface CirculationCounters {
  /** people other than the teller in the cascade */
  reached: number;
  /** exposures, repeats included */
  touches: number;
}

export interface SharedItem {
  storyId: string;
  title: string;
  atMs: number;
}

function statements(db: Views) {
  return {
    story: db.prepare<[string], StoryRow>('SELECT rowid AS story_no, * FROM spread_stories WHERE story_id = ?'),
    // read in primary-key order (no ORDER BY: following the seq index costs a look-up per row)
    nodesRaw: db
      .prepare<[string], [number, string, string | null, number, string, string | null, number]>(
        'SELECT seq, person_id, parent_id, depth, department_id, parent_department_id, at_ms FROM spread_nodes WHERE story_id = ?',
      )
      .raw(),
    maxBreadth: db.prepare<[string], number>('SELECT max(n) FROM spread_story_depths WHERE story_id = ?').pluck(),
    arrivals: db.prepare<[string], { department_id: string; at_ms: number; n: number }>(
      'SELECT department_id, at_ms, n FROM spread_arrivals WHERE story_id = ?',
    ),
    flows: db.prepare<[string], { from_id: string; to_id: string; n: number }>('SELECT from_id, to_id, n FROM spread_story_flows WHERE story_id = ?'),
    tellerDepartment: db.prepare<[string], { department_id: string; name: string | null }>(
      'SELECT s.department_id, d.name FROM spread_stories s LEFT JOIN spread_departments d ON d.department_id = s.department_id WHERE s.story_id = ?',
    ),
    openCount: db.prepare<[], number>('SELECT count(*) FROM spread_departments WHERE open = 1').pluck(),
    counters: db.prepare<[string], { size: number; touches: number }>('SELECT size, touches FROM spread_stories WHERE story_id = ?'),
    shared: db.prepare<[string], { story_id: string; title: string; at_ms: number }>(
      `SELECT sh.story_id, s.title, sh.at_ms FROM spread_shared sh JOIN spread_stories s ON s.story_id = sh.story_id
       WHERE sh.to_id = ? AND s.retracted = 0 ORDER BY sh.at_ms DESC LIMIT 10`,
    ),
    // departments other than the teller's, and the teller's own once someone else there has it
    reachedDepartments: db.prepare<[string], number>(
      `SELECT count(*) FROM spread_arrivals a JOIN spread_stories s ON s.story_id = a.story_id
       WHERE a.story_id = ? AND (a.department_id <> s.department_id OR a.n > 1)`,
    ).pluck(),
    latestEdge: db.prepare<[], number | null>('SELECT max(at_ms) FROM spread_nodes WHERE edge IS NOT NULL').pluck(),
  };
}
type Statements = ReturnType<typeof statements>;
const q = preparedPer(statements);

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The story's row, or undefined when the log holds no such story. */
export function spreadStory(db: Views, storyId: string): StoryRow | undefined {
  return q(db).story.get(storyId);
}

/** The story's nodes in the order they joined the tree (seq is dense: 0 … size − 1). */
export function storyNodes(db: Views, storyId: string): CascadeNode[] {
  const rows = q(db).nodesRaw.all(storyId);
  const nodes = new Array<CascadeNode>(rows.length);
  for (const [seq, personId, parentId, depth, departmentId, parentDepartmentId, atMs] of rows) {
    nodes[seq] = { personId, parentId, depth, departmentId, parentDepartmentId, atMs };
  }
  return nodes;
}

export function departmentsOpen(db: Views): number {
  return q(db).openCount.get() ?? 0;
}

/**
 * The whole-tree summary, from what the projection keeps up to date: a handful of small rows
 * (one per department and per depth, one per flow), whatever the size of the tree.
 */
/** A story's arrival in each department, in order (SPREAD.md's departmentArrivals), alone: what the dashboard's sentences need. */
export function storyArrivals(db: Views, storyId: string): TreeSummary['arrivals'] {
  return arrivalsInOrder(q(db).arrivals.all(storyId));
}

const arrivalsInOrder = (rows: { department_id: string; at_ms: number }[]): TreeSummary['arrivals'] =>
  rows.map((a) => ({ departmentId: a.department_id, atMs: a.at_ms })).sort((a, b) => a.atMs - b.atMs || byString(a.departmentId, b.departmentId));

export function storySummary(db: Views, story: StoryRow): TreeSummary {
  const st = q(db);
  const arrivals = st.arrivals.all(story.story_id);
  let plnp = 0;
  for (const a of arrivals) {
    const p = a.n / story.size;
    plnp += p * Math.log(p);
  }
  return {
    size: story.size,
    depth: story.depth,
    maxBreadth: st.maxBreadth.get(story.story_id) ?? 1,
    wiener: story.wiener,
    entropyNats: 0 - plnp, // `0 -` so a single department gives 0, not -0
    arrivals: arrivalsInOrder(arrivals),
    crossEdges: story.cross_edges,
    withinEdges: story.within_edges,
    flows: st.flows
      .all(story.story_id)
      .map((f) => ({ from: f.from_id, to: f.to_id, count: f.n }))
      .sort((a, b) => byString(a.from, b.from) || byString(a.to, b.to)),
  };
}

/** SPREAD.md's figures for one story, evaluated now; undefined for an unknown story. */
export function storyFigures(db: Views, storyId: string): SpreadFigures | undefined {
  const story = spreadStory(db, storyId);
  if (!story) return undefined;
  return finishFigures(storySummary(db, story), story.touches, story.t0_ms, departmentsOpen(db));
}

/** The story page's counters (totals only: nobody's reading is shown to anyone else). */
export function circulationCounters(db: Views, storyId: string): CirculationCounters {
  const r = q(db).counters.get(storyId);
  return { reached: r ? r.size - 1 : 0, touches: r?.touches ?? 0 };
}

/**
 * How far a story went, for its teller: people other than the teller who came across it, and the
 * departments they were in (numbers only: never who).
 */
export function storyReach(db: Views, storyId: string): { people: number; departments: number } {
  return { people: circulationCounters(db, storyId).reached, departments: q(db).reachedDepartments.get(storyId) ?? 0 };
}

/** Stories sent to this person, newest first (only they see this list). */
export function sharedWith(db: Views, employeeId: string): SharedItem[] {
  return q(db).shared.all(employeeId).map((r) => ({ storyId: r.story_id, title: r.title, atMs: r.at_ms }));
}

/** The department its teller was in when the story was told (the root of its cascade), with its name now. */
export function tellerDepartmentOf(db: Views, storyId: string): { departmentId: string; name: string } | null {
  const r = q(db).tellerDepartment.get(storyId);
  return r ? { departmentId: r.department_id, name: r.name ?? r.department_id } : null;
}

/** When the archive last saw a story pass from one person to another (null: never). */
export function latestSpreadAt(db: Views): number | null {
  return q(db).latestEdge.get() ?? null;
}
