import { openViews } from '../projections/runtime.ts';
import type { Views } from '../projections/runtime.ts';
import { searchProjection, stripMarks } from '../projections/search.ts';
import type { Cut } from './cut.ts';

/**
 * The search read model as it stood at a date whose cut is a prefix of the log, made without
 * building the date: read from the live search tables, which keep what changes after a story is
 * told with the log position where it changed (src/projections/search.ts), into a small in-memory
 * views database with search's own tables (searchProjection.setup). The real search route then
 * reads it (src/http/as-of.tsx), so paging, filters, errors and fragments are the real code's.
 *
 * Results with words are ranked by FTS5's bm25, which depends on every document of the index (how
 * many there are, their lengths, how many hold each word): only an index holding exactly the cut's
 * documents ranks as a rebuild of the truncated log does, so one is made for the cut. Rows are
 * written as that rebuild writes them:
 * - a story is in when its (first) StorySubmitted is before the cut; its `doc_id` is its rank in the
 *   order told, as the rebuild's INTEGER PRIMARY KEY gives it (no document is ever deleted), so
 *   results that rank equal come out in the same order;
 * - its title and body are those before its first amendment at or after the cut (`search_texts`),
 *   or today's when it has none; retracted when retracted before the cut; awaiting review when told
 *   under review and not approved before the cut (a return changes nothing in search);
 * - its themes: for each theme, the last change before the cut (told with it, themed, unthemed);
 * - themes, people and departments: their logged events before the cut folded in log order, rows
 *   inserted in the order they were first made (so names that sort equal keep the rebuild's order).
 * An erasure scrubs the live rows, old texts and names included; a rebuild of the truncated log
 * reads the same markers (the person's key is gone), so the scrubbed rows are the cut's rows.
 * Everything else of a story (teller, leader, department, date, anonymity) never changes once told.
 *
 * `live` must be read in one read transaction at a log position the search model has reached, with
 * `cut.firstOut` found on it (src/asof/snapshots.ts).
 */

interface DocAtCut {
  story_id: string;
  title: string;
  body: string;
  leader: string;
  teller_id: string;
  anonymous: number;
  happened_in: string | null;
  occurred_on: string;
  told_at: string;
  retracted: number;
  awaiting: number;
}

// in doc_id order, which is the order told: ids are given increasing as stories are told, and no
// document is ever deleted
const DOCS_AT_CUT = `
  SELECT d.story_id, coalesce(t.title, d.title) AS title, coalesce(t.body, d.body) AS body, d.leader, d.teller_id,
         d.anonymous, d.happened_in, d.occurred_on, d.told_at,
         (d.retracted_position IS NOT NULL AND d.retracted_position < @f) AS retracted,
         ((d.awaiting = 1 OR d.approved_position IS NOT NULL) AND NOT coalesce(d.approved_position < @f, 0)) AS awaiting
  FROM search_docs d
  LEFT JOIN search_texts t ON t.doc_id = d.doc_id
    AND t.until_position = (SELECT min(until_position) FROM search_texts WHERE doc_id = d.doc_id AND until_position >= @f)
  WHERE d.told_position < @f
  ORDER BY d.doc_id`;

/** The number of erasures the live search model has applied: a cut made before one must be made again. */
export function erasuresIn(live: Views): number {
  return live.prepare<[], number>('SELECT count(*) FROM search_erasures').pluck().get()!;
}

/** Whether the live views database has the search model's positions (a views.db from before version 5 has not). */
export function canCutSearch(live: Views): boolean {
  try {
    live.prepare('SELECT told_position FROM search_docs LIMIT 0').all();
    return true;
  } catch {
    return false;
  }
}

/** documents written (and indexed) between two turns of the event loop: about 30 ms of work with 1 KB texts */
const DOCS_A_TURN = 500;

/**
 * The search model at the cut, in a new in-memory views database (see above). Everything is read
 * from `live` at once, inside the caller's read transaction; the documents are then written and
 * indexed DOCS_A_TURN at a time, letting other requests run between (indexing 20,000 stories of
 * 1 KB takes about a second, which the serving thread must not spend in one go).
 */
export async function searchAtCut(live: Views, cut: Cut): Promise<Views> {
  const f = Number.isFinite(cut.firstOut) ? cut.firstOut : Number.MAX_SAFE_INTEGER;
  const docs = live.prepare<{ f: number }, DocAtCut>(DOCS_AT_CUT).all({ f });
  const db = openViews(':memory:');
  try {
    searchProjection.setup(db);
    const turn = (): Promise<void> => new Promise<void>((r) => setImmediate(r));
    await turn();
    // the rest is smaller (themes, people, departments): read and written in one go (the caller's
    // read transaction on `live` lasts until its read is done, turns of the event loop included)
    db.transaction(() => writeNames(live, db, f, new Set(docs.map((d) => d.story_id))))();
    const insertDoc = db.prepare(
      `INSERT INTO search_docs (doc_id, story_id, title, body, leader, teller_id, anonymous, happened_in, occurred_on, told_at, retracted, awaiting)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const index = db.prepare('INSERT INTO search_fts (rowid, title, body, leader) VALUES (?, ?, ?, ?)');
    const write = db.transaction((from: number) => {
      for (let i = from; i < Math.min(docs.length, from + DOCS_A_TURN); i++) {
        const d = docs[i]!;
        const docId = i + 1;
        insertDoc.run(docId, d.story_id, d.title, d.body, d.leader, d.teller_id, d.anonymous, d.happened_in, d.occurred_on, d.told_at, d.retracted, d.awaiting);
        if (!d.retracted && !d.awaiting) index.run(docId, stripMarks(d.title), stripMarks(d.body), stripMarks(d.leader));
      }
    });
    for (let i = 0; i < docs.length; i += DOCS_A_TURN) {
      await turn();
      write(i);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function writeNames(live: Views, db: Views, f: number, told: Set<string>): void {

  // a story's themes: the last change of each before the cut (rows by story, theme, position)
  const theme = db.prepare('INSERT INTO search_story_themes (story_id, theme_id) VALUES (?, ?)');
  let last: { story_id: string; theme_id: string; present: number } | undefined;
  const flush = (): void => {
    if (last && last.present && told.has(last.story_id)) theme.run(last.story_id, last.theme_id);
  };
  for (const r of live.prepare<[number], { story_id: string; theme_id: string; present: number }>('SELECT story_id, theme_id, present FROM search_theme_log WHERE position < ? ORDER BY story_id, theme_id, position').iterate(f)) {
    if (last && (last.story_id !== r.story_id || last.theme_id !== r.theme_id)) flush();
    last = r;
  }
  flush();

  // themes: ThemeDefined makes or renames one (and brings it back), ThemeRetired retires one made
  const themes = new Map<string, { name: string; retired: number }>();
  for (const r of live.prepare<[number], { theme_id: string; name: string | null }>('SELECT theme_id, name FROM search_theme_defs WHERE position < ? ORDER BY position').iterate(f)) {
    const t = themes.get(r.theme_id);
    if (r.name !== null) themes.set(r.theme_id, { name: r.name, retired: 0 });
    else if (t) t.retired = 1;
  }
  const insertTheme = db.prepare('INSERT INTO search_themes (theme_id, name, retired) VALUES (?, ?, ?)');
  for (const [id, t] of themes) insertTheme.run(id, t.name, t.retired);

  // people: the name of their last EmployeeJoined before the cut (already the marker if erased since)
  const people = new Map<string, string>();
  for (const r of live.prepare<[number], { employee_id: string; name: string; position: number }>('SELECT employee_id, name, position FROM search_people_log WHERE position < ? ORDER BY position').iterate(f)) {
    people.set(r.employee_id, r.name);
  }
  const insertPerson = db.prepare('INSERT INTO search_people (employee_id, name) VALUES (?, ?)');
  for (const [id, name] of people) insertPerson.run(id, name);

  // departments: opened (or opened again, renamed so), renamed, closed
  const departments = new Map<string, { name: string; open: number }>();
  for (const r of live.prepare<[number], { department_id: string; kind: string; name: string | null }>('SELECT department_id, kind, name FROM search_department_log WHERE position < ? ORDER BY position').iterate(f)) {
    const d = departments.get(r.department_id);
    if (r.kind === 'opened') departments.set(r.department_id, { name: r.name!, open: 1 });
    else if (!d) continue;
    else if (r.kind === 'renamed') d.name = r.name!;
    else d.open = 0;
  }
  const insertDepartment = db.prepare('INSERT INTO search_departments (department_id, name, open) VALUES (?, ?, ?)');
  for (const [id, d] of departments) insertDepartment.run(id, d.name, d.open);
}

/** cuts of the search model kept (dates, each at one cut), and the bytes they may hold together */
export const SEARCH_CUTS_KEPT = 4;
export const SEARCH_CUT_BYTES = 128 * 2 ** 20;
