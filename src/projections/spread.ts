import type Database from 'better-sqlite3';
import type { Views, Projection, ProjectedEvent } from './runtime.ts';
import type { DepartmentOf, Exposure, TreeLookup } from '../spread/cascade.ts';
import { nodesForExposure } from '../spread/cascade.ts';
import { sizeBucket, viralityOf } from '../spread/figures.ts';
import { encodeEdge, encodeStoryTheme } from '../spread/edge-code.ts';
import { wienerGrowth } from '../spread/virality.ts';
import { preparedPer } from './prepared.ts';
import { REMOVED_TEXT } from '../privacy/markers.ts';
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
  awaiting INTEGER NOT NULL DEFAULT 0, -- awaiting review: left out of the dashboard's lists and refused circulation
  -- what the archive as it stood at a log position P reads (src/asof/dashboard-cut.ts): awaiting at P
  -- is held = 1 and no approval before P; retracted at P is a retraction before P
  held INTEGER NOT NULL DEFAULT 0, -- review was on when it was told
  approved_pos INTEGER, -- the log position of its first approval
  retracted_pos INTEGER -- the log position of its first retraction
);
-- a story's title from each log position on (told, amended with a title, its teller erased)
CREATE TABLE IF NOT EXISTS spread_story_titles (
  story_id TEXT NOT NULL, position INTEGER NOT NULL, title TEXT NOT NULL, PRIMARY KEY (story_id, position)) WITHOUT ROWID;
-- every change of spread_story_themes, by log position (added 1: the row inserted; 0: deleted)
CREATE TABLE IF NOT EXISTS spread_story_theme_log (
  story_id TEXT NOT NULL, theme_id TEXT NOT NULL, position INTEGER NOT NULL, pair INTEGER, added INTEGER NOT NULL,
  PRIMARY KEY (story_id, theme_id, position)) WITHOUT ROWID;
-- a story's size and virality after each exposure that grew its cascade, at that exposure's log position
CREATE TABLE IF NOT EXISTS spread_growth (
  story_no INTEGER NOT NULL, position INTEGER NOT NULL, size INTEGER NOT NULL, virality REAL NOT NULL,
  PRIMARY KEY (story_no, position)) WITHOUT ROWID;
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
  'spread_story_depths', 'spread_story_flows', 'spread_story_titles', 'spread_story_theme_log', 'spread_growth',
];

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
  /** 1 when review was on as it was told */
  held: number;
  approved_pos: number | null;
  retracted_pos: number | null;
}

/** rows per multi-row INSERT of the rows a batch appends (one statement call each, not one per row) */
const ROWS_PER_INSERT = 64;

/** Inserts rows of `width` values (flattened) through `many` (ROWS_PER_INSERT rows) and `one`. */
function insertRows(many: Database.Statement, one: Database.Statement, flat: unknown[], width = 3): void {
  const full = flat.length - (flat.length % (width * ROWS_PER_INSERT));
  for (let i = 0; i < full; i += width * ROWS_PER_INSERT) many.run(flat.slice(i, i + width * ROWS_PER_INSERT));
  for (let i = full; i < flat.length; i += width) one.run(flat.slice(i, i + width));
}

function statements(db: Views) {
  return {
    story: db.prepare<[string], StoryRow>('SELECT rowid AS story_no, * FROM spread_stories WHERE story_id = ?'),
    departmentNo: db.prepare<[string], number>('SELECT no FROM spread_department_numbers WHERE department_id = ?').pluck(),
    numberDepartment: db.prepare('INSERT INTO spread_department_numbers (department_id) VALUES (?)'),
    // a story's tree, read into memory on its first exposure in a while (primary-key order)
    tree: db
      .prepare<[string], [string, string | null, number, string, number]>(
        'SELECT person_id, parent_id, depth, department_id, below FROM spread_nodes WHERE story_id = ?',
      )
      .raw(),
    insertNode: db.prepare(
      'INSERT INTO spread_nodes (story_id, person_id, seq, parent_id, depth, department_id, parent_department_id, at_ms, edge, below) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    below: db.prepare('UPDATE spread_nodes SET below = ? WHERE story_id = ? AND person_id = ?'),
    arrival: db.prepare(
      `INSERT INTO spread_arrivals (story_id, department_id, at_ms, n) VALUES (?, ?, ?, ?)
       ON CONFLICT (story_id, department_id) DO UPDATE SET n = n + excluded.n, at_ms = min(at_ms, excluded.at_ms)`,
    ),
    breadth: db.prepare('INSERT INTO spread_story_depths (story_id, depth, n) VALUES (?, ?, ?) ON CONFLICT (story_id, depth) DO UPDATE SET n = n + excluded.n'),
    flow: db.prepare(
      'INSERT INTO spread_story_flows (story_id, from_id, to_id, n) VALUES (?, ?, ?, ?) ON CONFLICT (story_id, from_id, to_id) DO UPDATE SET n = n + excluded.n',
    ),
    grown: db.prepare(
      `UPDATE spread_stories SET touches = @touches, size = @size, bucket = @bucket, wiener = @wiener, depth_sum = @depth_sum, depth = @depth,
         cross_edges = @cross_edges, within_edges = @within_edges, virality = @virality WHERE story_id = @story_id`,
    ),
    touch: db.prepare('INSERT INTO spread_touches (story_id, at_ms, touch) VALUES (?, ?, ?)'),
    touches: db.prepare(`INSERT INTO spread_touches (story_id, at_ms, touch) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?)').join(', ')}`),
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
    themeLog: db.prepare('INSERT OR REPLACE INTO spread_story_theme_log (story_id, theme_id, position, pair, added) VALUES (?, ?, ?, ?, ?)'),
    title: db.prepare('INSERT OR REPLACE INTO spread_story_titles (story_id, position, title) VALUES (?, ?, ?)'),
    retitled: db.prepare('INSERT OR REPLACE INTO spread_story_titles (story_id, position, title) SELECT story_id, ?, ? FROM spread_stories WHERE story_id = ?'),
    // an erased teller's titles leave the history too: every earlier title reads as a rebuild gives it
    // (their events can no longer be read), so the archive as it stood before the erasure shows it so too
    erasedTitles: db.prepare('UPDATE spread_story_titles SET title = ? WHERE story_id IN (SELECT story_id FROM spread_stories WHERE teller_id = ?)'),
    growth: db.prepare('INSERT INTO spread_growth (story_no, position, size, virality) VALUES (?, ?, ?, ?)'),
    growths: db.prepare(`INSERT INTO spread_growth (story_no, position, size, virality) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`),
    storyNo: db.prepare<[string], number>('SELECT rowid FROM spread_stories WHERE story_id = ?').pluck(),
    themeNo: db.prepare<[string], number>('SELECT no FROM spread_theme_numbers WHERE theme_id = ?').pluck(),
    numberTheme: db.prepare('INSERT INTO spread_theme_numbers (theme_id) VALUES (?)'),
    shared: db.prepare('INSERT OR IGNORE INTO spread_shared (to_id, story_id, at_ms) VALUES (?, ?, ?)'),
    // rows in order: the first share of a story to a person is the one kept, as one by one
    shareds: db.prepare(`INSERT OR IGNORE INTO spread_shared (to_id, story_id, at_ms) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?)').join(', ')}`),
    hold: db.prepare('UPDATE spread_stories SET awaiting = 1, held = 1 WHERE story_id = ?'),
    approve: db.prepare('UPDATE spread_stories SET awaiting = 0, approved_pos = coalesce(approved_pos, ?) WHERE story_id = ?'),
    openDepartment: db.prepare('INSERT INTO spread_departments (department_id, name, open) VALUES (?, ?, 1) ON CONFLICT(department_id) DO UPDATE SET name = excluded.name, open = 1'),
    renameDepartment: db.prepare('UPDATE spread_departments SET name = ? WHERE department_id = ?'),
    closeDepartment: db.prepare('UPDATE spread_departments SET open = 0 WHERE department_id = ?'),
    defineTheme: db.prepare('INSERT INTO spread_themes (theme_id, name) VALUES (?, ?) ON CONFLICT(theme_id) DO UPDATE SET name = excluded.name'),
    retitle: db.prepare('UPDATE spread_stories SET title = ? WHERE story_id = ?'),
    // an erased teller's titles read as a rebuild gives them; the figures stay as they are
    eraseTitles: db.prepare('UPDATE spread_stories SET title = ? WHERE teller_id = ?'),
    untheme: db.prepare('DELETE FROM spread_story_themes WHERE story_id = ? AND theme_id = ?'),
    retract: db.prepare('UPDATE spread_stories SET retracted = 1, retracted_pos = coalesce(retracted_pos, ?) WHERE story_id = ?'),
    review: reviewCopyStatements(db, 'spread'),
  };
}
type Statements = ReturnType<typeof statements>;
const stmts = preparedPer(statements);

/**
 * What this projection keeps in memory per views connection, so an exposure costs no look-up in
 * views.db and a batch writes each story's figures once instead of once per event:
 * - `rows`: each story's row as last written or about to be written (a few hundred bytes a story);
 * - `trees`: the cascades of stories exposed lately, node by node with the subtree size each heads
 *   (read from `spread_nodes` on a story's first exposure since it was dropped, bounded by
 *   TREE_NODES_MAX nodes, least recently exposed stories dropped first);
 * - `departmentNumbers`: the numbers given to departments (a handful, read for every node);
 * - `departments`: each person's current department (see Memory.departments);
 * - `pending`: what the batch under way changed and has not written yet (touches and shares,
 *   written ROWS_PER_INSERT rows a statement; new nodes, subtree sizes, story rows, arrivals,
 *   breadth per depth, flows, one write per row); written by `flush` at the end of the batch,
 *   inside its transaction, so a batch is atomic with its checkpoint.
 * All of it is forgotten by `invalidate` (another process wrote views.db, or a batch rolled back:
 * src/projections/runtime.ts) and by `reset`.
 */
interface TreeNode {
  personId: string;
  parent: TreeNode | null;
  depth: number;
  departmentId: string;
  /** the size of the subtree this node heads (not kept for the root: the story's size is) */
  below: number;
  /** whether its row is in spread_nodes: false while the node waits in `pending.nodes` */
  written: boolean;
}
interface Tree {
  nodes: Map<string, TreeNode>;
  root: TreeNode;
  /** the batch that last exposed the story: the least recent are dropped first */
  used: number;
}
interface NewNode {
  storyId: string;
  node: TreeNode;
  seq: number;
  parentDepartmentId: string;
  atMs: number;
  edge: number;
}
interface Pending {
  /** spread_touches rows, flattened (story, at, touch), in log order */
  touches: unknown[];
  /** spread_shared rows, flattened (to, story, at), in log order */
  shared: unknown[];
  nodes: NewNode[];
  /** written nodes whose subtree size changed, by story */
  below: Map<string, Set<TreeNode>>;
  rows: Set<StoryRow>;
  /** spread_growth rows, flattened (story number, position, size, virality), one per exposure that grew a cascade */
  growth: unknown[];
  /** story, department -> [nodes added, earliest arrival] */
  arrivals: Map<string, Map<string, [number, number]>>;
  /** story, depth -> nodes added */
  depths: Map<string, Map<number, number>>;
  /** story, from department, to department -> edges added */
  flows: Map<string, Map<string, Map<string, number>>>;
}
interface Memory {
  rows: Map<string, StoryRow>;
  trees: Map<string, Tree>;
  treeNodes: number;
  departmentNumbers: Map<string, number>;
  /** interned department ids: the trees hold one string per department */
  departmentIds: Map<string, string>;
  /**
   * Each person's department as of the last event applied (events are applied in log order, so it
   * is the latest row of their history, the one `departmentAt` finds); filled as people join or
   * transfer and on a miss, bounded by PEOPLE_MAX
   */
  departments: Map<string, string>;
  batch: number;
  pending: Pending;
  /** the tree and log position of the exposure being applied, read by `lookup` and `departmentOf` */
  tree: Tree | undefined;
  position: number;
  /** made once per connection, not once per exposure */
  lookup: TreeLookup;
  departmentOf: DepartmentOf;
}

const STORY_ROWS_MAX = 100_000;
const PEOPLE_MAX = 200_000;
/** at roughly 150 bytes a node: about 40 MB of trees at most */
const TREE_NODES_MAX = 250_000;

const emptyPending = (): Pending => ({ touches: [], shared: [], nodes: [], below: new Map(), rows: new Set(), growth: [], arrivals: new Map(), depths: new Map(), flows: new Map() });
const memories = new WeakMap<Views, Memory>();
function memoryOf(db: Views): Memory {
  let m = memories.get(db);
  if (!m) {
    const q = stmts(db);
    const made: Memory = {
      rows: new Map(), trees: new Map(), treeNodes: 0, departmentNumbers: new Map(), departmentIds: new Map(), departments: new Map(),
      batch: 0, pending: emptyPending(), tree: undefined, position: 0,
      lookup: { get: (personId) => made.tree!.nodes.get(personId) },
      departmentOf: (personId) => {
        let d = made.departments.get(personId);
        if (d === undefined) {
          d = intern(made, q.departmentAt.get(personId, made.position)?.department_id ?? UNKNOWN_DEPARTMENT);
          inDepartment(made, personId, d);
        }
        return d;
      },
    };
    memories.set(db, (m = made));
  }
  return m;
}

function intern(m: Memory, departmentId: string): string {
  const known = m.departmentIds.get(departmentId);
  if (known !== undefined) return known;
  m.departmentIds.set(departmentId, departmentId);
  return departmentId;
}

function inDepartment(m: Memory, personId: string, departmentId: string): void {
  if (m.departments.size >= PEOPLE_MAX && !m.departments.has(personId)) m.departments.clear();
  m.departments.set(personId, intern(m, departmentId));
}

/** The department's number, given on first sight (in log order, so a rebuild numbers alike). */
function departmentNo(m: Memory, q: Statements, departmentId: string): number {
  let no = m.departmentNumbers.get(departmentId);
  if (no === undefined) {
    no = q.departmentNo.get(departmentId) ?? Number(q.numberDepartment.run(departmentId).lastInsertRowid);
    m.departmentNumbers.set(departmentId, no);
  }
  return no;
}

/** Records a story's theme, with the packed (story, theme) numbers the dashboard reads, and the change by log position. */
function themeStory(q: Statements, storyId: string, themeId: string, position: number): void {
  const storyNo = q.storyNo.get(storyId);
  const themeNo = q.themeNo.get(themeId) ?? Number(q.numberTheme.run(themeId).lastInsertRowid);
  const pair = storyNo === undefined ? null : encodeStoryTheme(storyNo, themeNo);
  if (q.storyTheme.run(storyId, themeId, pair).changes > 0) q.themeLog.run(storyId, themeId, position, pair, 1);
}

function storyRow(m: Memory, q: Statements, storyId: string): StoryRow | undefined {
  let row = m.rows.get(storyId);
  if (row === undefined) {
    row = q.story.get(storyId);
    if (row === undefined) return undefined;
    m.rows.set(storyId, row);
  }
  return row;
}

/** The story's cascade in memory, read from spread_nodes if it is not there. */
function treeOf(m: Memory, q: Statements, story: StoryRow): Tree {
  let tree = m.trees.get(story.story_id);
  if (tree === undefined) {
    const nodes = new Map<string, TreeNode>();
    const parents: [TreeNode, string][] = [];
    for (const [personId, parentId, depth, departmentId, below] of q.tree.iterate(story.story_id)) {
      const node: TreeNode = { personId, parent: null, depth, departmentId: intern(m, departmentId), below, written: true };
      nodes.set(personId, node);
      if (parentId !== null) parents.push([node, parentId]);
    }
    for (const [node, parentId] of parents) node.parent = nodes.get(parentId) ?? null;
    const root = nodes.get(story.teller_id);
    if (!root) throw new Error(`spread: the root of story ${story.story_id} is missing`);
    tree = { nodes, root, used: m.batch };
    m.trees.set(story.story_id, tree);
    m.treeNodes += nodes.size;
  }
  tree.used = m.batch;
  return tree;
}

function add<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}
function inner<K, V>(map: Map<string, Map<K, V>>, storyId: string): Map<K, V> {
  let m = map.get(storyId);
  if (m === undefined) map.set(storyId, (m = new Map()));
  return m;
}

/** Counts a node in its story's arrivals and breadth per depth (written at the end of the batch). */
function arrived(p: Pending, storyId: string, departmentId: string, depth: number, atMs: number): void {
  const arrivals = inner(p.arrivals, storyId);
  const a = arrivals.get(departmentId);
  if (a === undefined) arrivals.set(departmentId, [1, atMs]);
  else {
    a[0] += 1;
    a[1] = Math.min(a[1], atMs);
  }
  add(inner(p.depths, storyId), depth, 1);
}

function applyExposure(db: Views, storyId: string, exposure: Exposure, position: number): void {
  const q = stmts(db);
  const m = memoryOf(db);
  const story = storyRow(m, q, storyId);
  // an exposure of a story the log does not hold is refused when recorded; an import could still
  // carry one, and it has no root to hang from, so it is left out
  if (!story) return;
  const tree = treeOf(m, q, story);
  m.position = position;
  m.tree = tree;
  const added = nodesForExposure(m.lookup, tree.root, exposure, m.departmentOf);
  story.touches += 1;
  const p = m.pending;
  p.touches.push(storyId, exposure.atMs, story.touches);
  p.rows.add(story);
  if (added.length === 0) return;
  let { size, wiener, depth_sum: depthSum, depth, cross_edges: cross, within_edges: within } = story;
  for (const n of added) {
    const parentDepartment = n.parentDepartmentId!;
    const parent = tree.nodes.get(n.parentId!);
    if (!parent) throw new Error(`spread: node ${n.parentId} of story ${storyId} is missing`);
    // S: the subtree sizes (before this node) from the parent up to, not including, the root;
    // the root's own is not kept (it is the story's size), so a reader of the story costs no step
    let pathSubtrees = 0;
    for (let at: TreeNode | null = parent; at !== null && at.depth > 0; at = at.parent) {
      pathSubtrees += at.below;
      at.below += 1;
      if (at.written) {
        let dirty = p.below.get(storyId);
        if (dirty === undefined) p.below.set(storyId, (dirty = new Set()));
        dirty.add(at);
      }
    }
    wiener += wienerGrowth(size, n.depth - 1, depthSum, pathSubtrees);
    const node: TreeNode = { personId: n.personId, parent, depth: n.depth, departmentId: intern(m, n.departmentId), below: 1, written: false };
    tree.nodes.set(n.personId, node);
    m.treeNodes += 1;
    const edge = encodeEdge(story.story_no, departmentNo(m, q, parentDepartment), departmentNo(m, q, n.departmentId));
    p.nodes.push({ storyId, node, seq: size, parentDepartmentId: parentDepartment, atMs: n.atMs, edge });
    arrived(p, storyId, n.departmentId, n.depth, n.atMs);
    const flows = inner(p.flows, storyId);
    let from = flows.get(parentDepartment);
    if (from === undefined) flows.set(parentDepartment, (from = new Map()));
    add(from, n.departmentId, 1);
    size += 1;
    depthSum += n.depth;
    depth = Math.max(depth, n.depth);
    if (parentDepartment === n.departmentId) within += 1;
    else cross += 1;
  }
  Object.assign(story, {
    size, bucket: sizeBucket(size), wiener, depth_sum: depthSum, depth, cross_edges: cross, within_edges: within,
    virality: viralityOf({ size, wiener }),
  });
  // the figures after this exposure, at its position: the archive as it stood at any position reads them
  p.growth.push(story.story_no, position, size, story.virality);
}

/** Writes what the batch kept in memory (see Memory), then drops trees if there are too many. */
function flush(db: Views): void {
  const m = memories.get(db);
  if (!m) return;
  const q = stmts(db);
  const p = m.pending;
  m.pending = emptyPending();
  insertRows(q.touches, q.touch, p.touches);
  insertRows(q.shareds, q.shared, p.shared);
  // in key order: neighbouring rows share pages, so the batch dirties fewer of them
  const byKey = (a: { storyId: string; personId: string }, b: { storyId: string; personId: string }): number =>
    a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0;
  p.nodes.sort((a, b) => byKey({ storyId: a.storyId, personId: a.node.personId }, { storyId: b.storyId, personId: b.node.personId }));
  for (const n of p.nodes) {
    const { node } = n;
    q.insertNode.run(n.storyId, node.personId, n.seq, node.parent!.personId, node.depth, node.departmentId, n.parentDepartmentId, n.atMs, n.edge, node.below);
    node.written = true;
  }
  for (const [storyId, nodes] of p.below) for (const node of nodes) q.below.run(node.below, storyId, node.personId);
  for (const s of p.rows) {
    q.grown.run({
      story_id: s.story_id, touches: s.touches, size: s.size, bucket: s.bucket, wiener: s.wiener, depth_sum: s.depth_sum, depth: s.depth,
      cross_edges: s.cross_edges, within_edges: s.within_edges, virality: s.virality,
    });
  }
  insertRows(q.growths, q.growth, p.growth, 4);
  for (const [storyId, byDepartment] of p.arrivals) for (const [departmentId, [n, atMs]] of byDepartment) q.arrival.run(storyId, departmentId, atMs, n);
  for (const [storyId, byDepth] of p.depths) for (const [depth, n] of byDepth) q.breadth.run(storyId, depth, n);
  for (const [storyId, byFrom] of p.flows) for (const [from, byTo] of byFrom) for (const [to, n] of byTo) q.flow.run(storyId, from, to, n);
  m.batch += 1;
  if (m.rows.size > STORY_ROWS_MAX) m.rows.clear();
  if (m.treeNodes > TREE_NODES_MAX) {
    // drop the least recently exposed stories until half the room is free
    const byUse = [...m.trees].sort((a, b) => a[1].used - b[1].used);
    for (const [storyId, tree] of byUse) {
      if (m.treeNodes <= TREE_NODES_MAX / 2) break;
      m.trees.delete(storyId);
      m.treeNodes -= tree.nodes.size;
    }
  }
}

function applyOne(db: Views, e: ProjectedEvent): void {
  const q = stmts(db);
  const atMs = Date.parse(e.metadata.at);
  if (applyReviewSetting(q.review, e)) return;
  switch (e.type) {
    case 'DepartmentOpened':
      q.openDepartment.run(e.data.departmentId, e.data.name);
      return;
    case 'DepartmentRenamed':
      q.renameDepartment.run(e.data.name, e.data.departmentId);
      return;
    case 'DepartmentClosed':
      q.closeDepartment.run(e.data.departmentId);
      return;
    case 'EmployeeJoined':
      q.person.run(e.data.employeeId, e.data.departmentId);
      q.history.run(e.data.employeeId, e.position, e.data.departmentId);
      inDepartment(memoryOf(db), e.data.employeeId, e.data.departmentId);
      return;
    case 'EmployeeTransferred':
      q.transfer.run(e.data.departmentId, e.data.employeeId);
      q.history.run(e.data.employeeId, e.position, e.data.departmentId);
      inDepartment(memoryOf(db), e.data.employeeId, e.data.departmentId);
      return;
    case 'EmployeeLeft':
      q.left.run(e.data.employeeId);
      return;
    case 'ThemeDefined':
      q.defineTheme.run(e.data.themeId, e.data.name);
      return;
    case 'StorySubmitted': {
      const d = e.data;
      const m = memoryOf(db);
      if (storyRow(m, q, d.storyId)) return; // a story id is submitted once
      m.position = e.position;
      const dept = m.departmentOf(d.tellerId);
      q.insertStory.run(d.storyId, d.tellerId, d.title, atMs, dept);
      q.title.run(d.storyId, e.position, d.title);
      if (reviewIsOn(q.review)) q.hold.run(d.storyId);
      q.insertNode.run(d.storyId, d.tellerId, 0, null, 0, dept, null, atMs, null, 1);
      // a new story's tree is its root: no need to read it back
      const root: TreeNode = { personId: d.tellerId, parent: null, depth: 0, departmentId: dept, below: 1, written: true };
      m.trees.set(d.storyId, { nodes: new Map([[d.tellerId, root]]), root, used: m.batch });
      m.treeNodes += 1;
      arrived(m.pending, d.storyId, dept, 0, atMs);
      for (const t of d.themes) themeStory(q, d.storyId, t, e.position);
      // a retelling exposes its teller to the original story
      if (d.retellingOf !== undefined) applyExposure(db, d.retellingOf, { personId: d.tellerId, atMs }, e.position);
      return;
    }
    case 'StoryAmended':
      if (e.data.title !== undefined) {
        q.retitle.run(e.data.title, e.data.storyId);
        q.retitled.run(e.position, e.data.title, e.data.storyId);
      }
      return;
    case 'PersonErased':
      q.eraseTitles.run(REMOVED_TEXT, e.data.employeeId);
      q.erasedTitles.run(REMOVED_TEXT, e.data.employeeId);
      return;
    case 'StoryThemed':
      themeStory(q, e.data.storyId, e.data.themeId, e.position);
      return;
    case 'StoryUnthemed':
      if (q.untheme.run(e.data.storyId, e.data.themeId).changes > 0) q.themeLog.run(e.data.storyId, e.data.themeId, e.position, null, 0);
      return;
    case 'StoryRetracted':
      q.retract.run(e.position, e.data.storyId);
      return;
    case 'StoryApproved': {
      q.approve.run(e.position, e.data.storyId);
      const kept = memoryOf(db).rows.get(e.data.storyId);
      if (kept) kept.awaiting = 0;
      return;
    }
    case 'StoryRead':
      applyExposure(db, e.data.storyId, { personId: e.data.readerId, atMs }, e.position);
      return;
    case 'StoryHeard':
      applyExposure(db, e.data.storyId, { personId: e.data.listenerId, sourceId: e.data.fromId, atMs }, e.position);
      return;
    case 'StoryShared':
      applyExposure(db, e.data.storyId, { personId: e.data.toId, sourceId: e.data.fromId, atMs }, e.position);
      memoryOf(db).pending.shared.push(e.data.toId, e.data.storyId, atMs);
      return;
    default:
      return;
  }
}

const forget = (db: Views): void => void memories.delete(db);

export const spreadProjection: Projection = {
  name: 'spread',
  // 8: stories awaiting review (issue 12); 9: what the archive as it stood at a log position reads
  // (titles, themes, size and virality by position; approval and retraction positions)
  version: 9,
  // several writes per exposure: its own lane, so stories and search do not wait for it
  lane: 'spread',
  setup(db) {
    db.exec(SCHEMA + reviewCopySchema('spread'));
  },
  reset(db) {
    db.exec(TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join('\n') + reviewCopyDrop('spread'));
    stmts.forget(db);
    forget(db);
  },
  invalidate: forget,
  apply(db, e) {
    spreadProjection.applyBatch!(db, [e]);
  },
  applyBatch(db, events) {
    try {
      for (const e of events) applyOne(db, e);
      flush(db);
    } catch (err) {
      // the caller rolls the batch back: what memory holds may be ahead of the tables
      forget(db);
      throw err;
    }
  },
};
