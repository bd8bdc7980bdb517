import type { Views } from '../projections/runtime.ts';
import { preparedPer } from '../projections/prepared.ts';
import { edgeFrom, edgeStory, edgeTo } from '../spread/edge-code.ts';

/**
 * The edge log (src/projections/edge-log.ts) held in memory as typed columns: per edge its time,
 * story number and the two department numbers (16 bytes an edge: about 30 MB at 2,000,000
 * exposures). Loaded once per views connection that counts a dashboard (in `serve`, only the
 * projection worker's: src/projections/worker.ts), then topped up with what the projection appended
 * since. A window's edges
 * are then a scan of flat arrays, a few milliseconds per million edges, where reading them from
 * the spread model's rows took about a second per million.
 */

export interface EdgeColumns {
  n: number;
  at: Float64Array;
  story: Int32Array;
  from: Uint16Array;
  to: Uint16Array;
}

interface Held {
  /** numbers the loads of this connection: a rebuilt log is loaded again under a new epoch */
  epoch: number;
  /** packed chunks, in log order, and where the next one starts */
  chunks: EdgeColumns[];
  nextChunk: number;
  tail: EdgeColumns;
}

const statements = preparedPer((db: Views) => ({
  count: db.prepare<[], number>(
    'SELECT coalesce((SELECT max(seq) + 1 FROM edge_log_tail), (SELECT max(first_seq + n) FROM edge_log_chunks), 0)',
  ).pluck(),
  chunks: db.prepare<[number], { first_seq: number; n: number; data: Buffer }>('SELECT first_seq, n, data FROM edge_log_chunks WHERE first_seq >= ? ORDER BY first_seq'),
  tail: db.prepare<[number], [number, number]>('SELECT at_ms, edge FROM edge_log_tail WHERE seq >= ? ORDER BY seq').raw(),
  changes: db.prepare<[], { org_changes: number; story_changes: number; changed_at: number }>('SELECT org_changes, story_changes, changed_at FROM edge_log_meta WHERE k = 1'),
}));

const held = new WeakMap<Views, Held>();

function columns(n: number): EdgeColumns {
  return { n, at: new Float64Array(n), story: new Int32Array(n), from: new Uint16Array(n), to: new Uint16Array(n) };
}
function put(c: EdgeColumns, i: number, at: number, edge: number): void {
  c.at[i] = at;
  c.story[i] = edgeStory(edge);
  c.from[i] = edgeFrom(edge);
  c.to[i] = edgeTo(edge);
}

/**
 * A chunk's binary columns (see packChunk) as typed columns: views on the blob's own bytes when they
 * are aligned for the 8-byte times (the usual case: SQLite's blob is copied into a buffer of its
 * own), otherwise one copy into an aligned buffer. Not copying halves what loading the log
 * allocates (two million edges: 32 MB, not 64 of which half is garbage until the next collection).
 */
export function unpackChunk(n: number, data: Buffer): EdgeColumns {
  let bytes: ArrayBufferLike = data.buffer;
  let offset = data.byteOffset;
  if (offset % 8 !== 0) {
    bytes = new ArrayBuffer(n * 16);
    new Uint8Array(bytes).set(data.subarray(0, n * 16));
    offset = 0;
  }
  return {
    n,
    at: new Float64Array(bytes, offset, n),
    story: new Int32Array(bytes, offset + n * 8, n),
    from: new Uint16Array(bytes, offset + n * 12, n),
    to: new Uint16Array(bytes, offset + n * 14, n),
  };
}

/** Appends rows to the tail, growing its arrays by doubling. */
function grow(c: EdgeColumns, rows: [number, number][]): EdgeColumns {
  let out = c;
  if (c.n + rows.length > c.at.length) {
    out = columns(Math.max(64, 2 * (c.n + rows.length)));
    out.at.set(c.at.subarray(0, c.n));
    out.story.set(c.story.subarray(0, c.n));
    out.from.set(c.from.subarray(0, c.n));
    out.to.set(c.to.subarray(0, c.n));
  }
  out.n = c.n;
  for (const [at, edge] of rows) put(out, out.n++, at, edge);
  return out;
}

let epochs = 0;

/**
 * The edge log as it is now in views.db: what was appended since the last look is read (a few
 * small queries when nothing was), so it is exact even within one turn of the event loop. The log
 * is the same for the same event log however it was batched, so only a log shorter than what is
 * held (views.db rebuilt, and not caught up yet) makes it load again from the start.
 */
export function edgeLog(db: Views): { epoch: number; chunks: readonly EdgeColumns[]; tail: EdgeColumns } {
  const q = statements(db);
  let h = held.get(db);
  // one read transaction: the projection may pack the tail into a chunk between two statements
  db.transaction(() => {
    const count = q.count.get();
    if (count === undefined) throw new Error('the edge-log read model is missing (its projection has not run on this views.db)');
    if (!h || count < h.nextChunk + h.tail.n) held.set(db, (h = { epoch: ++epochs, chunks: [], nextChunk: 0, tail: columns(0) }));
    const x = h;
    let packed = false;
    for (const r of q.chunks.all(x.nextChunk)) {
      x.chunks.push(unpackChunk(r.n, r.data));
      x.nextChunk = r.first_seq + r.n;
      packed = true;
    }
    // the tail only grows until it is packed into a chunk: then it starts again
    if (packed) x.tail = columns(0);
    const rows = q.tail.all(x.nextChunk + x.tail.n);
    if (rows.length) x.tail = grow(x.tail, rows);
  })();
  return h!;
}

/** How many edges this connection holds in memory (0: never loaded; in `serve`, only the projection worker's connection loads it). */
export function edgesHeld(db: Views): number {
  const h = held.get(db);
  return h ? h.chunks.reduce((n, c) => n + c.n, 0) + h.tail.n : 0;
}

/** How far a reader has gone through the edge log: the load it read and the edges visited. */
export interface EdgeMark {
  epoch: number;
  edges: number;
}

/**
 * Calls `visit` with the story number, the parent's and child's department numbers and the time of every
 * edge added in [from, to) that the log holds past `after` (all of them without a mark, or when the
 * log was rebuilt since the mark: `restarted` then says so). Returns the new mark. Visiting from no
 * mark gives the same edges, in another order, as
 * `SELECT edge FROM spread_nodes WHERE at_ms >= from AND at_ms < to AND edge IS NOT NULL`.
 */
export function edgesInWindow(
  db: Views,
  from: number,
  to: number,
  visit: (storyNo: number, fromNo: number, toNo: number, atMs: number) => void,
  after?: EdgeMark,
): { mark: EdgeMark; restarted: boolean } {
  const log = edgeLog(db);
  const restarted = after !== undefined && after.epoch !== log.epoch;
  let skip = after && !restarted ? after.edges : 0;
  let total = 0;
  for (const c of [...log.chunks, log.tail]) {
    total += c.n;
    if (skip >= c.n) {
      skip -= c.n;
      continue;
    }
    const { at, story, from: f, to: t } = c;
    for (let i = skip; i < c.n; i++) {
      const a = at[i]!;
      if (a >= from && a < to) visit(story[i]!, f[i]!, t[i]!, a);
    }
    skip = 0;
  }
  return { mark: { epoch: log.epoch, edges: total }, restarted };
}

/** The edges added in [from, to) read from the spread model's nodes, as the dashboard did before the edge log (the reference the tests compare with). */
export function edgesInWindowFromNodes(db: Views, from: number, to: number, visit: (storyNo: number, fromNo: number, toNo: number) => void): void {
  for (const edge of db.prepare<[number, number], number>('SELECT edge FROM spread_nodes WHERE at_ms >= ? AND at_ms < ? AND edge IS NOT NULL').pluck().iterate(from, to)) {
    visit(edgeStory(edge), edgeFrom(edge), edgeTo(edge));
  }
}


/**
 * A key that changes whenever departments, people, themes or stories change (not on exposures):
 * what the dashboard works out from those alone can be kept under it.
 */
export function orgAndStoriesVersion(db: Views): string {
  const r = statements(db).changes.get();
  if (r === undefined) throw new Error('the edge-log read model is missing (its projection has not run on this views.db)');
  // the counts are a function of the log's position, so a rebuilt model reaching the same counts holds the same
  return `${r.org_changes}|${r.story_changes}`;
}

/**
 * A key that changes whenever anything the dashboard reads changes (departments, people, themes,
 * stories, exposures: the spread and edge-log read models), and not when other read models do
 * (sessions, search, the reading model): a dashboard page kept at one version is current while it
 * holds (src/read/kept-latest.ts, src/http/dashboard.tsx), so a page read under a stream of sign-ins
 * costs nothing, and under a stream of exposures one recount runs at a time (in serve, on the
 * projection worker) while the last page is served. `changed_at` is the log position of
 * the last such event (0 on a model built before it was kept, until the next change).
 */
export function dashboardVersion(db: Views): string {
  const r = statements(db).changes.get();
  if (r === undefined) throw new Error('the edge-log read model is missing (its projection has not run on this views.db)');
  return `${r.org_changes}|${r.story_changes}|${r.changed_at}`;
}
