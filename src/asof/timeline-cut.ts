import { upcast } from '../../events/catalogue.ts';
import { openViews } from '../projections/runtime.ts';
import type { ProjectedEvent, Projection, Views } from '../projections/runtime.ts';
import type { EventStore, RecordedEvent } from '../store/port.ts';
import { inCut } from './cut.ts';
import type { Cut } from './cut.ts';

/**
 * Every timeline as of a date whose cut is a prefix of the log, without building the date: the
 * stories model (and the org model, which a person's and a department's timeline read) AS IT STOOD
 * AT THE CUT, materialized into a small in-memory views database from the live read models (copied
 * in SQL from the live views.db attached to it, in one read transaction). The real timeline routes
 * then read it, so paging, "most circulated", the browse lists and 404s are theirs.
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

const columnsOf = (db: Views, table: string): string[] => (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]);

/**
 * The stories and org models at the cut (see above) in a new in-memory database. `live` is the
 * connection the cut was found on (its file is attached: its read models are at or after
 * `cut.factsPosition`); `projections` are the stories and org projections (their `setup` makes the
 * tables, their `apply` folds the small streams).
 */
export async function timelinesAtCut(live: Views, store: EventStore, cut: Cut, projections: Projection[]): Promise<Views> {
  const db = openViews(':memory:');
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
  const storyColumns = columnsOf(db, 'story_stories').join(', ');
  const employeeColumns = columnsOf(db, 'org_employees').join(', ');
  // before the cutoff: an `at` as the cut reads it (Date.parse, as every cut does)
  db.function('before_cut', { deterministic: true }, (at: unknown) => (typeof at === 'string' && Date.parse(at) < cut.cutoffMs ? 1 : 0));
  // the live views.db attached to this connection, and copied from in SQL (no row goes
  // through JavaScript). Its read transaction may see later rows than the one the cut was found in;
  // every row is chosen by log position or by what changed since, read in this same transaction,
  // so a later state gives the same rows at the cut (events appended since are after the cut)
  // (by its path: this connection does not take URIs, so not `mode=ro`; nothing here writes to it)
  db.exec(`ATTACH DATABASE '${live.name.replace(/'/g, "''")}' AS live`);
  let themeIds: string[] = [];
  let departmentIds: string[] = [];
  let fold: string[] = [];
  try {
    db.transaction(() => {
      const behind = db.prepare<[number], number>("SELECT count(*) FROM live.checkpoints WHERE name IN ('stories', 'org') AND position < ?").pluck().get(cut.factsPosition);
      if (behind) throw new Error('the live read models are behind the cut (being rebuilt): the date is not read at its cut');
      // the indexes made after the rows (one sort each, not one b-tree insert a row)
      const indexes = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name IN ('story_stories', 'story_themes') AND sql IS NOT NULL").all();
      for (const i of indexes) db.exec(`DROP INDEX main.${i.name}`);
      db.prepare(`INSERT INTO main.story_stories (${storyColumns}) SELECT ${storyColumns} FROM live.story_stories WHERE told_position < ?`).run(end);
      // exposure at the cut: each story's last exposure count before it (one seek a story)
      db.prepare(
        `UPDATE main.story_stories SET exposure = coalesce((SELECT l.exposure FROM live.story_exposure_log l
           WHERE l.story_id = main.story_stories.story_id AND l.position < ? ORDER BY l.position DESC LIMIT 1), 0)`,
      ).run(end);
      // the stories with a change at or after the cut: their changing fields folded from the rows before it
      const changed = db.prepare<[number, number], string>(
        `SELECT story_id FROM live.story_history WHERE position >= ? UNION SELECT story_id FROM live.story_changes WHERE position >= ?
         INTERSECT SELECT story_id FROM main.story_stories`,
      ).pluck().all(end, end);
      const historyOf = db.prepare<[string, number], HistoryRow>(
        'SELECT revision, type, at, reason, title_after, body_after, theme_id, position, themes FROM live.story_history WHERE story_id = ? AND position < ? ORDER BY position',
      );
      const changesOf = db.prepare<[string, number], ChangeRow>('SELECT position, change, value, at, revision FROM live.story_changes WHERE story_id = ? AND position < ? ORDER BY position');
      const fields = ['title', 'body', 'amended_at', 'revision', 'retracted', 'retracted_at', 'retracted_reason', 'review', 'review_note', 'review_since', 'review_returned_at', 'leader_id'] as const;
      const update = db.prepare(`UPDATE main.story_stories SET ${fields.map((f) => `${f} = ?`).join(', ')} WHERE story_id = ?`);
      const themes = db.prepare('INSERT INTO main.story_themes (story_id, theme_id, exposure, live, occurred_on, told_position) SELECT story_id, ?, exposure, ?, occurred_on, told_position FROM main.story_stories WHERE story_id = ?');
      const folded: string[] = [];
      for (const id of changed) {
        const s = foldStory(historyOf.all(id, end), changesOf.all(id, end));
        if (!s) continue;
        folded.push(id);
        update.run(...fields.map((f) => s[f]), id);
        for (const [t, liveFlag] of s.themes) themes.run(t, liveFlag, id);
      }
      // every other story's themes as they are (with the exposure at the cut)
      db.prepare(
        `INSERT INTO main.story_themes (story_id, theme_id, exposure, live, occurred_on, told_position)
         SELECT st.story_id, st.theme_id, s.exposure, st.live, s.occurred_on, s.told_position FROM live.story_themes st
         JOIN main.story_stories s ON s.story_id = st.story_id WHERE st.story_id NOT IN (SELECT value FROM json_each(?))`,
      ).run(JSON.stringify(folded));
      for (const i of indexes) db.exec(i.sql);
      // people unchanged since the cut (last join and any leave before the cutoff, no transfer since), as they are
      db.prepare(
        `INSERT INTO main.org_employees (${employeeColumns}) SELECT ${employeeColumns} FROM live.org_employees
         WHERE before_cut(joined_at) AND (left_at IS NULL OR before_cut(left_at))
           AND employee_id NOT IN (SELECT employee_id FROM live.spread_department_history WHERE position >= ?)`,
      ).run(end);
      db.exec('INSERT INTO main.story_people (employee_id, name) SELECT p.employee_id, p.name FROM live.story_people p JOIN main.org_employees e ON e.employee_id = p.employee_id');
      fold = db.prepare<[], string>('SELECT employee_id FROM live.org_employees WHERE employee_id NOT IN (SELECT employee_id FROM main.org_employees)').pluck().all();
      themeIds = db.prepare<[], string>('SELECT theme_id FROM live.theme_themes').pluck().all();
      departmentIds = db.prepare<[], string>('SELECT department_id FROM live.org_departments UNION SELECT department_id FROM live.story_departments').pluck().all();
    })();
  } finally {
    db.exec('DETACH DATABASE live');
  }

  // ---- themes, departments, the review setting, the other people: their streams to the cut ----
  const streams = ['archive-settings', ...themeIds.map((t) => `theme-${t}`), ...departmentIds.map((d) => `department-${d}`), ...fold.map((p) => `employee-${p}`)];
  const events = await streamsAtCut(store, cut, streams);
  db.transaction(() => {
    for (const p of projections) {
      if (p.applyBatch) p.applyBatch(db, events);
      else for (const e of events) p.apply(db, e);
    }
  })();
}

/**
 * cuts kept, and the bytes their databases may hold together (least recently used out): an
 * in-memory database holds all its pages, so these bound the memory the cuts take
 */
export const TIMELINE_CUTS_KEPT = 4;
export const TIMELINE_BYTES = 256 * 2 ** 20;
