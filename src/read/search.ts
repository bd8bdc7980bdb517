import type { Views } from '../projections/runtime.ts';
import { MARK_CLOSE, MARK_OPEN } from '../projections/search.ts';

import type Database from 'better-sqlite3';

export const PAGE_SIZE = 10;

/**
 * The search read model's statements, prepared once per views connection and kept by their text
 * (a query is built from which filters are set: a handful of shapes, each prepared on first use).
 */
const prepared = new WeakMap<Views, Map<string, Database.Statement>>();
function sql<P extends unknown[], R>(db: Views, text: string): Database.Statement<P, R> {
  let m = prepared.get(db);
  if (!m) prepared.set(db, (m = new Map()));
  let st = m.get(text);
  if (!st) m.set(text, (st = db.prepare(text)));
  return st as unknown as Database.Statement<P, R>;
}
const MAX_TERMS = 12;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Turns what a person typed into an FTS5 MATCH expression that can never be a syntax error: the
 * words are taken out (letters and digits, as FTS5's unicode61 tokenizer splits them), each is
 * quoted, and they are ANDed; words inside "double quotes" stay together as a phrase. The last
 * word is a prefix (`"netw"*`) while the person is still typing it, so live results appear before
 * the word is finished. Null when there is no word.
 */
export function toMatchQuery(q: string): string | null {
  // a term is a word, or a "phrase" (closed, or still open at the end of what was typed)
  const terms: { text: string; closed: boolean }[] = [];
  for (const m of q.matchAll(/"([^"]*)("?)|[^"\s]+/gu)) {
    const words = (m[1] ?? m[0]).match(WORD) ?? [];
    if (words.length === 0) continue;
    if (m[1] !== undefined) terms.push({ text: words.join(' '), closed: m[2] === '"' });
    else for (const w of words) terms.push({ text: w, closed: false });
  }
  const kept = terms.slice(0, MAX_TERMS);
  if (kept.length === 0) return null;
  const stillTyping = !/\s$/u.test(q);
  // FTS5: `"a b"*` makes the phrase's last word a prefix
  return kept.map((t, i) => `"${t.text}"${stillTyping && i === kept.length - 1 && !t.closed ? '*' : ''}`).join(' ');
}

export interface SearchParams {
  q: string;
  themeId?: string | undefined;
  departmentId?: string | undefined;
  page: number;
}

/** One result. Text fields may carry MARK_OPEN/MARK_CLOSE around matches (see views/fragments/search-results.tsx). */
export interface SearchHit {
  storyId: string;
  title: string;
  leader: string;
  excerpt: string;
  occurredOn: string;
  /** null for anonymous stories: search never exposes who told them */
  tellerName: string | null;
  anonymous: boolean;
  department: { id: string; name: string } | null;
  themes: { id: string; name: string }[];
}

export interface SearchResult {
  total: number;
  page: number;
  pages: number;
  hits: SearchHit[];
}

interface HitRow {
  story_id: string;
  title: string;
  leader: string;
  excerpt: string;
  occurred_on: string;
  teller_name: string | null;
  anonymous: number;
  happened_in: string | null;
  dept_name: string | null;
}

/** The first words of a body, cut at a word boundary, for results found by filter alone. */
export function opening(body: string, max = 220): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/**
 * Searches live stories. With words: ranked by bm25 (a title match weighs most, then the leader,
 * then the body), with matches marked. With only filters: the filtered stories, newest first.
 * Null when there is nothing to search for.
 */
export function searchStories(db: Views, p: SearchParams): SearchResult | null {
  const match = toMatchQuery(p.q);
  if (!match && !p.themeId && !p.departmentId) return null;

  const where: string[] = ['d.retracted = 0 AND d.awaiting = 0'];
  const args: (string | number)[] = [];
  if (match) {
    where.push('search_fts MATCH ?');
    args.push(match);
  }
  if (p.departmentId) {
    where.push('d.happened_in = ?');
    args.push(p.departmentId);
  }
  if (p.themeId) {
    where.push('EXISTS (SELECT 1 FROM search_story_themes st WHERE st.story_id = d.story_id AND st.theme_id = ?)');
    args.push(p.themeId);
  }
  const from = match ? 'search_fts JOIN search_docs d ON d.doc_id = search_fts.rowid' : 'search_docs d';
  const whereSql = `WHERE ${where.join(' AND ')}`;

  // retracted stories and those awaiting review are not in the index, so words alone are counted on the index alone
  const countSql = match && !p.themeId && !p.departmentId
    ? 'SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ?'
    : `SELECT count(*) AS n FROM ${from} ${whereSql}`;
  const total = sql<(string | number)[], { n: number }>(db, countSql).get(...args)!.n;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, p.page), pages);

  const m = [MARK_OPEN, MARK_CLOSE];
  const fields = match
    ? `highlight(search_fts, 0, ?, ?) AS title, snippet(search_fts, 1, ?, ?, '…', 40) AS excerpt, highlight(search_fts, 2, ?, ?) AS leader`
    : 'd.title AS title, d.body AS excerpt, d.leader AS leader';
  const fieldArgs = match ? [...m, ...m, ...m] : [];
  const order = match ? 'bm25(search_fts, 10.0, 1.0, 5.0), d.occurred_on DESC' : 'd.occurred_on DESC, d.story_id';
  const rows = sql<(string | number)[], HitRow>(
      db,
      `SELECT d.story_id, ${fields}, d.occurred_on, d.anonymous, d.happened_in,
              CASE WHEN d.anonymous = 1 THEN NULL ELSE e.name END AS teller_name, dep.name AS dept_name
       FROM ${from}
       LEFT JOIN search_people e ON e.employee_id = d.teller_id
       LEFT JOIN search_departments dep ON dep.department_id = d.happened_in
       ${whereSql}
       ORDER BY ${order} LIMIT ? OFFSET ?`,
    ).all(...fieldArgs, ...args, PAGE_SIZE, (page - 1) * PAGE_SIZE);

  const themes = themesOf(db, rows.map((r) => r.story_id));
  return {
    total,
    page,
    pages,
    hits: rows.map((r) => ({
      storyId: r.story_id,
      title: r.title,
      leader: r.leader,
      excerpt: match ? r.excerpt : opening(r.excerpt),
      occurredOn: r.occurred_on,
      tellerName: r.anonymous ? null : r.teller_name,
      anonymous: r.anonymous === 1,
      department: r.happened_in ? { id: r.happened_in, name: r.dept_name ?? r.happened_in } : null,
      themes: themes.get(r.story_id) ?? [],
    })),
  };
}

function themesOf(db: Views, storyIds: string[]): Map<string, { id: string; name: string }[]> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (storyIds.length === 0) return out;
  // the ids as one JSON array: one statement whatever the page's length
  const rows = sql<[string], { story_id: string; theme_id: string; name: string }>(
    db,
    `SELECT st.story_id, st.theme_id, t.name FROM search_story_themes st JOIN search_themes t ON t.theme_id = st.theme_id
     WHERE st.story_id IN (SELECT value FROM json_each(?)) ORDER BY t.name COLLATE NOCASE`,
  ).all(JSON.stringify(storyIds));
  for (const r of rows) {
    const list = out.get(r.story_id) ?? [];
    list.push({ id: r.theme_id, name: r.name });
    out.set(r.story_id, list);
  }
  return out;
}

export interface FilterOption {
  id: string;
  name: string;
}

/** Themes one can filter by: the unretired ones. */
export function themeOptions(db: Views): FilterOption[] {
  return sql<[], { theme_id: string; name: string }>(db, 'SELECT theme_id, name FROM search_themes WHERE retired = 0 ORDER BY name COLLATE NOCASE')
    .all()
    .map((r) => ({ id: r.theme_id, name: r.name }));
}

/** Departments one can filter by: every department a live story happened in, plus the open ones. */
export function departmentOptions(db: Views): FilterOption[] {
  return sql<[], { department_id: string; name: string }>(
      db,
      `SELECT department_id, name FROM search_departments
       WHERE open = 1 OR department_id IN (SELECT happened_in FROM search_docs WHERE retracted = 0 AND awaiting = 0 AND happened_in IS NOT NULL)
       ORDER BY name COLLATE NOCASE`,
    ).all()
    .map((r) => ({ id: r.department_id, name: r.name }));
}
