import type { Views, Projection, ProjectedEvent } from './runtime.ts';
import type { CascadeNode, Exposure } from '../spread/cascade.ts';
import { nodesForExposure, rootNode } from '../spread/cascade.ts';
import type { SpreadFigures, TreeSummary } from '../spread/figures.ts';
import { finishFigures, sizeBucket, summarizeTree, viralityOf } from '../spread/figures.ts';
import { encodeEdge, encodeStoryTheme } from '../spread/edge-code.ts';

/**
 * The spread read model (SPREAD.md): each story's cascade, stored node by node as exposures
 * arrive (constant work per exposure), plus what the dashboard aggregates over a window.
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
  retracted INTEGER NOT NULL DEFAULT 0, summary TEXT, virality REAL,
  bucket INTEGER NOT NULL DEFAULT 0);
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
  PRIMARY KEY (story_id, person_id)) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS spread_nodes_seq ON spread_nodes (story_id, seq);
CREATE INDEX IF NOT EXISTS spread_nodes_edge_at ON spread_nodes (at_ms, edge);
CREATE TABLE IF NOT EXISTS spread_department_numbers (no INTEGER PRIMARY KEY, department_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS spread_touches (story_id TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS spread_touches_story ON spread_touches (story_id, at_ms);
CREATE TABLE IF NOT EXISTS spread_arrivals (
  story_id TEXT NOT NULL, department_id TEXT NOT NULL, at_ms INTEGER NOT NULL,
  PRIMARY KEY (story_id, department_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS spread_arrivals_at ON spread_arrivals (at_ms);
CREATE TABLE IF NOT EXISTS spread_shared (
  to_id TEXT NOT NULL, story_id TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY (to_id, story_id)) WITHOUT ROWID;
`;

const TABLES = [
  'spread_departments', 'spread_people', 'spread_department_history', 'spread_themes', 'spread_stories',
  'spread_story_themes', 'spread_nodes', 'spread_touches', 'spread_arrivals', 'spread_shared', 'spread_department_numbers', 'spread_theme_numbers',
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
  summary: string | null;
  virality: number | null;
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
    // read in primary-key order (no ORDER BY: following the seq index costs a look-up per row)
    nodesRaw: db
      .prepare<[string], [number, string, string | null, number, string, string | null, number]>(
        'SELECT seq, person_id, parent_id, depth, department_id, parent_department_id, at_ms FROM spread_nodes WHERE story_id = ?',
      )
      .raw(),
    insertNode: db.prepare(
      'INSERT INTO spread_nodes (story_id, person_id, seq, parent_id, depth, department_id, parent_department_id, at_ms, edge) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    arrival: db.prepare('INSERT OR IGNORE INTO spread_arrivals (story_id, department_id, at_ms) VALUES (?, ?, ?)'),
    touched: db.prepare('UPDATE spread_stories SET touches = touches + 1 WHERE story_id = ?'),
    grown: db.prepare('UPDATE spread_stories SET size = size + ?, bucket = ?, summary = NULL, virality = NULL WHERE story_id = ?'),
    touch: db.prepare('INSERT INTO spread_touches (story_id, at_ms) VALUES (?, ?)'),
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
    openCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM spread_departments WHERE open = 1'),
    saveSummary: db.prepare('UPDATE spread_stories SET summary = ?, virality = ? WHERE story_id = ? AND size = ?'),
  };
}
type Statements = ReturnType<typeof statements>;
const cache = new WeakMap<Views, Statements>();
const stmts = (db: Views): Statements => {
  let s = cache.get(db);
  if (!s) {
    s = statements(db);
    cache.set(db, s);
  }
  return s;
};

/** The department's number, given on first sight (in log order, so a rebuild numbers alike). */
function departmentNo(q: Statements, departmentId: string): number {
  const no = q.departmentNo.get(departmentId);
  return no ?? Number(q.numberDepartment.run(departmentId).lastInsertRowid);
}

/** Records a story's theme, with the packed (story, theme) numbers the dashboard reads. */
function themeStory(q: Statements, storyId: string, themeId: string): void {
  const storyNo = q.storyNo.get(storyId);
  const themeNo = q.themeNo.get(themeId) ?? Number(q.numberTheme.run(themeId).lastInsertRowid);
  q.storyTheme.run(storyId, themeId, storyNo === undefined ? null : encodeStoryTheme(storyNo, themeNo));
}

function applyExposure(db: Views, storyId: string, exposure: Exposure, position: number): void {
  const q = stmts(db);
  const story = q.story.get(storyId);
  // an exposure of a story the log does not hold is refused when recorded; an import could still
  // carry one, and it has no root to hang from, so it is left out
  if (!story) return;
  const root = rootNode(story.teller_id, story.department_id, story.t0_ms); // the story row knows its root
  const departmentOf = (personId: string): string => q.departmentAt.get(personId, position)?.department_id ?? UNKNOWN_DEPARTMENT;
  const added = nodesForExposure({ get: (p) => { const r = q.node.get(storyId, p); return r ? toNode(r) : undefined; } }, root, exposure, departmentOf);
  q.touched.run(storyId);
  q.touch.run(storyId, exposure.atMs);
  if (added.length === 0) return;
  added.forEach((n, i) => {
    const edge = n.parentDepartmentId === null ? null : encodeEdge(story.story_no, departmentNo(q, n.parentDepartmentId), departmentNo(q, n.departmentId));
    q.insertNode.run(storyId, n.personId, story.size + i, n.parentId, n.depth, n.departmentId, n.parentDepartmentId, n.atMs, edge);
    q.arrival.run(storyId, n.departmentId, n.atMs);
  });
  q.grown.run(added.length, sizeBucket(story.size + added.length), storyId);
}

export const spreadProjection: Projection = {
  name: 'spread',
  version: 5,
  setup(db) {
    db.exec(SCHEMA);
  },
  reset(db) {
    db.exec(TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join('\n'));
    cache.delete(db);
  },
  apply(db, e: ProjectedEvent) {
    const q = stmts(db);
    const atMs = Date.parse(e.metadata.at);
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
        if (q.story.get(d.storyId)) return; // a story id is submitted once
        const dept = q.departmentAt.get(d.tellerId, e.position)?.department_id ?? UNKNOWN_DEPARTMENT;
        const root = rootNode(d.tellerId, dept, atMs);
        q.insertStory.run(d.storyId, d.tellerId, d.title, atMs, dept);
        q.insertNode.run(d.storyId, root.personId, 0, null, 0, dept, null, atMs, null);
        q.arrival.run(d.storyId, dept, atMs);
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

/** The story's row, or undefined when the log holds no such story. */
export function spreadStory(db: Views, storyId: string): StoryRow | undefined {
  return stmts(db).story.get(storyId);
}

/** The story's nodes in the order they joined the tree (seq is dense: 0 … size − 1). */
export function storyNodes(db: Views, storyId: string): CascadeNode[] {
  const rows = stmts(db).nodesRaw.all(storyId);
  const nodes = new Array<CascadeNode>(rows.length);
  for (const [seq, personId, parentId, depth, departmentId, parentDepartmentId, atMs] of rows) {
    nodes[seq] = { personId, parentId, depth, departmentId, parentDepartmentId, atMs };
  }
  return nodes;
}

export function departmentsOpen(db: Views): number {
  return stmts(db).openCount.get()!.n;
}

/**
 * The whole-tree summary, computed in linear time on demand and cached in the story's row until
 * its next node (the cache is saved only if the tree did not grow meanwhile).
 */
export function storySummary(db: Views, story: StoryRow): TreeSummary {
  if (story.summary) return JSON.parse(story.summary) as TreeSummary;
  const summary = summarizeTree(storyNodes(db, story.story_id));
  stmts(db).saveSummary.run(JSON.stringify(summary), viralityOf(summary), story.story_id, summary.size);
  return summary;
}

/** SPREAD.md's figures for one story, evaluated now; undefined for an unknown story. */
export function storyFigures(db: Views, storyId: string): SpreadFigures | undefined {
  const story = spreadStory(db, storyId);
  if (!story) return undefined;
  return finishFigures(storySummary(db, story), story.touches, story.t0_ms, departmentsOpen(db));
}
