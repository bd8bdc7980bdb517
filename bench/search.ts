/**
 * Search: indexing stories through the search projection, and answering queries through
 * searchStories (match, bm25, highlight, snippet, names, themes, count), each against plain
 * better-sqlite3 FTS5 doing the least the same answer needs (the ceiling). Stories are made from
 * the demo archive's sentences, deterministically.
 * Then the search model as it stood at a cut of the log (src/asof/search-cut.ts, `/search?asOf=`):
 * one story in ten amended after all were told, and the model made at the middle of the telling and
 * at its end, with demo-length texts (the as-of bench's stories have one-character bodies).
 */
import Database from '../src/store/sqlite-driver.ts';
import type { SqliteDatabase } from '../src/store/sqlite-driver.ts';
import { DEMO_STORIES } from '../events/seed/story-content.ts';
import { prng } from '../events/seed/seed-types.ts';
import { searchProjection } from '../src/projections/search.ts';
import type { ProjectedEvent } from '../src/projections/runtime.ts';
import { searchStories } from '../src/read/search.ts';
import { searchAtCut } from '../src/asof/search-cut.ts';
import type { Bench, BenchRow } from './types.ts';

const STORIES = Number(process.env['BENCH_SEARCH_STORIES'] ?? 20_000);
const QUERIES = Number(process.env['BENCH_SEARCH_QUERIES'] ?? 2_000);
/** sentences of a story's body (6: about 580 characters of text a story; 12: about 1.1 KB) */
const SENTENCES = Number(process.env['BENCH_SEARCH_SENTENCES'] ?? 6);

const sentences = DEMO_STORIES.flatMap((s) => s.body.split(/(?<=[.!?])\s+/));
const words = [...new Set(sentences.flatMap((s) => s.toLowerCase().match(/\p{L}{4,}/gu) ?? []))];

function makeStories(n: number) {
  const r = prng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => ({
    storyId: `bench-${i}`,
    title: `${pick(words)} ${pick(words)} ${pick(words)}`,
    body: Array.from({ length: SENTENCES }, () => pick(sentences)).join(' '),
    leader: pick(DEMO_STORIES).leader,
    tellerId: 'emp-1',
    occurredOn: String(2016 + (i % 10)),
    themes: [`theme-${i % 8}`],
    relation: 'witnessed' as const,
    anonymous: i % 7 === 0,
  }));
}

function views(): SqliteDatabase {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE org_employees (employee_id TEXT PRIMARY KEY, name TEXT NOT NULL);
           CREATE TABLE org_departments (department_id TEXT PRIMARY KEY, name TEXT NOT NULL, open INTEGER NOT NULL);
           INSERT INTO org_employees VALUES ('emp-1', 'Bench Teller');`);
  return db;
}

const perSecond = (n: number, ms: number): number => (n * 1000) / ms;

export const searchBench: Bench = {
  name: 'search',
  description: `FTS5 search over ${STORIES.toLocaleString('en-US')} stories`,
  async run(log) {
    const stories = makeStories(STORIES);
    const r = prng(7);
    const queries = Array.from({ length: QUERIES }, () => `${words[Math.floor(r() * words.length)]} ${words[Math.floor(r() * words.length)]!.slice(0, 3)}`);
    const rows: BenchRow[] = [];

    // indexing: the projection (docs, themes, FTS row) vs a bare FTS5 insert
    const db = views();
    searchProjection.setup(db);
    let t = performance.now();
    db.transaction(() => {
      stories.forEach((d, i) => {
        const e = { id: `e${i}`, type: 'StorySubmitted', data: d, stream: `story-${d.storyId}`, revision: 0, position: i + 1, metadata: { at: '2024-01-01T00:00:00.000Z' } };
        searchProjection.apply(db, e as unknown as ProjectedEvent);
      });
    })();
    const indexMs = performance.now() - t;
    const plain = new Database(':memory:');
    plain.exec("CREATE VIRTUAL TABLE fts USING fts5(title, body, leader, tokenize = 'porter unicode61 remove_diacritics 2')");
    const ins = plain.prepare('INSERT INTO fts (rowid, title, body, leader) VALUES (?, ?, ?, ?)');
    t = performance.now();
    plain.transaction(() => stories.forEach((d, i) => ins.run(i + 1, d.title, d.body, d.leader)))();
    const plainIndexMs = performance.now() - t;
    rows.push({ measure: 'index stories', value: perSecond(STORIES, indexMs), unit: 'stories/s', ceiling: { name: 'bare FTS5 insert', value: perSecond(STORIES, plainIndexMs) }, aim: 0.25 });
    log(`indexed ${STORIES} stories`);

    // queries: a results page (count, rank, marks, names, themes) vs the top 10 rowids by rank
    t = performance.now();
    let found = 0;
    for (const q of queries) found += searchStories(db, { q, page: 1 })?.total ?? 0;
    const queryMs = performance.now() - t;
    const top = plain.prepare<[string], { rowid: number }>('SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 10');
    t = performance.now();
    for (const q of queries) {
      const [a, b] = q.split(' ');
      top.all(`"${a}" "${b}"*`);
    }
    const plainQueryMs = performance.now() - t;
    rows.push({ measure: 'results page', value: perSecond(QUERIES, queryMs), unit: 'queries/s', ceiling: { name: 'top 10 rowids by rank', value: perSecond(QUERIES, plainQueryMs) }, aim: 0.2 });
    rows.push({ measure: 'mean latency of a results page', value: queryMs / QUERIES, unit: 'ms' });
    log(`${QUERIES} queries, ${found} matches in all`);

    // the search model at a cut: one story in ten amended later, cuts at the middle and at the end
    db.transaction(() => {
      for (let i = 0; i < STORIES; i += 10) {
        const d = stories[i]!;
        const e = { id: `a${i}`, type: 'StoryAmended', data: { storyId: d.storyId, body: `${d.body} Amended.`, reason: 'bench' }, stream: `story-${d.storyId}`, revision: 1, position: STORIES + 1 + i, metadata: { at: '2024-02-01T00:00:00.000Z' } };
        searchProjection.apply(db, e as unknown as ProjectedEvent);
      }
    })();
    const textBytes = stories.reduce((n, d) => n + d.title.length + d.body.length + d.leader.length, 0);
    for (const [name, firstOut] of [['the middle of the telling', STORIES / 2 + 1], ['the end of the telling (every story, before the amendments)', STORIES + 1]] as const) {
      // how long other requests would wait at most meanwhile: the longest gap between turns of the event loop
      let longest = 0;
      let making = true;
      let last = performance.now();
      const turn = (): void => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        if (making) setImmediate(turn);
      };
      setImmediate(turn);
      t = performance.now();
      const cut = await searchAtCut(db, { cutoffMs: 0, factsPosition: 2 * STORIES, firstOut });
      const ms = performance.now() - t;
      making = false;
      const n = cut.prepare<[], number>('SELECT count(*) FROM search_docs').pluck().get()!;
      const bytes = (cut.pragma('page_count', { simple: true }) as number) * (cut.pragma('page_size', { simple: true }) as number);
      rows.push({ measure: `search model at a cut made: ${n.toLocaleString('en-US')} stories at ${name}, ${Math.round(textBytes / STORIES)} characters of text each`, value: ms, unit: 'ms' });
      rows.push({ measure: `  its in-memory database`, value: bytes / 2 ** 20, unit: 'MiB' });
      rows.push({ measure: '  the longest turn of the event loop meanwhile (what another request waits at most)', value: longest, unit: 'ms' });
      t = performance.now();
      for (const q of queries.slice(0, 200)) searchStories(cut, { q, page: 1 });
      rows.push({ measure: '  mean latency of a results page over it', value: (performance.now() - t) / 200, unit: 'ms' });
      cut.close();
    }
    log('search model at two cuts made');
    db.close();
    plain.close();
    return rows;
  },
};
