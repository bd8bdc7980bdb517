import type { Views, Projection, ProjectedEvent } from './runtime.ts';
import type { CascadeNode, Exposure } from '../spread/cascade.ts';
import { nodesForExposure, rootNode } from '../spread/cascade.ts';
import { sizeBucket, viralityOf } from '../spread/figures.ts';
import { encodeEdge, encodeStoryTheme } from '../spread/edge-code.ts';
import { wienerGrowth } from '../spread/virality.ts';
import { preparedPer } from './prepared.ts';
import { applyReviewSetting, reviewCopyDrop, reviewCopySchema, reviewCopyStatements, reviewIsOn } from './review-copies.ts';

/**
 * The spread read model (SPREAD.md): each story's cascade, stored node by node as exposures
 * arrive, with every per-story figure kept up to date as it grows: size, depth, the Wiener index
 * (O(depth) per node: src/spread/virality.ts), breadth per depth, nodes per department, flows and
 * edge counts. Reading a story's figures never scans its tree and never writes (src/read/spread.ts
 * reads them). Plus what the dashboard aggregates over a window.
 * It keeps its own history of every employee's department by log position, so the department a
 * node gets is the one the person had when the exposure was recorded. It stores no names.
 */

/** A person the log never introduced (refused when recorded, but an import may carry one). */
export const UNKNOWN_DEPARTMENT = 'unknown';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS spread_departments (
  department_id TEXT PRIMARY KEY, name TEXT NOT NULL, open INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS spread_people (
  employee_id TEXT PRIMARY KEY, department_id TEXT NOT NULL, active INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS spread_department_history (
  employee_id TEXT NOT NULL, position INTEGER NOT NULL, department_id TEXT NOT NULL,
  PRIMARY KEY (employee_id, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS spread_themes (theme_id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS spread_stories (
  story_id TEXT PRIMARY KEY, teller_id TEXT NOT NULL, title TEXT NOT NULL, t0_ms INTEGER NOT NULL,
  department_id TEXT NOT NULL, touches INTEGER NOT NULL DEFAULT 0, size INTEGER NOT NULL DEFAULT 1,
  retracted INTEGER NOT NULL DEFAULT 0, virality REAL NOT NULL DEFAULT 0,
  bucket INTEGER NOT NULL DEFAULT 0,
  wiener INTEGER NOT NULL DEFAULT 0, -- Σ of all pairwise distances
  depth_sum INTEGER NOT NULL DEFAULT 0, depth INTEGER NOT NULL DEFAULT 0,
  cross_edges INTEGER NOT NULL DEFAULT 0, within_edges INTEGER NOT NULL DEFAULT 0,
  awaiting INTEGER NOT NULL DEFAULT 0 -- awaiting review: left out of the dashboard's lists and refused circulation
);
CREATE TABLE IF NOT EXISTS spread_story_depths (
  story_id TEXT NOT NULL, depth INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (story_id, depth)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS spread_story_flows (
  story_id TEXT NOT NULL, from_id TEXT NOT NULL, to_id TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (story_id, from_id, to_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS spread_stories_bucket ON spread_stories (bucket, virality);
CREATE INDEX IF NOT EXISTS spread_stories_t0 ON spread_stories (t0_ms);
CREATE TABLE IF NOT EXISTS spread_story_themes (
  story_id TEXT NOT NULL, theme_id TEXT NOT NULL,
  pair INTEGER, -- story and theme numbers, packed (src/spread/edge-code.ts); NULL for a story the log does not hold
  PRIMARY KEY (story_id, theme_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS spread_theme_numbers (no INTEGER PRIMARY KEY, theme_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS spread_nodes (
  story_id TEXT NOT NULL, person_id TEXT NOT NULL, seq INTEGER NOT NULL, parent_id TEXT,
  depth INTEGER NOT NULL, department_id TEXT NOT NULL, parent_department_id TEXT, at_ms INTEGER NOT NULL,
  edge INTEGER, -- the edge from the parent, packed (src/spread/edge-code.ts); NULL for the root
  below INTEGER NOT NULL DEFAULT 1, -- the size of the subtree this node heads (for the Wiener index); not kept for the root (the story's size is)
  PRIMARY KEY (story_id, person_id)) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS spread_nodes_seq ON spread_nodes (story_id, seq);
CREATE INDEX IF NOT EXISTS spread_nodes_edge_at ON spread_nodes (at_ms, edge);
CREATE TABLE IF NOT EXISTS spread_department_numbers (no INTEGER PRIMARY KEY, department_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS spread_touches (
  story_id TEXT NOT NULL, at_ms INTEGER NOT NULL,
  touch INTEGER NOT NULL, -- the story's touches counting this one: makes the key unique, so the table is its own index
  PRIMARY KEY (story_id, at_ms, touch)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS spread_arrivals (
  story_id TEXT NOT NULL, department_id TEXT NOT NULL, at_ms INTEGER NOT NULL,
  n INTEGER NOT NULL DEFAULT 1, -- the story's nodes in this department (for the entropy)
  PRIMARY KEY (story_id, department_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS spread_arrivals_at ON spread_arrivals (at_ms);
CREATE TABLE IF NOT EXISTS spread_shared (
  to_id TEXT NOT NULL, story_id TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY (to_id, story_id)) WITHOUT ROWID;
`;

const TABLES = [
  'spread_departments', 'spread_people', 'spread_department_history', 'spread_themes', 'spread_stories',
  'spread_story_themes', 'spread_nodes', 'spread_touches', 'spread_arrivals', 'spread_shared', 'spread_department_numbers', 'spread_theme_numbers',
  'spread_story_depths', 'spread_story_flows',
];

interface NodeRow {
  person_id: string;
  parent_id: string | null;
  depth: number;
  department_id: string;
  parent_department_id: string | null;
  at_ms: number;
}
export interface StoryRow {
  /** the row id: numbers stories in log order, for packed edges */
  story_no: number;
  story_id: string;
  teller_id: string;
  title: string;
  t0_ms: number;
  department_id: string;
  touches: number;
  size: number;
  retracted: number;
  virality: number;
  bucket: number;
  wiener: number;
  depth_sum: number;
  depth: number;
  cross_edges: number;
  within_edges: number;
  /** 1 while the story awaits review */
  awaiting: number;
}

const toNode = (r: NodeRow): CascadeNode => ({
  personId: r.person_id,
  parentId: r.parent_id,
  depth: r.depth,
  departmentId: r.department_id,
  parentDepartmentId: r.parent_department_id,
  atMs: r.at_ms,
});

function statements(db: Views) {
  return {
    story: db.prepare<[string], StoryRow>('SELECT rowid AS story_no, * FROM spread_stories WHERE story_id = ?'),
    departmentNo: db.prepare<[string], number>('SELECT no FROM spread_department_numbers WHERE department_id = ?').pluck(),
    numberDepartment: db.prepare('INSERT INTO spread_department_numbers (department_id) VALUES (?)'),
    node: db.prepare<[string, string], NodeRow>('SELECT * FROM spread_nodes WHERE story_id = ? AND person_id = ?'),
    insertNode: db.prepare(
      'INSERT INTO spread_nodes (story_id, person_id, seq, parent_id, depth, department_id, parent_department_id, at_ms, edge) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    arrival: db.prepare(
      `INSERT INTO spread_arrivals (story_id, department_id, at_ms) VALUES (?, ?, ?)
       ON CONFLICT (story_id, department_id) DO UPDATE SET n = n + 1, at_ms = min(at_ms, excluded.at_ms)`,
    ),
    breadth: db.prepare('INSERT INTO spread_story_depths (story_id, depth, n) VALUES (?, ?, 1) ON CONFLICT (story_id, depth) DO UPDATE SET n = n + 1'),
    flow: db.prepare('INSERT INTO spread_story_flows (story_id, from_id, to_id, n) VALUES (?, ?, ?, 1) ON CONFLICT (story_id, from_id, to_id) DO UPDATE SET n = n + 1'),
    // a new node heads one more node at each step from its parent up to the root: one step is one
    // primary-key update that also says where to go next (their subtree sizes before this one sum
    // to S in the Wiener index's growth)
    climb: db.prepare<[string, string], { below: number; depth: number; parent_id: string | null }>(
      'UPDATE spread_nodes SET below = below + 1 WHERE story_id = ? AND person_id = ? RETURNING below, depth, parent_id',
    ),
    touched: db.prepare('UPDATE spread_stories SET touches = touches + 1 WHERE story_id = ?'),
    grown: db.prepare(
      `UPDATE spread_stories SET touches = @touches, size = @size, bucket = @bucket, wiener = @wiener, depth_sum = @depth_sum, depth = @depth,
         cross_edges = @cross_edges, within_edges = @within_edges, virality = @virality WHERE story_id = @story_id`,
    ),
    touch: db.prepare('INSERT INTO spread_touches (story_id, at_ms, touch) VALUES (?, ?, ?)'),
    departmentAt: db.prepare<[string, number], { department_id: string }>(
      'SELECT department_id FROM spread_department_history WHERE employee_id = ? AND position <= ? ORDER BY position DESC LIMIT 1',
    ),
    history: db.prepare('INSERT OR REPLACE INTO spread_department_history (employee_id, position, department_id) VALUES (?, ?, ?)'),
    person: db.prepare(
      'INSERT INTO spread_people (employee_id, department_id, active) VALUES (?, ?, 1) ON CONFLICT(employee_id) DO UPDATE SET department_id = excluded.department_id, active = 1',
    ),
    transfer: db.prepare('UPDATE spread_people SET department_id = ? WHERE employee_id = ?'),
    left: db.prepare('UPDATE spread_people SET active = 0 WHERE employee_id = ?'),
    insertStory: db.prepare(
      'INSERT OR IGNORE INTO spread_stories (story_id, teller_id, title, t0_ms, department_id) VALUES (?, ?, ?, ?, ?)',
    ),
    storyTheme: db.prepare('INSERT OR IGNORE INTO spread_story_themes (story_id, theme_id, pair) VALUES (?, ?, ?)'),
    storyNo: db.prepare<[string], number>('SELECT rowid FROM spread_stories WHERE story_id = ?').pluck(),
    themeNo: db.prepare<[string], number>('SELECT no FROM spread_theme_numbers WHERE theme_id = ?').pluck(),
    numberTheme: db.prepare('INSERT INTO spread_theme_numbers (theme_id) VALUES (?)'),
    shared: db.prepare('INSERT OR IGNORE INTO spread_shared (to_id, story_id, at_ms) VALUES (?, ?, ?)'),
    awaiting: db.prepare('UPDATE spread_stories SET awaiting = ? WHERE story_id = ?'),
    review: reviewCopyStatements(db, 'spread'),
  };
}
type Statements = ReturnType<typeof statements>;
const stmts = preparedPer(statements);

/**
 * Department numbers already given, per views connection: a handful of rows read for every node.
 * A number is cached only once it is read back or given; reset and invalidate forget the cache
 * (a projection whose batch rolls back stops for good: src/projections/runtime.ts).
 */
const departmentNumbers = new WeakMap<Views, Map<string, number>>();

/** The department's number, given on first sight (in log order, so a rebuild numbers alike). */
function departmentNo(db: Views, q: Statements, departmentId: string): number {
  let known = departmentNumbers.get(db);
  if (!known) departmentNumbers.set(db, (known = new Map()));
  let no = known.get(departmentId);
  if (no === undefined) {
    no = q.departmentNo.get(departmentId) ?? Number(q.numberDepartment.run(departmentId).lastInsertRowid);
    known.set(departmentId, no);
  }
  return no;
}

/** Records a story's theme, with the packed (story, theme) numbers the dashboard reads. */
function themeStory(q: Statements, storyId: string, themeId: string): void {
  const storyNo = q.storyNo.get(storyId);
  const themeNo = q.themeNo.get(themeId) ?? Number(q.numberTheme.run(themeId).lastInsertRowid);
  q.storyTheme.run(storyId, themeId, storyNo === undefined ? null : encodeStoryTheme(storyNo, themeNo));
}

/**
 * Each story's row as this projection last wrote it, per views connection: every exposure reads
 * and updates its story. A few hundred bytes a story; forgotten by invalidate (runtime.ts).
 */
const storyRows = new WeakMap<Views, Map<string, StoryRow>>();
const STORY_ROWS_MAX = 100_000;

function storyRow(db: Views, q: Statements, storyId: string): StoryRow | undefined {
  let rows = storyRows.get(db);
  if (!rows) storyRows.set(db, (rows = new Map()));
  let row = rows.get(storyId);
  if (row === undefined) {
    row = q.story.get(storyId);
    if (row === undefined) return undefined;
    if (rows.size >= STORY_ROWS_MAX) rows.clear();
    rows.set(storyId, row);
  }
  return row;
}

function applyExposure(db: Views, storyId: string, exposure: Exposure, position: number): void {
  const q = stmts(db);
  const story = storyRow(db, q, storyId);
  // an exposure of a story the log does not hold is refused when recorded; an import could still
  // carry one, and it has no root to hang from, so it is left out
  if (!story) return;
  const root = rootNode(story.teller_id, story.department_id, story.t0_ms); // the story row knows its root
  const departmentOf = (personId: string): string => q.departmentAt.get(personId, position)?.department_id ?? UNKNOWN_DEPARTMENT;
  const added = nodesForExposure({ get: (p) => { const r = q.node.get(storyId, p); return r ? toNode(r) : undefined; } }, root, exposure, departmentOf);
  q.touch.run(storyId, exposure.atMs, story.touches + 1);
  if (added.length === 0) {
    q.touched.run(storyId);
    story.touches += 1;
    return;
  }
  let { size, wiener, depth_sum: depthSum, depth, cross_edges: cross, within_edges: within } = story;
  for (const n of added) {
    const parentDepartment = n.parentDepartmentId!;
    // S: the subtree sizes (before this node) from the parent up to, not including, the root;
    // the root's own is not kept (it is the story's size), so a reader of the story costs no step
    let pathSubtrees = 0;
    for (let at: string | null = n.depth > 1 ? n.parentId : null; at !== null; ) {
      const r = q.climb.get(storyId, at);
      if (!r) throw new Error(`spread: node ${at} of story ${storyId} is missing`);
      pathSubtrees += r.below - 1;
      at = r.depth > 1 ? r.parent_id : null;
    }
    wiener += wienerGrowth(size, n.depth - 1, depthSum, pathSubtrees);
    const edge = encodeEdge(story.story_no, departmentNo(db, q, parentDepartment), departmentNo(db, q, n.departmentId));
    q.insertNode.run(storyId, n.personId, size, n.parentId, n.depth, n.departmentId, parentDepartment, n.atMs, edge);
    q.arrival.run(storyId, n.departmentId, n.atMs);
    q.breadth.run(storyId, n.depth);
    q.flow.run(storyId, parentDepartment, n.departmentId);
    size += 1;
    depthSum += n.depth;
    depth = Math.max(depth, n.depth);
    if (parentDepartment === n.departmentId) within += 1;
    else cross += 1;
  }
  const grown = {
    touches: story.touches + 1, size, bucket: sizeBucket(size), wiener, depth_sum: depthSum, depth, cross_edges: cross, within_edges: within,
    virality: viralityOf({ size, wiener }),
  };
  q.grown.run({ story_id: storyId, ...grown });
  Object.assign(story, grown);
}

export const spreadProjection: Projection = {
  name: 'spread',
  // 8: stories awaiting review (issue 12)
  version: 8,
  setup(db) {
    db.exec(SCHEMA + reviewCopySchema('spread'));
  },
  reset(db) {
    db.exec(TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join('\n') + reviewCopyDrop('spread'));
    stmts.forget(db);
    departmentNumbers.delete(db);
    storyRows.delete(db);
  },
  invalidate(db) {
    storyRows.delete(db);
    departmentNumbers.delete(db);
  },
  apply(db, e: ProjectedEvent) {
    const q = stmts(db);
    const atMs = Date.parse(e.metadata.at);
    if (applyReviewSetting(q.review, e)) return;
    switch (e.type) {
      case 'DepartmentOpened':
        db.prepare('INSERT INTO spread_departments (department_id, name, open) VALUES (?, ?, 1) ON CONFLICT(department_id) DO UPDATE SET name = excluded.name, open = 1')
          .run(e.data.departmentId, e.data.name);
        return;
      case 'DepartmentRenamed':
        db.prepare('UPDATE spread_departments SET name = ? WHERE department_id = ?').run(e.data.name, e.data.departmentId);
        return;
      case 'DepartmentClosed':
        db.prepare('UPDATE spread_departments SET open = 0 WHERE department_id = ?').run(e.data.departmentId);
        return;
      case 'EmployeeJoined':
        q.person.run(e.data.employeeId, e.data.departmentId);
        q.history.run(e.data.employeeId, e.position, e.data.departmentId);
        return;
      case 'EmployeeTransferred':
        q.transfer.run(e.data.departmentId, e.data.employeeId);
        q.history.run(e.data.employeeId, e.position, e.data.departmentId);
        return;
      case 'EmployeeLeft':
        q.left.run(e.data.employeeId);
        return;
      case 'ThemeDefined':
        db.prepare('INSERT INTO spread_themes (theme_id, name) VALUES (?, ?) ON CONFLICT(theme_id) DO UPDATE SET name = excluded.name').run(e.data.themeId, e.data.name);
        return;
      case 'StorySubmitted': {
        const d = e.data;
        if (storyRow(db, q, d.storyId)) return; // a story id is submitted once
        const dept = q.departmentAt.get(d.tellerId, e.position)?.department_id ?? UNKNOWN_DEPARTMENT;
        const root = rootNode(d.tellerId, dept, atMs);
        q.insertStory.run(d.storyId, d.tellerId, d.title, atMs, dept);
        if (reviewIsOn(q.review)) q.awaiting.run(1, d.storyId);
        q.insertNode.run(d.storyId, root.personId, 0, null, 0, dept, null, atMs, null);
        q.arrival.run(d.storyId, dept, atMs);
        q.breadth.run(d.storyId, 0);
        for (const t of d.themes) themeStory(q, d.storyId, t);
        // a retelling exposes its teller to the original story
        if (d.retellingOf !== undefined) applyExposure(db, d.retellingOf, { personId: d.tellerId, atMs }, e.position);
        return;
      }
      case 'StoryAmended':
        if (e.data.title !== undefined) db.prepare('UPDATE spread_stories SET title = ? WHERE story_id = ?').run(e.data.title, e.data.storyId);
        return;
      case 'StoryThemed':
        themeStory(q, e.data.storyId, e.data.themeId);
        return;
      case 'StoryUnthemed':
        db.prepare('DELETE FROM spread_story_themes WHERE story_id = ? AND theme_id = ?').run(e.data.storyId, e.data.themeId);
        return;
      case 'StoryRetracted':
        db.prepare('UPDATE spread_stories SET retracted = 1 WHERE story_id = ?').run(e.data.storyId);
        return;
      case 'StoryApproved':
        q.awaiting.run(0, e.data.storyId);
        return;
      case 'StoryRead':
        applyExposure(db, e.data.storyId, { personId: e.data.readerId, atMs }, e.position);
        return;
      case 'StoryHeard':
        applyExposure(db, e.data.storyId, { personId: e.data.listenerId, sourceId: e.data.fromId, atMs }, e.position);
        return;
      case 'StoryShared':
        applyExposure(db, e.data.storyId, { personId: e.data.toId, sourceId: e.data.fromId, atMs }, e.position);
        q.shared.run(e.data.toId, e.data.storyId, atMs);
        return;
      default:
        return;
    }
  },
};

