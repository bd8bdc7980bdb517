import type { ProjectedEvent, Projection, Views } from './runtime.ts';
import { preparedPer } from './prepared.ts';
import { FORMER_COLLEAGUE, REMOVED_TEXT } from '../privacy/markers.ts';
import { applyNameCopy, nameCopyStatements } from './name-copies.ts';
import { applyReviewSetting, reviewCopyDrop, reviewCopySchema, reviewCopyStatements, reviewIsOn } from './review-copies.ts';

/**
 * Full-text search over stories (SQLite FTS5 in views.db).
 *
 * `search_docs` holds one row per story with what results show and filter on; `search_fts` indexes
 * title, body and leader under the same rowid. A retracted story's row leaves the index at once,
 * so it can never match; its doc row stays (marked) so a late amendment cannot bring it back.
 * A story awaiting review (`awaiting = 1`) is kept out of the index the same way until it is approved.
 * Themes are kept here too (names for the filter, a story's current themes), and so are tellers'
 * and departments' names (`search_people`, `search_departments`): search reads no other area's tables.
 *
 * What can change after a story is told is kept with the log position where it changed, so that
 * the search model as it stood at a prefix of the log can be read back from these tables
 * (src/asof/search-cut.ts, for `/search?asOf=`): when each story was told, retracted and approved
 * (`search_docs`' `*_position` columns), its text before each amendment (`search_texts`, one row per
 * amendment, none for a story never amended), every change of its themes (`search_theme_log`), and
 * the events that name themes, people and departments (`search_theme_defs`, `search_people_log`,
 * `search_department_log`). An erasure scrubs the old texts and names as it does the current ones.
 */

/** Marks FTS5 puts around a match; private-use characters, so no one can type markup through them. */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

/** Removes the marker characters from text before it is indexed, so marks only come from FTS5. */
export const stripMarks = (s: string): string => s.replace(/[\uE000\uE001]/g, '');

interface DocRow {
  doc_id: number;
  title: string;
  body: string;
  leader: string;
  retracted: number;
  awaiting: number;
}

/** Statements prepared once per database (apply runs once per event; preparing dominated it). */
function statements(db: Views) {
  return {
    doc: db.prepare<[string], DocRow>('SELECT doc_id, title, body, leader, retracted, awaiting FROM search_docs WHERE story_id = ?'),
    insertDoc: db.prepare(
      `INSERT INTO search_docs (story_id, title, body, leader, teller_id, anonymous, happened_in, occurred_on, told_at, told_position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    amendDoc: db.prepare('UPDATE search_docs SET title = ?, body = ? WHERE doc_id = ?'),
    docsOf: db.prepare<[string], DocRow>('SELECT doc_id, title, body, leader, retracted, awaiting FROM search_docs WHERE teller_id = ?'),
    eraseDoc: db.prepare('UPDATE search_docs SET title = ?, body = ?, leader = ? WHERE doc_id = ?'),
    retractDoc: db.prepare('UPDATE search_docs SET retracted = 1, retracted_position = coalesce(retracted_position, ?) WHERE doc_id = ?'),
    awaitDoc: db.prepare('UPDATE search_docs SET awaiting = 1 WHERE doc_id = ?'),
    approveDoc: db.prepare('UPDATE search_docs SET awaiting = 0, approved_position = ? WHERE doc_id = ?'),
    keepText: db.prepare('INSERT OR REPLACE INTO search_texts (doc_id, until_position, title, body) VALUES (?, ?, ?, ?)'),
    eraseTexts: db.prepare('UPDATE search_texts SET title = ?, body = ? WHERE doc_id IN (SELECT doc_id FROM search_docs WHERE teller_id = ?)'),
    themeChange: db.prepare('INSERT OR REPLACE INTO search_theme_log (story_id, theme_id, position, present) VALUES (?, ?, ?, ?)'),
    themeDef: db.prepare('INSERT OR REPLACE INTO search_theme_defs (position, theme_id, name) VALUES (?, ?, ?)'),
    personLog: db.prepare('INSERT OR REPLACE INTO search_people_log (employee_id, position, name) VALUES (?, ?, ?)'),
    erasePersonLog: db.prepare('UPDATE search_people_log SET name = ? WHERE employee_id = ?'),
    departmentLog: db.prepare('INSERT OR REPLACE INTO search_department_log (position, department_id, kind, name) VALUES (?, ?, ?, ?)'),
    erasure: db.prepare('INSERT OR IGNORE INTO search_erasures (position, employee_id) VALUES (?, ?)'),
    review: reviewCopyStatements(db, 'search'),
    unindex: db.prepare('DELETE FROM search_fts WHERE rowid = ?'),
    index: db.prepare('INSERT INTO search_fts (rowid, title, body, leader) VALUES (?, ?, ?, ?)'),
    theme: db.prepare('INSERT OR IGNORE INTO search_story_themes (story_id, theme_id) VALUES (?, ?)'),
    untheme: db.prepare('DELETE FROM search_story_themes WHERE story_id = ? AND theme_id = ?'),
    defineTheme: db.prepare('INSERT INTO search_themes (theme_id, name) VALUES (?, ?) ON CONFLICT(theme_id) DO UPDATE SET name = excluded.name, retired = 0'),
    retireTheme: db.prepare('UPDATE search_themes SET retired = 1 WHERE theme_id = ?'),
    names: nameCopyStatements(db, 'search'),
  };
}
type Statements = ReturnType<typeof statements>;
const stmts = preparedPer(statements);

function reindex(q: Statements, doc: DocRow): void {
  q.unindex.run(doc.doc_id);
  if (doc.retracted || doc.awaiting) return;
  q.index.run(doc.doc_id, stripMarks(doc.title), stripMarks(doc.body), stripMarks(doc.leader));
}

/** The name events, logged by position (the name copy itself keeps only what they say now). */
function logNames(q: Statements, e: ProjectedEvent): void {
  switch (e.type) {
    case 'EmployeeJoined':
      q.personLog.run(e.data.employeeId, e.position, e.data.name);
      break;
    case 'PersonErased':
      // as a rebuild reads every name they were given once their key is gone
      q.erasePersonLog.run(FORMER_COLLEAGUE, e.data.employeeId);
      q.erasure.run(e.position, e.data.employeeId);
      break;
    case 'DepartmentOpened':
      q.departmentLog.run(e.position, e.data.departmentId, 'opened', e.data.name);
      break;
    case 'DepartmentRenamed':
      q.departmentLog.run(e.position, e.data.departmentId, 'renamed', e.data.name);
      break;
    case 'DepartmentClosed':
      q.departmentLog.run(e.position, e.data.departmentId, 'closed', null);
      break;
    default:
      break;
  }
}

export const searchProjection: Projection = {
  name: 'search',
  // 3: stories awaiting review stay out of the index (issue 12)
  // 4: FTS5 secure-delete, rebuilt so no earlier deletion left words in the index (issue 13)
  // 5: what changes after telling is kept with its log position, for search as of a date (issue 12)
  version: 5,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS search_docs (
        doc_id INTEGER PRIMARY KEY, story_id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, body TEXT NOT NULL,
        leader TEXT NOT NULL, teller_id TEXT NOT NULL, anonymous INTEGER NOT NULL, happened_in TEXT,
        occurred_on TEXT NOT NULL, told_at TEXT NOT NULL, retracted INTEGER NOT NULL DEFAULT 0,
        awaiting INTEGER NOT NULL DEFAULT 0,
        told_position INTEGER NOT NULL DEFAULT 0, retracted_position INTEGER, approved_position INTEGER);
      CREATE TABLE IF NOT EXISTS search_texts (
        doc_id INTEGER NOT NULL, until_position INTEGER NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (doc_id, until_position));
      CREATE TABLE IF NOT EXISTS search_theme_log (
        story_id TEXT NOT NULL, theme_id TEXT NOT NULL, position INTEGER NOT NULL, present INTEGER NOT NULL,
        PRIMARY KEY (story_id, theme_id, position)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS search_theme_defs (position INTEGER PRIMARY KEY, theme_id TEXT NOT NULL, name TEXT);
      CREATE TABLE IF NOT EXISTS search_people_log (
        employee_id TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (employee_id, position)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS search_department_log (position INTEGER PRIMARY KEY, department_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT);
      CREATE TABLE IF NOT EXISTS search_erasures (position INTEGER PRIMARY KEY, employee_id TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS search_docs_dept ON search_docs (happened_in);
      CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title, body, leader, tokenize = 'porter unicode61 remove_diacritics 2');
      CREATE TABLE IF NOT EXISTS search_story_themes (
        story_id TEXT NOT NULL, theme_id TEXT NOT NULL, PRIMARY KEY (story_id, theme_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS search_story_themes_theme ON search_story_themes (theme_id);
      CREATE TABLE IF NOT EXISTS search_themes (theme_id TEXT PRIMARY KEY, name TEXT NOT NULL, retired INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS search_people (employee_id TEXT PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS search_departments (department_id TEXT PRIMARY KEY, name TEXT NOT NULL, open INTEGER NOT NULL);
      ${reviewCopySchema('search')}
    `);
    // deleted rows leave the index's pages at once, so an erased story's words are not kept there
    db.exec("INSERT INTO search_fts (search_fts, rank) VALUES ('secure-delete', 1)");
  },
  reset(db) {
    stmts.forget(db);
    db.exec(`DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search_docs;
             DROP TABLE IF EXISTS search_story_themes; DROP TABLE IF EXISTS search_themes;
             DROP TABLE IF EXISTS search_people; DROP TABLE IF EXISTS search_departments; ${reviewCopyDrop('search')}
             DROP TABLE IF EXISTS search_texts; DROP TABLE IF EXISTS search_theme_log; DROP TABLE IF EXISTS search_theme_defs;
             DROP TABLE IF EXISTS search_people_log; DROP TABLE IF EXISTS search_department_log; DROP TABLE IF EXISTS search_erasures;`);
  },
  apply(db, e) {
    const q = stmts(db);
    logNames(q, e);
    if (applyNameCopy(q.names, e)) return;
    if (applyReviewSetting(q.review, e)) return;
    switch (e.type) {
      case 'ThemeDefined':
        q.defineTheme.run(e.data.themeId, e.data.name);
        q.themeDef.run(e.position, e.data.themeId, e.data.name);
        break;
      case 'ThemeRetired':
        q.retireTheme.run(e.data.themeId);
        q.themeDef.run(e.position, e.data.themeId, null);
        break;
      case 'StorySubmitted': {
        const d = e.data;
        if (q.doc.get(d.storyId)) break; // the same story twice (a replayed import): keep the first
        q.insertDoc.run(d.storyId, d.title, d.body, d.leader, d.tellerId, d.anonymous ? 1 : 0, d.happenedIn ?? null, d.occurredOn, e.metadata.at, e.position);
        for (const t of d.themes) {
          q.theme.run(d.storyId, t);
          q.themeChange.run(d.storyId, t, e.position, 1);
        }
        const doc = q.doc.get(d.storyId)!;
        if (reviewIsOn(q.review)) q.awaitDoc.run(doc.doc_id);
        reindex(q, { ...doc, awaiting: reviewIsOn(q.review) ? 1 : 0 });
        break;
      }
      case 'StoryAmended': {
        const doc = q.doc.get(e.data.storyId);
        if (!doc) break;
        const next = { ...doc, title: e.data.title ?? doc.title, body: e.data.body ?? doc.body };
        // the text it had until now, for search as of a date before this amendment
        q.keepText.run(doc.doc_id, e.position, doc.title, doc.body);
        q.amendDoc.run(next.title, next.body, doc.doc_id);
        reindex(q, next);
        break;
      }
      case 'StoryThemed':
        q.theme.run(e.data.storyId, e.data.themeId);
        q.themeChange.run(e.data.storyId, e.data.themeId, e.position, 1);
        break;
      case 'StoryUnthemed':
        q.untheme.run(e.data.storyId, e.data.themeId);
        q.themeChange.run(e.data.storyId, e.data.themeId, e.position, 0);
        break;
      case 'StoryApproved': {
        const doc = q.doc.get(e.data.storyId);
        if (!doc || !doc.awaiting) break;
        q.approveDoc.run(e.position, doc.doc_id);
        reindex(q, { ...doc, awaiting: 0 });
        break;
      }
      case 'PersonErased':
        // the index forgets the words (FTS5 secure-delete, set up above): only the markers are indexed
        q.eraseTexts.run(REMOVED_TEXT, REMOVED_TEXT, e.data.employeeId);
        for (const doc of q.docsOf.all(e.data.employeeId)) {
          q.eraseDoc.run(REMOVED_TEXT, REMOVED_TEXT, REMOVED_TEXT, doc.doc_id);
          reindex(q, { ...doc, title: REMOVED_TEXT, body: REMOVED_TEXT, leader: REMOVED_TEXT });
        }
        break;
      case 'StoryRetracted': {
        const doc = q.doc.get(e.data.storyId);
        if (!doc) break;
        q.retractDoc.run(e.position, doc.doc_id);
        reindex(q, { ...doc, retracted: 1 });
        break;
      }
      default:
        break;
    }
  },
};
