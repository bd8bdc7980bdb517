import { preparedPer } from '../projections/prepared.ts';
import type { Views } from '../projections/runtime.ts';
import type { EventStore, RecordedEvent } from '../store/port.ts';
import { inCut } from './cut.ts';
import type { Cut } from './cut.ts';

/**
 * One story's page as of a date whose cut is a prefix of the log, without building the date: the
 * real projections are run over the part of the cut that the story's page is made of, into a small
 * temporary views database (src/asof/snapshots.ts), and the real page reads it.
 *
 * What a story page reads (src/http/story-page.tsx) is the rows of its family of tellings (the
 * story, the one it retells, their retellings: text, history, themes, review, exposures and the
 * spread cascade), the people they name (names, departments by log position, erasures), the
 * departments, the themes and the review setting. Each of those rows is folded by the projections
 * from the events of these streams alone:
 * - `story-{id}` and `circulation-{id}` of every telling in the family (the family as the live read
 *   models hold it now: a telling told after the cut has no event in it);
 * - every `department-*` and `theme-*` stream (the live models list them all: any opened or
 *   defined in the cut is there), and `archive-settings`;
 * - `employee-{id}` of every person those events name (tellers, leaders linked, readers, listeners,
 *   sharers, actors).
 * Applied in log order, cut at the first event left out, they give the story's rows exactly as a
 * rebuild of the truncated log does (test/http/as-of.test.ts compares the pages on random logs).
 * The other stories' rows are not there, and no story page reads them.
 */

const statements = preparedPer((db: Views) => ({
  story: db.prepare<[string], { retelling_of: string | null }>('SELECT retelling_of FROM story_stories WHERE story_id = ?'),
  children: db.prepare<[string], string>('SELECT story_id FROM story_stories WHERE retelling_of = ?').pluck(),
  departments: db.prepare<[], string>('SELECT department_id FROM story_departments UNION SELECT department_id FROM spread_departments').pluck(),
  themes: db.prepare<[], string>('SELECT theme_id FROM theme_themes UNION SELECT theme_id FROM spread_themes').pluck(),
}));

/**
 * A page that can be read from its part of a prefix cut: one story's page. (Timelines, of any size,
 * are read from the stories model at the cut: src/asof/timeline-cut.ts.)
 */
export type PagePart = { kind: 'story'; storyId: string };

/** The stories whose rows a page's part of the cut must hold: the story's (its family is added by partEvents). */
export function partStories(_db: Views, part: PagePart): string[] {
  return [part.storyId];
}

/** The story's family of tellings as the live read models hold them: up the retellings to the root, then every retelling below it. */
export function familyOf(db: Views, storyId: string): string[] {
  const q = statements(db);
  const seen = new Set([storyId]);
  let root = storyId;
  for (;;) {
    const up = q.story.get(root)?.retelling_of;
    if (!up || seen.has(up)) break;
    seen.add(up);
    root = up;
  }
  const family = [root];
  const inFamily = new Set(family);
  for (let i = 0; i < family.length; i++) {
    for (const child of q.children.all(family[i]!)) {
      if (inFamily.has(child)) continue;
      inFamily.add(child);
      family.push(child);
    }
  }
  // a story the live models do not hold (not told, or named by an import only) is read all the same
  if (!inFamily.has(storyId)) family.push(storyId);
  return family;
}

/** The people an event names: its actor, and every value of a data field named …Id or …Ids. */
function peopleNamed(e: RecordedEvent, into: Set<string>): void {
  if (typeof e.metadata.actor === 'string') into.add(e.metadata.actor);
  for (const [k, v] of Object.entries(e.data as Record<string, unknown>)) {
    if (k.endsWith('Id') && typeof v === 'string') into.add(v);
    else if (k.endsWith('Ids') && Array.isArray(v)) for (const x of v) if (typeof x === 'string') into.add(x);
  }
}

/**
 * The events of the cut that make the pages of `storyIds` (see above), in log order. `db` is the live read
 * models at `cut.factsPosition`, read in the same read transaction as the cut was found.
 */
export async function partEvents(store: EventStore, db: Views, cut: Cut, storyIds: readonly string[], people: readonly string[] = []): Promise<RecordedEvent[]> {
  const q = statements(db);
  // EventStoreDB may store an id twice (an append retried with `any`); the live projections applied it once
  const ids = new Set<string>();
  const take = (e: RecordedEvent): boolean => inCut(e, cut) && !ids.has(e.id) && ids.add(e.id) !== undefined;
  const streams = new Set<string>(['archive-settings']);
  for (const storyId of storyIds) {
    for (const id of familyOf(db, storyId)) {
      streams.add(`story-${id}`);
      streams.add(`circulation-${id}`);
    }
  }
  for (const id of q.departments.all()) streams.add(`department-${id}`);
  for (const id of q.themes.all()) streams.add(`theme-${id}`);
  const events: RecordedEvent[] = [];
  // and the people the page is about (a person's timeline names them even when no story does)
  const named = new Set<string>(people);
  for (const s of streams) {
    for (const e of await store.readStream(s)) {
      if (!take(e)) continue;
      events.push(e);
      peopleNamed(e, named);
    }
  }
  for (const id of named) {
    const s = `employee-${id}`;
    if (streams.has(s)) continue;
    streams.add(s);
    for (const e of await store.readStream(s)) if (take(e)) events.push(e);
  }
  return events.sort((a, b) => a.position - b.position);
}
