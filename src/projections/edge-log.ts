import type { Projection, ProjectedEvent, Views } from './runtime.ts';
import { preparedPer } from './prepared.ts';
import { spreadProjection } from './spread.ts';
import { edgeFrom, edgeStory, edgeTo } from '../spread/edge-code.ts';

/**
 * The edge log: every cascade edge of the spread read model (its time and its packed story and
 * departments, src/spread/edge-code.ts), append-only, packed in chunks of CHUNK edges as binary
 * columns. The dashboard keeps it in memory as typed arrays (src/read/edge-log.ts), loads it in a
 * few dozen milliseconds after a rebuild, and afterwards reads only what was appended since, so no
 * request reads the spread projection's nodes row by row (at 2,000,000 exposures that took seconds).
 *
 * It is its own projection so that the spread projection's write path stays its own: it follows
 * the spread model's tables, which the runtime has brought up to date for the whole batch before
 * this projection runs (it comes after `spread` in allProjections). After each exposure it copies
 * the nodes that exposure added (see follow), so the log holds each edge once, in log order,
 * whatever the batch boundaries: a rebuild writes the same log. It also counts the events that change
 * what the dashboard reads besides exposures (ORG_CHANGES, STORY_CHANGES), and keeps the log position
 * of the last event that changed anything the dashboard reads (`changed_at`): the dashboard keeps its
 * pages until that moves (src/read/edge-log.ts, dashboardVersion). Its version follows the spread
 * projection's, so rebuilding that model rebuilds this one.
 */

/** edges per packed chunk; the unpacked tail stays below this */
const CHUNK = 4096;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS edge_log_meta (
  k INTEGER PRIMARY KEY CHECK (k = 1),
  org_changes INTEGER NOT NULL DEFAULT 0, -- events that change departments, people or themes
  story_changes INTEGER NOT NULL DEFAULT 0, -- events that change a story's existence, themes or state
  changed_at INTEGER NOT NULL DEFAULT 0 -- the log position of the last event that changed anything the dashboard reads
);
CREATE TABLE IF NOT EXISTS edge_log_chunks (
  first_seq INTEGER PRIMARY KEY, n INTEGER NOT NULL,
  data BLOB NOT NULL -- the edges' columns (see packChunk)
);
CREATE TABLE IF NOT EXISTS edge_log_tail (seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, edge INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS edge_log_seen (story_id TEXT PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
`;
const TABLES = ['edge_log_meta', 'edge_log_chunks', 'edge_log_tail', 'edge_log_seen'];

const statements = preparedPer((db: Views) => ({
  story: db.prepare<[string], number>('SELECT 1 FROM spread_stories WHERE story_id = ?').pluck(),
  seen: db.prepare<[string], number>('SELECT size FROM edge_log_seen WHERE story_id = ?').pluck(),
  see: db.prepare('INSERT INTO edge_log_seen (story_id, size) VALUES (?, ?) ON CONFLICT (story_id) DO UPDATE SET size = excluded.size'),
  node: db.prepare<[string, string], { seq: number; at_ms: number; edge: number | null }>('SELECT seq, at_ms, edge FROM spread_nodes WHERE story_id = ? AND person_id = ?'),
  append: db.prepare('INSERT INTO edge_log_tail (seq, at_ms, edge) VALUES (?, ?, ?)'),
  tail: db.prepare<[], [number, number]>('SELECT at_ms, edge FROM edge_log_tail ORDER BY seq').raw(),
  clearTail: db.prepare('DELETE FROM edge_log_tail'),
  changed: db.prepare<[number, number, number]>('UPDATE edge_log_meta SET org_changes = org_changes + ?, story_changes = story_changes + ?, changed_at = max(changed_at, ?) WHERE k = 1'),
  pack: db.prepare('INSERT INTO edge_log_chunks (first_seq, n, data) VALUES (?, ?, ?)'),
  nextSeq: db.prepare<[], number>(
    'SELECT coalesce((SELECT max(seq) + 1 FROM edge_log_tail), (SELECT max(first_seq + n) FROM edge_log_chunks), 0)',
  ).pluck(),
  chunkStart: db.prepare<[], number>('SELECT coalesce((SELECT max(first_seq + n) FROM edge_log_chunks), 0)').pluck(),
}));

/** What this connection remembers of the tables (forgotten by invalidate and reset). */
interface Memory {
  next: number;
  chunkStart: number;
  seen: Map<string, number>;
}
const memory = new WeakMap<Views, Memory>();
const SEEN_MAX = 100_000;

function remembered(db: Views): Memory {
  let m = memory.get(db);
  if (!m) {
    const q = statements(db);
    memory.set(db, (m = { next: q.nextSeq.get()!, chunkStart: q.chunkStart.get()!, seen: new Map() }));
  }
  return m;
}

/**
 * Packs the tail into one chunk of binary columns, each edge already taken apart, so loading a
 * chunk is a copy, not work per edge: n times (float64), n story numbers (int32), n parent's and
 * then n child's department numbers (uint16), in the machine's byte order.
 */
export function packChunk(rows: [number, number][]): Buffer {
  const n = rows.length;
  const bytes = new ArrayBuffer(n * 16);
  const at = new Float64Array(bytes, 0, n);
  const story = new Int32Array(bytes, n * 8, n);
  const from = new Uint16Array(bytes, n * 12, n);
  const to = new Uint16Array(bytes, n * 14, n);
  rows.forEach(([atMs, edge], i) => {
    at[i] = atMs;
    story[i] = edgeStory(edge);
    from[i] = edgeFrom(edge);
    to[i] = edgeTo(edge);
  });
  return Buffer.from(bytes);
}

/**
 * Copies the nodes this exposure added to the story's cascade. The spread model numbers a story's
 * nodes by `seq` in log order, and this projection meets the exposures in the same order, so the
 * exposure added a person's node exactly when that node's seq is the next one not yet copied (the
 * source first, then the person exposed, as SPREAD.md adds them). The log thus holds the edges in
 * log order, the same however the events were batched.
 */
function follow(db: Views, storyId: string, people: string[], chunk: number): void {
  const q = statements(db);
  if (q.story.get(storyId) === undefined) return; // a story the log does not hold: the spread model left it out too
  const m = remembered(db);
  let seen = m.seen.get(storyId);
  if (seen === undefined) {
    seen = q.seen.get(storyId) ?? 1; // the root (seq 0) heads no edge
    if (m.seen.size >= SEEN_MAX) m.seen.clear();
    m.seen.set(storyId, seen);
  }
  const before = seen;
  for (const personId of people) {
    const node = q.node.get(storyId, personId);
    if (node === undefined || node.seq !== seen) continue;
    seen += 1;
    if (node.edge === null) continue;
    q.append.run(m.next, node.at_ms, node.edge);
    m.next += 1;
    if (m.next - m.chunkStart >= chunk) {
      q.pack.run(m.chunkStart, m.next - m.chunkStart, packChunk(q.tail.all()));
      q.clearTail.run();
      m.chunkStart = m.next;
    }
  }
  if (seen !== before) {
    q.see.run(storyId, seen);
    m.seen.set(storyId, seen);
  }
}

/**
 * Events after which the dashboard's figures that do not depend on exposures (departments folded
 * by headcount, stories told, themes) must be worked out again; they are counted in edge_log_meta
 * so the dashboard can keep those figures while only exposures come in.
 */
const ORG_CHANGES = new Set(['DepartmentOpened', 'DepartmentRenamed', 'DepartmentClosed', 'EmployeeJoined', 'EmployeeTransferred', 'EmployeeLeft', 'ThemeDefined']);
const STORY_CHANGES = new Set(['StorySubmitted', 'StoryAmended', 'StoryThemed', 'StoryUnthemed', 'StoryRetracted', 'StoryApproved']);

/** The story an event exposes someone to, and who may have joined its cascade: the source, then the person (SPREAD.md's exposures). */
function exposure(e: ProjectedEvent): { storyId: string; people: string[] } | undefined {
  switch (e.type) {
    case 'StoryRead':
      return { storyId: e.data.storyId, people: [e.data.readerId] };
    case 'StoryHeard':
      return { storyId: e.data.storyId, people: e.data.fromId === undefined ? [e.data.listenerId] : [e.data.fromId, e.data.listenerId] };
    case 'StoryShared':
      return { storyId: e.data.storyId, people: [e.data.fromId, e.data.toId] };
    case 'StorySubmitted':
      return e.data.retellingOf === undefined ? undefined : { storyId: e.data.retellingOf, people: [e.data.tellerId] };
    default:
      return undefined;
  }
}

/** The projection, with the chunk size as a parameter so tests can make chunks of a few edges. */
export function edgeLogProjection(chunk = CHUNK): Projection {
  const projection: Projection = {
    name: 'edge-log',
    version: spreadProjection.version * 1000 + 4,
    // it reads the spread model's tables as they stand after each batch: it must share its lane
    // (projections in one lane apply a batch in order, each after the one before)
    ...(spreadProjection.lane !== undefined ? { lane: spreadProjection.lane } : {}),
    setup(db) {
      db.exec(SCHEMA);
      // a model built before changed_at (issue 10) gains the column without a rebuild: it is read
      // only to see that something changed, so starting from 0 loses nothing
      const columns = db.prepare<[], { name: string }>('PRAGMA table_info(edge_log_meta)').all();
      if (!columns.some((c) => c.name === 'changed_at')) db.exec('ALTER TABLE edge_log_meta ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0');
      db.prepare('INSERT OR IGNORE INTO edge_log_meta (k) VALUES (1)').run();
    },
    reset(db) {
      db.exec(TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join('\n'));
      statements.forget(db);
      memory.delete(db);
    },
    invalidate(db) {
      memory.delete(db);
    },
    apply(db, e) {
      projection.applyBatch!(db, [e]);
    },
    applyBatch(db, events) {
      // the counts and the position of the last change are written once per batch
      let org = 0;
      let story = 0;
      let changedAt = -1;
      for (const e of events) {
        const x = exposure(e);
        if (ORG_CHANGES.has(e.type)) org += 1;
        if (STORY_CHANGES.has(e.type)) story += 1;
        if (x !== undefined) follow(db, x.storyId, x.people, chunk);
        if (x !== undefined || ORG_CHANGES.has(e.type) || STORY_CHANGES.has(e.type)) changedAt = e.position;
      }
      if (changedAt >= 0) statements(db).changed.run(org, story, changedAt);
    },
  };
  return projection;
}
