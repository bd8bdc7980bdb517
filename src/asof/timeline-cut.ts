import { upcast } from '../../events/catalogue.ts';
import { openViews } from '../projections/runtime.ts';
import type { ProjectedEvent, Projection, Views } from '../projections/runtime.ts';
import type { EventStore, RecordedEvent } from '../store/port.ts';
import { inCut } from './cut.ts';
import type { Cut } from './cut.ts';

/**
 * Every timeline as of a date whose cut is a prefix of the log, without building the date: the
 * stories model (and the org model, which a person's and a department's timeline read) AS IT STOOD
 * AT THE CUT, materialized into a small in-memory views database from the live read models, read
 * in the same read transaction as the cut was found. The real timeline routes then read it, so
 * paging, "most circulated", the browse lists and 404s are theirs.
 *
 * The stories model keeps, with the log position where it happened, everything a story's row
 * shows that can change after it is told (src/projections/stories.ts, version 6):
 * - `story_history.position`: amendments (the text after each), themes added and removed (and,
 *   on the StorySubmitted row, `themes`: those given when told), retraction;
 * - `story_changes`: review state (waiting, returned with its note, published) and the leader's
 *   link (told so, or LeaderLinked);
 * - `story_exposure_log`: the story's exposure after each event that exposed someone new to it.
 * So the rows at the cut are:
 * - `story_stories`: the stories told before the cut; for a story with a change at or after the cut,
 *   its text, themes, retraction, review and link are folded from the rows before the cut, exactly
 *   as the projection applied them; every other story's row now is its row then. What never
 *   changes after telling (teller, leader as written, department, dates, relation, anonymity) is
 *   read as it is now. Erasure rewrites a story's text and leader now; a rebuild of the truncated
 *   log reads the same text (the sealed fields of an erased person read as the marker once their
 *   key is gone: src/privacy/), so the scrubbed value is the value at the cut too.
 * - `exposure` (and `story_themes.exposure`): the story's last `story_exposure_log` row before the cut.
 * - `story_themes`: the themes at the cut, with `live` as the projection sets it (on theming, on
 *   retraction, on approval), copied as they are for the stories unchanged since.
 * - themes, departments (both models' copies), the review setting: their streams up to the cut,
 *   applied by the real projections (a few small streams).
 * - people (`story_people`, `org_employees`): copied as they are now when nothing about them can
 *   have changed since the cut (their last join and any leave before the cutoff, no transfer since:
 *   the spread model keeps transfers by position), else their own stream up to the cut through the
 *   real projections. `roles` and `email` are copied as they are: no timeline reads them.
 * Not copied: `story_history`, `story_exposed`, `story_exposure_log`, `story_start_here`, `story_changes` (no timeline reads them).
 * test/http/as-of.test.ts compares every timeline page with a rebuild of the truncated log on random logs.
 */

/** each cut's database: its page cache stays small, it is in memory anyway */
const CACHE_MB = 8;

interface StoryState {
  title: string;
  body: string;
  amended_at: string | null;
  revision: number;
  retracted: number;
  retracted_at: string | null;
  retracted_reason: string | null;
  review: string | null;
  review_note: string | null;
  review_since: string | null;
  review_returned_at: string | null;
  leader_id: string | null;
  /** theme id → live, as the projection sets it */
  themes: Map<string, number>;
}

type HistoryRow = { revision: number; type: string; at: string; reason: string | null; title_after: string | null; body_after: string | null; theme_id: string | null; position: number; themes: string | null };
type ChangeRow = { position: number; change: string; value: string | null; at: string; revision: number };

/**
 * One story's changing fields at the cut: its history and changes before the cut, in log order,
 * applied as src/projections/stories.ts applies their events.
 */
function foldStory(history: HistoryRow[], changes: ChangeRow[]): StoryState | undefined {
  const steps = [...history.map((h) => ({ position: h.position, h })), ...changes.map((c) => ({ position: c.position, c }))]
    // at one position (StorySubmitted) the history row first: it makes the row the changes apply to
    .sort((a, b) => a.position - b.position || ('h' in a ? -1 : 1) - ('h' in b ? -1 : 1));
  let s: StoryState | undefined;
  let toldAt = -1;
  for (const step of steps) {
    if ('h' in step) {
      const h = step.h;
      if (h.type === 'StorySubmitted') {
        s = {
          title: h.title_after ?? '', body: h.body_after ?? '', amended_at: null, revision: h.revision, retracted: 0, retracted_at: null, retracted_reason: null,
          review: null, review_note: null, review_since: null, review_returned_at: null, leader_id: null, themes: new Map(),
        };
        for (const t of JSON.parse(h.themes ?? '[]') as string[]) if (!s.themes.has(t)) s.themes.set(t, 1);
        toldAt = h.position;
        continue;
      }
      if (!s) continue;
      if (h.type === 'StoryAmended') {
        s.title = h.title_after ?? s.title;
        s.body = h.body_after ?? s.body;
        s.revision = h.revision;
        s.amended_at = h.at;
      } else if (h.type === 'StoryThemed' || h.type === 'StoryUnthemed') {
        if (h.type === 'StoryThemed' && !s.themes.has(h.theme_id!)) s.themes.set(h.theme_id!, s.retracted === 0 && s.review === null ? 1 : 0);
        else if (h.type === 'StoryUnthemed') s.themes.delete(h.theme_id!);
        s.revision = h.revision;
      } else if (h.type === 'StoryRetracted') {
        s.retracted = 1;
        s.retracted_at = h.at;
        s.retracted_reason = h.reason;
        s.revision = h.revision;
        for (const t of s.themes.keys()) s.themes.set(t, 0);
      }
      continue;
    }
    const c = step.c;
    if (!s) continue;
    if (c.change === 'waiting') {
      // entering the queue changes no revision (awaitReview)
      s.review = 'waiting';
      s.review_since = c.at;
      // told into the queue: its themes were inserted not live (amended back into it: they stay as they are)
      if (c.position === toldAt) for (const t of s.themes.keys()) s.themes.set(t, 0);
    } else if (c.change === 'returned') {
      s.review = 'returned';
      s.review_note = c.value;
      s.review_returned_at = c.at;
      s.revision = c.revision;
    } else if (c.change === 'published') {
      s.review = null;
      s.review_note = null;
      s.review_since = null;
      s.revision = c.revision;
      if (s.retracted === 0) for (const t of s.themes.keys()) s.themes.set(t, 1);
    } else if (c.change === 'linked') {
      s.leader_id = c.value;
      s.revision = c.revision;
    }
  }
  return s;
}

/**
 * The events of `streams` in the cut, in log order, each id once (a store may deliver one twice, as
 * the runtime allows for), upcast as the runtime delivers them.
 */
async function streamsAtCut(store: EventStore, cut: Cut, streams: Iterable<string>): Promise<ProjectedEvent[]> {
  const ids = new Set<string>();
  const events: RecordedEvent[] = [];
  for (const s of streams) {
    for (const e of await store.readStream(s)) {
      if (!inCut(e, cut) || ids.has(e.id)) continue;
      ids.add(e.id);
      events.push(e);
    }
  }
  events.sort((a, b) => a.position - b.position);
  return events.map((e) => {
    const data = upcast(e.type, e.data, e.metadata.v ?? 1);
    return (data === e.data ? e : { ...e, data }) as unknown as ProjectedEvent;
  });
}

/** Copies `rows` (raw, in `columns` order) into `table` of `db`. */
function insertRows(db: Views, table: string, columns: string[], rows: unknown[][]): void {
  const ins = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const r of rows) ins.run(...r);
}

const columnsOf = (db: Views, table: string): string[] => (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]);

/**
 * The stories and org models at the cut (see above) in a new in-memory database. `live` is the
 * live views.db at `cut.factsPosition`, inside the read transaction the cut was found in;
 * `projections` are the stories and org projections (their `setup` makes the tables, their `apply`
 * folds the small streams).
 */
export async function timelinesAtCut(live: Views, store: EventStore, cut: Cut, projections: Projection[]): Promise<Views> {
  const db = openViews(':memory:');
  db.pragma(`cache_size = -${CACHE_MB * 1024}`);
  try {
    for (const p of projections) p.setup(db);
    await fill(db, live, store, cut, projections);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

async function fill(db: Views, live: Views, store: EventStore, cut: Cut, projections: Projection[]): Promise<void> {
  // the first position left out (the live models hold nothing after factsPosition)
  const end = Math.min(cut.firstOut, cut.factsPosition + 1);

  // ---- read from the live models (all of it before the first await: one read transaction) ----
  const storyColumns = columnsOf(db, 'story_stories');
  const col = new Map(storyColumns.map((c, i) => [c, i]));
  const stories = live.prepare(`SELECT ${storyColumns.join(', ')} FROM story_stories WHERE told_position < ?`).raw().all(end) as unknown[][];
  const told = new Set(stories.map((r) => r[col.get('story_id')!] as string));
  const changed = new Set(
    (live.prepare('SELECT story_id FROM story_history WHERE position >= ? UNION SELECT story_id FROM story_changes WHERE position >= ?').pluck().all(end, end) as string[])
      .filter((id) => told.has(id)),
  );
  const historyOf = live.prepare<[string, number], HistoryRow>(
    'SELECT revision, type, at, reason, title_after, body_after, theme_id, position, themes FROM story_history WHERE story_id = ? AND position < ? ORDER BY position',
  );
  const changesOf = live.prepare<[string, number], ChangeRow>('SELECT position, change, value, at, revision FROM story_changes WHERE story_id = ? AND position < ? ORDER BY position');
  const folded = new Map<string, StoryState>();
  for (const id of changed) {
    const s = foldStory(historyOf.all(id, end), changesOf.all(id, end));
    if (s) folded.set(id, s);
  }
  // exposure at the cut: each story's last exposure count before it (one seek a story)
  const exposureAt = live.prepare<[string, number], number>('SELECT exposure FROM story_exposure_log WHERE story_id = ? AND position < ? ORDER BY position DESC LIMIT 1').pluck();
  const exposure = new Map<string, number>();
  for (const id of told) exposure.set(id, exposureAt.get(id, end) ?? 0);
  const themeRows = (live.prepare('SELECT story_id, theme_id, live FROM story_themes').raw().all() as [string, string, number][]).filter(([id]) => told.has(id) && !changed.has(id));
  const themeIds = live.prepare('SELECT theme_id FROM theme_themes').pluck().all() as string[];
  const departmentIds = live.prepare('SELECT department_id FROM org_departments UNION SELECT department_id FROM story_departments').pluck().all() as string[];
  const employeeColumns = columnsOf(db, 'org_employees');
  const employees = live.prepare(`SELECT ${employeeColumns.join(', ')} FROM org_employees`).raw().all() as unknown[][];
  const names = new Map(live.prepare('SELECT employee_id, name FROM story_people').raw().all() as [string, string][]);
  const movedSince = new Set(live.prepare('SELECT DISTINCT employee_id FROM spread_department_history WHERE position >= ?').pluck().all(end) as string[]);

  // ---- the stories ----
  const ec = new Map(employeeColumns.map((c, i) => [c, i]));
  const before = (at: unknown): boolean => typeof at === 'string' && Date.parse(at) < cut.cutoffMs;
  db.transaction(() => {
    // the indexes made after the rows (one sort each, not one b-tree insert a row)
    const indexes = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('story_stories', 'story_themes') AND sql IS NOT NULL").all();
    for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
    const themesAtCut: unknown[][] = [];
    for (const r of stories) {
      const id = r[col.get('story_id')!] as string;
      const n = exposure.get(id) ?? 0;
      r[col.get('exposure')!] = n;
      const s = folded.get(id);
      if (s) {
        for (const [k, v] of Object.entries(s)) if (k !== 'themes') r[col.get(k)!] = v;
        for (const [t, liveFlag] of s.themes) themesAtCut.push([id, t, n, liveFlag, r[col.get('occurred_on')!], r[col.get('told_position')!]]);
      }
    }
    insertRows(db, 'story_stories', storyColumns, stories);
    const storyAt = new Map(stories.map((r) => [r[col.get('story_id')!] as string, r]));
    for (const [id, t, liveFlag] of themeRows) {
      const r = storyAt.get(id)!;
      themesAtCut.push([id, t, exposure.get(id) ?? 0, liveFlag, r[col.get('occurred_on')!], r[col.get('told_position')!]]);
    }
    insertRows(db, 'story_themes', ['story_id', 'theme_id', 'exposure', 'live', 'occurred_on', 'told_position'], themesAtCut);
    for (const i of indexes) db.exec(i.sql);
  })();

  // ---- people unchanged since the cut, as they are ----
  const fold = new Set<string>();
  const unchanged: unknown[][] = [];
  for (const r of employees) {
    const id = r[ec.get('employee_id')!] as string;
    const left = r[ec.get('left_at')!];
    if (before(r[ec.get('joined_at')!]) && (left === null || before(left)) && !movedSince.has(id)) unchanged.push(r);
    else fold.add(id);
  }
  db.transaction(() => {
    insertRows(db, 'org_employees', employeeColumns, unchanged);
    insertRows(db, 'story_people', ['employee_id', 'name'], unchanged.map((r) => {
      const id = r[ec.get('employee_id')!] as string;
      return [id, names.get(id) ?? r[ec.get('name')!]];
    }));
  })();

  // ---- themes, departments, the review setting, the other people: their streams to the cut ----
  const streams = ['archive-settings', ...themeIds.map((t) => `theme-${t}`), ...departmentIds.map((d) => `department-${d}`), ...[...fold].map((p) => `employee-${p}`)];
  const events = await streamsAtCut(store, cut, streams);
  db.transaction(() => {
    for (const p of projections) {
      if (p.applyBatch) p.applyBatch(db, events);
      else for (const e of events) p.apply(db, e);
    }
  })();
}

/** cuts kept, and the bytes their databases may hold together (least recently used out) */
export const TIMELINE_CUTS_KEPT = 4;
export const TIMELINE_BYTES = 256 * 2 ** 20;

const bytesOf = (db: Views): number => (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);

interface Kept<S> {
  value: S | undefined;
  db: Views | undefined;
  ready: Promise<void>;
  bytes: number;
  /** requests reading it now: never closed under them */
  users: number;
}

/**
 * The materialized cuts, by date and cut (`key`): built once, then every timeline page of that
 * date reads the same database. At most `maxCuts` within `maxBytes` together, least recently used
 * out; one being read when evicted is closed by its last reader. A cut stays right while the live
 * read models move on: the events appended later are after it.
 */
export class TimelineCuts<S> {
  private readonly kept = new Map<string, Kept<S>>();
  constructor(
    private readonly maxCuts = TIMELINE_CUTS_KEPT,
    private readonly maxBytes = TIMELINE_BYTES,
  ) {}

  async use<T>(key: string, build: () => Promise<Views>, wrap: (db: Views) => S, read: (value: S) => T | Promise<T>): Promise<T> {
    let entry = this.kept.get(key);
    if (entry) this.kept.delete(key);
    else {
      const e: Kept<S> = { value: undefined, db: undefined, ready: Promise.resolve(), bytes: 0, users: 0 };
      e.ready = build().then((db) => {
        e.db = db;
        e.value = wrap(db);
        e.bytes = bytesOf(db);
      });
      entry = e;
    }
    this.kept.set(key, entry);
    const kept = entry;
    kept.users += 1;
    try {
      try {
        await kept.ready;
      } catch (err) {
        if (this.kept.get(key) === kept) this.kept.delete(key);
        throw err;
      }
      this.evict(kept);
      return await read(kept.value!);
    } finally {
      kept.users -= 1;
      if (kept.users === 0 && this.kept.get(key) !== kept) kept.db?.close();
    }
  }

  private evict(keep: Kept<S>): void {
    let total = 0;
    for (const e of this.kept.values()) total += e.bytes;
    for (const [k, e] of this.kept) {
      if (total <= this.maxBytes && this.kept.size <= this.maxCuts) break;
      if (e === keep) continue;
      this.kept.delete(k);
      total -= e.bytes;
      if (e.users === 0) e.db?.close();
    }
  }

  /** Cuts kept and the bytes their databases hold (for tests and the bench). */
  size(): { cuts: number; bytes: number } {
    let bytes = 0;
    for (const e of this.kept.values()) bytes += e.bytes;
    return { cuts: this.kept.size, bytes };
  }

  close(): void {
    for (const e of this.kept.values()) if (e.users === 0) e.db?.close();
    this.kept.clear();
  }
}
