import { REMOVED_TEXT } from '../privacy/markers.ts';
import { preparedPer } from '../projections/prepared.ts';
import { leaderKey } from '../projections/stories.ts';
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
  byLeader: db.prepare<[string, string, number], string>('SELECT story_id FROM story_stories WHERE leader_key IN (?, ?) LIMIT ?').pluck(),
  byPerson: db.prepare<[string, number], string>('SELECT story_id FROM story_leader_links WHERE leader_id = ? LIMIT ?').pluck(),
  byDepartment: db.prepare<[string, number], string>('SELECT story_id FROM story_stories WHERE happened_in = ? LIMIT ?').pluck(),
  byTheme: db.prepare<[string, string, number], string>('SELECT story_id FROM story_themes WHERE theme_id = ? UNION SELECT story_id FROM story_history WHERE theme_id = ? LIMIT ?').pluck(),
}));

/**
 * A page that can be read from its part of a prefix cut: one story's page, or a timeline of few
 * stories (a leader's, a department's, a theme's).
 */
export type PagePart =
  | { kind: 'story'; storyId: string }
  | { kind: 'leader'; name: string }
  | { kind: 'person'; employeeId: string }
  | { kind: 'department'; departmentId: string }
  | { kind: 'theme'; themeId: string };

/** a timeline of more candidate stories than this is built with the date instead (its part of the cut is no longer small) */
export const MAX_PART_STORIES = 200;

/**
 * The stories whose rows a page's part of the cut must hold, as the live read models know them (a
 * superset of those the page shows at the cut); undefined when there are more than MAX_PART_STORIES.
 * - a leader's timeline: the stories naming them, and those whose teller was erased since (erasure
 *   rewrites the leader of an erased teller's stories, so at the cut they may still have named them);
 * - a person's (/leaders/people/:id): every story ever linked to them (a link can move to someone
 *   else later, and an erasure does not unlink);
 * - a department's: the stories that happened there (a story's department is never amended);
 * - a theme's: the stories that have it, and every story it was ever added to or removed from (its
 *   history keeps those changes; a theme given when told and never removed is still there).
 */
export function partStories(db: Views, part: PagePart): string[] | undefined {
  const q = statements(db);
  const n = MAX_PART_STORIES + 1;
  const ids =
    part.kind === 'story' ? [part.storyId]
    : part.kind === 'leader' ? q.byLeader.all(leaderKey(part.name), leaderKey(REMOVED_TEXT), n)
    : part.kind === 'person' ? q.byPerson.all(part.employeeId, n)
    : part.kind === 'department' ? q.byDepartment.all(part.departmentId, n)
    : q.byTheme.all(part.themeId, part.themeId, n);
  return ids.length > MAX_PART_STORIES ? undefined : ids;
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
