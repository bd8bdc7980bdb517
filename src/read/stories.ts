import type { Views } from '../projections/runtime.ts';
import { leaderKey } from '../projections/stories.ts';
import type { CurrentUser } from '../http/env.ts';
import type { StoryRefs } from '../domain/stories.ts';
import { preparedPer } from '../projections/prepared.ts';

/**
 * Read-side queries over the stories read model, for the story pages, timelines, home and
 * curation, and for other areas (search, e2e) that need a story or the themes.
 */

export interface ThemeRef {
  themeId: string;
  name: string;
}

export interface Theme extends ThemeRef {
  description: string;
  retired: boolean;
  revision: number;
  stories: number;
}

export interface Story {
  storyId: string;
  title: string;
  body: string;
  tellerId: string;
  tellerName: string | null;
  leader: string;
  /** the person the leader is (linked by the teller or a curator), and their name as the archive knows it now */
  leaderId: string | null;
  leaderName: string | null;
  happenedIn: string | null;
  departmentName: string | null;
  occurredOn: string;
  relation: 'witnessed' | 'participated' | 'heard';
  retellingOf: string | null;
  anonymous: boolean;
  toldAt: string;
  /** log position of its StorySubmitted: "the order told" */
  toldPosition: number;
  amendedAt: string | null;
  /** stream revision the story reads at; the amend form carries it */
  revision: number;
  retracted: boolean;
  retractedAt: string | null;
  retractedReason: string | null;
  /** distinct people other than the teller who read, heard, shared or retold it */
  exposure: number;
  themes: ThemeRef[];
  /** review before publishing: null once published (or never reviewed); see `awaitingReview` */
  review: 'waiting' | 'returned' | null;
  /** the curator's note when the story was returned to its teller */
  reviewNote: string | null;
  /** when the story (re-)entered the review queue */
  reviewSince: string | null;
}

export interface HistoryEntry {
  revision: number;
  type: 'StorySubmitted' | 'StoryAmended' | 'StoryThemed' | 'StoryUnthemed' | 'StoryRetracted';
  at: string;
  actor: string | null;
  actorName: string | null;
  reason: string | null;
  titleBefore: string | null;
  bodyBefore: string | null;
  titleAfter: string | null;
  bodyAfter: string | null;
  theme: ThemeRef | null;
}

export type TimelineFilter =
  | { kind: 'all' }
  | { kind: 'theme'; themeId: string }
  | { kind: 'leader'; leader: string }
  | { kind: 'person'; leaderId: string }
  | { kind: 'department'; departmentId: string };

export interface TimelinePage {
  items: Story[];
  page: number;
  pageSize: number;
  total: number;
  hasMore: boolean;
  /** ids of the timeline's most circulated stories (its top 3 by exposure, exposure > 0) */
  mostCirculated: Set<string>;
}

interface StoryRow {
  story_id: string;
  title: string;
  body: string;
  teller_id: string;
  teller_name: string | null;
  leader: string;
  leader_id: string | null;
  leader_name: string | null;
  happened_in: string | null;
  department_name: string | null;
  occurred_on: string;
  relation: Story['relation'];
  retelling_of: string | null;
  anonymous: number;
  told_at: string;
  told_position: number;
  amended_at: string | null;
  revision: number;
  retracted: number;
  retracted_at: string | null;
  retracted_reason: string | null;
  exposure: number;
  review: Story['review'];
  review_note: string | null;
  review_since: string | null;
}

/** Names come from this read model's own copies (story_people, story_departments), never org's tables. */
const SELECT_STORY = `SELECT s.*, e.name AS teller_name, d.name AS department_name, lp.name AS leader_name FROM story_stories s
  LEFT JOIN story_people e ON e.employee_id = s.teller_id
  LEFT JOIN story_people lp ON lp.employee_id = s.leader_id
  LEFT JOIN story_departments d ON d.department_id = s.happened_in`;

/** Timelines read in the order things happened: a year sorts before its months (plain string order). */
const ORDER = 'ORDER BY s.occurred_on, s.told_position';

/**
 * The one visibility predicate for every list of stories (timelines, themes, leaders,
 * departments, home, Start here, retellings): neither retracted nor awaiting review. A single
 * story's page decides with `maySee`.
 */
const LISTED = 's.retracted = 0 AND s.review IS NULL';

const FILTER_SQL: Record<TimelineFilter['kind'], string> = {
  all: LISTED,
  theme: `${LISTED} AND s.story_id IN (SELECT story_id FROM story_themes WHERE theme_id = ?)`,
  leader: `${LISTED} AND s.leader_key = ?`,
  person: `${LISTED} AND s.leader_id = ?`,
  department: `${LISTED} AND s.happened_in = ?`,
};

type ThemeRow = { theme_id: string; name: string; description: string; retired: number; revision: number; stories: number };
const THEMES_SQL = (where: string) => `SELECT t.*, (SELECT count(*) FROM story_themes st WHERE st.theme_id = t.theme_id AND st.live = 1) AS stories
  FROM theme_themes t ${where} ORDER BY t.defined_position`;

/** Every statement of this read model, prepared once per views connection. */
function statements(db: Views) {
  const timelineBy = (kind: TimelineFilter['kind']) => {
    const w = FILTER_SQL[kind];
    return {
      count: db.prepare<string[], number>(`SELECT count(*) FROM story_stories s WHERE ${w}`).pluck(),
      rows: db.prepare<(string | number)[], StoryRow>(`${SELECT_STORY} WHERE ${w} ${ORDER} LIMIT ? OFFSET ?`),
      top: db.prepare<string[], string>(`SELECT s.story_id FROM story_stories s WHERE ${w} AND s.exposure > 0 ORDER BY s.exposure DESC, s.told_position LIMIT 3`).pluck(),
    };
  };
  return {
    story: db.prepare<[string], StoryRow>(`${SELECT_STORY} WHERE s.story_id = ?`),
    themesOf: db.prepare<[string], { theme_id: string; name: string }>(
      'SELECT t.theme_id, t.name FROM story_themes st JOIN theme_themes t ON t.theme_id = st.theme_id WHERE st.story_id = ? ORDER BY t.name COLLATE NOCASE',
    ),
    history: db.prepare<[string], Record<string, string | number | null>>(
      `SELECT h.*, e.name AS actor_name, t.name AS theme_name FROM story_history h
       LEFT JOIN story_people e ON e.employee_id = h.actor
       LEFT JOIN theme_themes t ON t.theme_id = h.theme_id
       WHERE h.story_id = ? ORDER BY h.revision`,
    ),
    retellings: db.prepare<[string], StoryRow>(`${SELECT_STORY} WHERE s.retelling_of = ? AND ${LISTED} ${ORDER}`),
    themes: db.prepare<[], ThemeRow>(THEMES_SQL('WHERE t.retired = 0')),
    allThemes: db.prepare<[], ThemeRow>(THEMES_SQL('')),
    themeRetired: db.prepare<[string], { retired: number }>('SELECT retired FROM theme_themes WHERE theme_id = ?'),
    departmentOpen: db.prepare<[string], { open: number }>('SELECT open FROM story_departments WHERE department_id = ?'),
    // what commands check about a story: retelling it (storyRefs), circulating it (circulationStory)
    storyState: db.prepare<[string], { teller_id: string; retracted: number; review: string | null }>('SELECT teller_id, retracted, review FROM story_stories WHERE story_id = ?'),
    timeline: {
      all: timelineBy('all'),
      theme: timelineBy('theme'),
      leader: timelineBy('leader'),
      person: timelineBy('person'),
      department: timelineBy('department'),
    },
    // along story_themes_circulated: the theme's live stories, most exposed first
    mostCirculatedIds: db.prepare<[string, number], string>(
      'SELECT story_id FROM story_themes WHERE theme_id = ? AND live = 1 ORDER BY exposure DESC, occurred_on, told_position LIMIT ?',
    ).pluck(),
    picks: db.prepare<[], StoryRow>(`${SELECT_STORY} JOIN story_start_here p ON p.story_id = s.story_id WHERE ${LISTED} ORDER BY p.rank`),
    recent: db.prepare<[number], StoryRow>(`${SELECT_STORY} WHERE ${LISTED} ORDER BY s.told_position DESC LIMIT ?`),
    // a linked leader is one person however the tellers spelled the name; the others group by spelling
    leaders: db.prepare<[], { leader: string; leader_id: string | null; person_name: string | null; stories: number }>(
      `SELECT min(s.leader) AS leader, s.leader_id, p.name AS person_name, count(*) AS stories FROM story_stories s
       LEFT JOIN story_people p ON p.employee_id = s.leader_id
       WHERE ${LISTED} GROUP BY coalesce('#' || s.leader_id, s.leader_key)
       ORDER BY lower(coalesce(p.name, min(s.leader))), s.leader_id`,
    ),
    unlinkedKeys: db.prepare<[string], string>('SELECT story_id FROM story_stories WHERE leader_key = ? AND retracted = 0').pluck(),
    departments: db.prepare<[], { department_id: string; name: string | null; stories: number }>(
      `SELECT s.happened_in AS department_id, d.name, count(*) AS stories FROM story_stories s
       LEFT JOIN story_departments d ON d.department_id = s.happened_in
       WHERE ${LISTED} AND s.happened_in IS NOT NULL GROUP BY s.happened_in ORDER BY d.name COLLATE NOCASE`,
    ),
    children: db.prepare<[string], StoryRow>(`${SELECT_STORY} WHERE s.retelling_of = ? ORDER BY s.told_position`),
    queue: db.prepare<[], StoryRow>(`${SELECT_STORY} WHERE s.review = 'waiting' AND s.retracted = 0 ORDER BY s.review_since, s.told_position`),
    awaitingBy: db.prepare<[string], StoryRow>(`${SELECT_STORY} WHERE s.teller_id = ? AND s.review IS NOT NULL AND s.retracted = 0 ORDER BY s.told_position DESC`),
    reviewOn: db.prepare<[], number>('SELECT review_on FROM story_review_setting WHERE id = 1').pluck(),
    pickable: db.prepare<[number], { story_id: string; title: string; occurred_on: string }>(
      `SELECT story_id, title, occurred_on FROM story_stories s WHERE ${LISTED} ORDER BY told_position DESC LIMIT ?`,
    ),
  };
}
type Statements = ReturnType<typeof statements>;
/** The read model's statements for this connection (prepared on first use, then reused). */
const q = preparedPer(statements);

function toStory(db: Views, r: StoryRow): Story {
  return {
    storyId: r.story_id,
    title: r.title,
    body: r.body,
    tellerId: r.teller_id,
    tellerName: r.teller_name,
    leader: r.leader,
    leaderId: r.leader_id,
    leaderName: r.leader_name,
    happenedIn: r.happened_in,
    departmentName: r.department_name,
    occurredOn: r.occurred_on,
    relation: r.relation,
    retellingOf: r.retelling_of,
    anonymous: r.anonymous === 1,
    toldAt: r.told_at,
    toldPosition: r.told_position,
    amendedAt: r.amended_at,
    revision: r.revision,
    retracted: r.retracted === 1,
    retractedAt: r.retracted_at,
    retractedReason: r.retracted_reason,
    exposure: r.exposure,
    review: r.review,
    reviewNote: r.review_note,
    reviewSince: r.review_since,
    themes: q(db).themesOf.all(r.story_id).map((t) => ({ themeId: t.theme_id, name: t.name })),
  };
}

/** A story as it reads now, retracted or not (callers decide who may see a retracted one). */
export function getStory(db: Views, storyId: string): Story | undefined {
  const r = q(db).story.get(storyId);
  return r && toStory(db, r);
}

export const isCurator = (user: CurrentUser | null): boolean => !!user && user.roles.includes('curator');

/**
 * Who a viewer sees as the teller: null means "anonymous". Anonymous stories show their teller
 * only to curators and to the teller themself.
 */
export function visibleTeller(story: Pick<Story, 'anonymous' | 'tellerId' | 'tellerName'>, viewer: CurrentUser | null): { employeeId: string; name: string } | null {
  if (story.anonymous && !isCurator(viewer) && viewer?.employeeId !== story.tellerId) return null;
  return { employeeId: story.tellerId, name: story.tellerName ?? story.tellerId };
}

/** Whether a story is awaiting review (in the queue, or returned to its teller). */
export const awaitingReview = (story: Pick<Story, 'review'>): boolean => story.review !== null;

/**
 * Whether this viewer may open the story's page: a story awaiting review only for its teller and
 * curators; a retracted one only for curators (the caller answers 410 for it).
 */
export function maySee(story: Pick<Story, 'review' | 'tellerId'>, viewer: CurrentUser | null): boolean {
  return !awaitingReview(story) || isCurator(viewer) || viewer?.employeeId === story.tellerId;
}

/**
 * A story's family of tellings: the original it goes back to (following retellingOf up), and every
 * retelling of it and of those, in the order told. Every telling, retracted or awaiting review
 * too: callers decide what a viewer sees.
 */
export function storyFamily(db: Views, storyId: string): Story[] {
  let root = getStory(db, storyId);
  if (!root) return [];
  const seen = new Set([root.storyId]);
  while (root.retellingOf !== null) {
    const up = getStory(db, root.retellingOf);
    if (!up || seen.has(up.storyId)) break;
    seen.add(up.storyId);
    root = up;
  }
  const family: Story[] = [root];
  const inFamily = new Set([root.storyId]);
  for (let i = 0; i < family.length; i++) {
    for (const r of q(db).children.all(family[i]!.storyId)) {
      if (inFamily.has(r.story_id)) continue;
      inFamily.add(r.story_id);
      family.push(toStory(db, r));
    }
  }
  return family.sort((a, b) => a.toldPosition - b.toldPosition);
}

/** Whether stories told now wait for a curator's review (the admin's setting; off by default). */
export function reviewBeforePublishing(db: Views): boolean {
  return q(db).reviewOn.get() === 1;
}

/** The curators' queue: stories awaiting review and not returned or retracted, longest waiting first. */
export function reviewQueue(db: Views): Story[] {
  return q(db).queue.all().map((r) => toStory(db, r));
}

/** A teller's stories awaiting review (in the queue or returned to them), newest first. */
export function awaitingReviewBy(db: Views, tellerId: string): Story[] {
  return q(db).awaitingBy.all(tellerId).map((r) => toStory(db, r));
}

/** Every change in a story's stream, oldest first, with the text each amendment replaced. */
export function storyHistory(db: Views, storyId: string): HistoryEntry[] {
  return q(db)
    .history.all(storyId)
    .map((h) => ({
      revision: h['revision'] as number,
      type: h['type'] as HistoryEntry['type'],
      at: h['at'] as string,
      actor: h['actor'] as string | null,
      actorName: h['actor_name'] as string | null,
      reason: h['reason'] as string | null,
      titleBefore: h['title_before'] as string | null,
      bodyBefore: h['body_before'] as string | null,
      titleAfter: h['title_after'] as string | null,
      bodyAfter: h['body_after'] as string | null,
      theme: h['theme_id'] ? { themeId: h['theme_id'] as string, name: (h['theme_name'] as string | null) ?? (h['theme_id'] as string) } : null,
    }));
}

/** Retellings of a story that have not been retracted, oldest first. */
export function retellingsOf(db: Views, storyId: string): Story[] {
  return q(db).retellings.all(storyId).map((r) => toStory(db, r));
}

export function listThemes(db: Views, opts: { includeRetired?: boolean } = {}): Theme[] {
  return (opts.includeRetired ? q(db).allThemes : q(db).themes)
    .all()
    .map((t) => ({ themeId: t.theme_id, name: t.name, description: t.description, retired: t.retired === 1, revision: t.revision, stories: t.stories }));
}

export function getTheme(db: Views, themeId: string): Theme | undefined {
  return listThemes(db, { includeRetired: true }).find((t) => t.themeId === themeId);
}

/** The facts `decide` needs about the ids a command names (see StoryRefs). */
export function storyRefs(db: Views, ids: { themes?: string[]; departments?: string[]; stories?: string[] }): StoryRefs {
  const refs: StoryRefs = { themes: {}, departments: {}, stories: [] };
  const { themeRetired: theme, departmentOpen: dept, storyState: story } = q(db);
  for (const id of ids.themes ?? []) {
    const t = theme.get(id);
    if (t) refs.themes[id] = t.retired ? 'retired' : 'active';
  }
  for (const id of ids.departments ?? []) {
    const d = dept.get(id);
    if (d) refs.departments[id] = d.open ? 'open' : 'closed';
  }
  for (const id of ids.stories ?? []) {
    const s = story.get(id);
    // a story awaiting review cannot be retold until it is published
    if (s && !s.retracted && s.review === null) refs.stories.push(id);
  }
  return refs;
}

function paramsOf(filter: TimelineFilter): string[] {
  switch (filter.kind) {
    case 'all':
      return [];
    case 'theme':
      return [filter.themeId];
    case 'leader':
      return [leaderKey(filter.leader)];
    case 'person':
      return [filter.leaderId];
    case 'department':
      return [filter.departmentId];
  }
}

export const PAGE_SIZE = 20;

/** One page of a timeline (1-based), retracted stories left out. */
export function timeline(db: Views, filter: TimelineFilter, page = 1, pageSize = PAGE_SIZE): TimelinePage {
  const st = q(db).timeline[filter.kind];
  const params = paramsOf(filter);
  const p = Math.max(1, Math.floor(page));
  const total = st.count.get(...params) ?? 0;
  const rows = st.rows.all(...params, pageSize, (p - 1) * pageSize);
  return {
    items: rows.map((r) => toStory(db, r)),
    page: p,
    pageSize,
    total,
    hasMore: p * pageSize < total,
    mostCirculated: new Set(st.top.all(...params)),
  };
}

/** Ids of a theme's most circulated live stories, most exposed first (for Start here's path). */
export function mostCirculatedIdsInTheme(db: Views, themeId: string, n: number): string[] {
  return q(db).mostCirculatedIds.all(themeId, n);
}

/** A theme's most circulated stories (for Start here). */
export function mostCirculatedInTheme(db: Views, themeId: string, n = 3): Story[] {
  const out: Story[] = [];
  for (const id of q(db).mostCirculatedIds.all(themeId, n)) {
    const s = getStory(db, id);
    if (s) out.push(s);
  }
  return out;
}

/** The curators' Start here picks, in their order (retracted ones left out). */
export function startHerePicks(db: Views): Story[] {
  return q(db).picks.all().map((r) => toStory(db, r));
}

/** Stories most recently told (for the home page). */
export function recentStories(db: Views, n = 5): Story[] {
  return q(db).recent.all(n).map((r) => toStory(db, r));
}

export interface LeaderEntry {
  /** the person's name when linked, else the name as tellers wrote it */
  leader: string;
  /** the person, when the stories are linked to one */
  leaderId: string | null;
  stories: number;
}

/** Leaders named in stories, one entry per person (linked) or per spelling (not linked), with their counts. */
export function listLeaders(db: Views): LeaderEntry[] {
  return q(db).leaders.all().map((l) => ({ leader: l.person_name ?? l.leader, leaderId: l.leader_id, stories: l.stories }));
}

/** The stories (not retracted) whose leader is written this way, however spaced or cased (for linking). */
export function storiesNamingLeader(db: Views, leader: string): string[] {
  return q(db).unlinkedKeys.all(leaderKey(leader));
}

/** Departments where stories happened, with their counts. */
export function listStoryDepartments(db: Views): { departmentId: string; name: string; stories: number }[] {
  return q(db).departments.all().map((d) => ({ departmentId: d.department_id, name: d.name ?? d.department_id, stories: d.stories }));
}

/** Stories a curator can pick for Start here (not retracted), newest told first. */
export function pickableStories(db: Views, limit = 500): { storyId: string; title: string; occurredOn: string }[] {
  return q(db).pickable.all(limit).map((s) => ({ storyId: s.story_id, title: s.title, occurredOn: s.occurred_on }));
}

/**
 * What recording circulation needs to know about a story: its teller while it is told and not
 * retracted (null otherwise), and whether it awaits review. Read from this read model, which runs
 * in the projections' main lane, so a story a page shows can be read, heard and shared at once,
 * even while the spread lane is still catching up after a large import.
 */
export function circulationStory(db: Views, storyId: string): { tellerId: string | null; awaitingReview: boolean } {
  const r = q(db).storyState.get(storyId);
  return { tellerId: r && !r.retracted ? r.teller_id : null, awaitingReview: !!r && r.review !== null };
}
