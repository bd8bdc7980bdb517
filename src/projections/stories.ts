import type { ProjectedEvent, Projection, Views } from './runtime.ts';
import { REMOVED_TEXT } from '../privacy/markers.ts';
import { preparedPer } from './prepared.ts';
import { applyNameCopy, nameCopyStatements } from './name-copies.ts';
import { applyReviewSetting, reviewCopyDrop, reviewCopySchema, reviewCopyStatements, reviewIsOn } from './review-copies.ts';

/**
 * Stories, themes, timelines and Start here, as one read model (tables `story_*` and `theme_*`).
 *
 * - `story_stories`: one row per story as it reads now, with the stream revision its page was
 *   built from (the amend form carries it) and a simple exposure count: the distinct people other
 *   than the teller who read, heard, shared (either end) or retold the story. Timelines use it to
 *   mark the most circulated stories and Start here to pick a theme's three most circulated.
 * - `story_history`: every event of a story's stream with the text it replaced, for its history.
 * - `theme_themes`, `story_themes`: themes and which stories carry them.
 * - `story_start_here`: the curators' picks, in order.
 * - `story_people`, `story_departments`: this model's own copy of the names it shows (tellers,
 *   actors, departments) and whether a department is open, kept from the org events, so its
 *   queries never join another projection's tables.
 * - review before publishing: `review` is NULL for a published story, 'waiting' while it is in the
 *   curators' queue, 'returned' while its teller has it back with `review_note`; `review_since` is
 *   when it (re-)entered the queue. A story is listed (timelines, themes, home, Start here) only
 *   when it is neither retracted nor awaiting review; `story_themes.live` says the same.
 * `story_themes` repeats each story's exposure and order so that a theme's most circulated stories
 * are read along one index (the home page asks for every theme's top three).
 */

/** Leaders are named freely by tellers: one key per person however the spacing or case varies. */
export const leaderKey = (leader: string): string => leader.trim().replace(/\s+/g, ' ').toLowerCase();

function statements(db: Views) {
  return {
    teller: db.prepare<[string], { teller_id: string; exposure: number }>('SELECT teller_id, exposure FROM story_stories WHERE story_id = ?'),
    exposed: db.prepare('INSERT OR IGNORE INTO story_exposed (story_id, person_id) VALUES (?, ?)'),
    // the story's exposure after each event that exposed someone new to it (two people in one event: the later count)
    exposureLog: db.prepare('INSERT OR REPLACE INTO story_exposure_log (story_id, position, exposure) VALUES (?, ?, ?)'),
    exposure: db.prepare('UPDATE story_stories SET exposure = exposure + ? WHERE story_id = ?'),
    themeExposure: db.prepare('UPDATE story_themes SET exposure = exposure + ? WHERE story_id = ?'),
    history: db.prepare(
      `INSERT OR IGNORE INTO story_history (story_id, revision, type, at, actor, reason, title_before, body_before, title_after, body_after, theme_id, position, themes)
       VALUES (@story_id, @revision, @type, @at, @actor, @reason, @title_before, @body_before, @title_after, @body_after, @theme_id, @position, @themes)`,
    ),
    defineTheme: db.prepare(
      `INSERT INTO theme_themes (theme_id, name, description, defined_position, revision) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(theme_id) DO UPDATE SET name = excluded.name, description = excluded.description, retired = 0, revision = excluded.revision`,
    ),
    describeTheme: db.prepare('UPDATE theme_themes SET name = coalesce(?, name), description = ?, revision = ? WHERE theme_id = ?'),
    retireTheme: db.prepare('UPDATE theme_themes SET retired = 1, revision = ? WHERE theme_id = ?'),
    insertStory: db.prepare(
      // a plain INSERT: a story is told once (its stream is appended with no_stream), so a second
      // StorySubmitted for one id is a broken log, and the projection should stop and say so
      `INSERT INTO story_stories (story_id, title, body, teller_id, leader, leader_key, happened_in, occurred_on,
         relation, retelling_of, anonymous, told_at, told_position, revision, leader_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    theme: db.prepare(
      `INSERT OR IGNORE INTO story_themes (story_id, theme_id, exposure, live, occurred_on, told_position)
       SELECT story_id, ?, exposure, retracted = 0 AND review IS NULL, occurred_on, told_position FROM story_stories WHERE story_id = ?`,
    ),
    awaitReview: db.prepare("UPDATE story_stories SET review = 'waiting', review_since = ? WHERE story_id = ?"),
    reviewOf: db.prepare<[string], { review: string | null }>('SELECT review FROM story_stories WHERE story_id = ?'),
    approve: db.prepare('UPDATE story_stories SET review = NULL, review_note = NULL, review_since = NULL, revision = ? WHERE story_id = ?'),
    liveThemes: db.prepare('UPDATE story_themes SET live = 1 WHERE story_id = ? AND (SELECT retracted FROM story_stories WHERE story_id = ?) = 0'),
    returnStory: db.prepare("UPDATE story_stories SET review = 'returned', review_note = ?, review_returned_at = ?, revision = ? WHERE story_id = ?"),
    review: reviewCopyStatements(db, 'story'),
    untheme: db.prepare('DELETE FROM story_themes WHERE story_id = ? AND theme_id = ?'),
    text: db.prepare<[string], { title: string; body: string }>('SELECT title, body FROM story_stories WHERE story_id = ?'),
    amend: db.prepare('UPDATE story_stories SET title = ?, body = ?, revision = ?, amended_at = ? WHERE story_id = ?'),
    revision: db.prepare('UPDATE story_stories SET revision = ? WHERE story_id = ?'),
    linkLeader: db.prepare('UPDATE story_stories SET leader_id = ?, revision = ? WHERE story_id = ?'),
    change: db.prepare('INSERT OR IGNORE INTO story_changes (story_id, position, change, value, at, revision) VALUES (?, ?, ?, ?, ?, ?)'),
    retract: db.prepare('UPDATE story_stories SET retracted = 1, retracted_at = ?, retracted_reason = ?, revision = ? WHERE story_id = ?'),
    retractThemes: db.prepare('UPDATE story_themes SET live = 0 WHERE story_id = ?'),
    clearPicks: db.prepare('DELETE FROM story_start_here'),
    pick: db.prepare('INSERT INTO story_start_here (rank, story_id) VALUES (?, ?)'),
    names: nameCopyStatements(db, 'story'),
    // PersonErased: the teller's stories and their history read as a rebuild gives them once the key is gone
    eraseStories: db.prepare('UPDATE story_stories SET title = @m, body = @m, leader = @m, leader_key = @key WHERE teller_id = @teller'),
    eraseHistory: db.prepare(
      `UPDATE story_history SET
         title_before = CASE WHEN title_before IS NULL THEN NULL ELSE @m END, body_before = CASE WHEN body_before IS NULL THEN NULL ELSE @m END,
         title_after = CASE WHEN title_after IS NULL THEN NULL ELSE @m END, body_after = CASE WHEN body_after IS NULL THEN NULL ELSE @m END
       WHERE story_id IN (SELECT story_id FROM story_stories WHERE teller_id = @teller)`,
    ),
  };
}
type Statements = ReturnType<typeof statements>;
const stmts = preparedPer(statements);

/**
 * The exposures of one batch: who was exposed to which story is written as it comes (the insert
 * says whether the person is new to the story), the counts once per story at the end of the batch.
 * Adding to the counts later gives the same tables: nothing in this model reads a count to decide
 * anything, and a theme row copied from a story's count in the meantime (StoryThemed) gets the
 * rest when the batch ends, as the story's other theme rows do. During a large import most events
 * are exposures, and this is most of this model's work: one insert per exposure instead of four
 * statements.
 */
class Exposures {
  /** each story's teller (null: no such story yet) and exposure so far, as read in this batch */
  private readonly stories = new Map<string, { teller: string | null; exposure: number }>();
  /** distinct people newly exposed in this batch, per story */
  private readonly added = new Map<string, number>();
  constructor(private readonly q: Statements) {}
  expose(storyId: string, personId: string, position: number): void {
    let s = this.stories.get(storyId);
    if (s === undefined) {
      const row = this.q.teller.get(storyId);
      s = { teller: row?.teller_id ?? null, exposure: row?.exposure ?? 0 };
      this.stories.set(storyId, s);
    }
    if (s.teller === null || s.teller === personId) return;
    if (this.q.exposed.run(storyId, personId).changes > 0) {
      this.added.set(storyId, (this.added.get(storyId) ?? 0) + 1);
      s.exposure += 1;
      this.q.exposureLog.run(storyId, position, s.exposure);
    }
  }
  /** a story told in this batch: its teller is now known, and no one else has been exposed to it */
  told(storyId: string, tellerId: string): void {
    this.stories.set(storyId, { teller: tellerId, exposure: 0 });
  }
  /** the counts, once per story */
  write(): void {
    for (const [storyId, n] of this.added) {
      this.q.exposure.run(n, storyId);
      this.q.themeExposure.run(n, storyId);
    }
    this.added.clear();
  }
}

function history(q: Statements, row: Record<string, string | number | null>): void {
  q.history.run({ reason: null, title_before: null, body_before: null, title_after: null, body_after: null, theme_id: null, themes: null, ...row });
}

export const storiesProjection: Projection = {
  name: 'stories',
  // 4: review before publishing (issue 12); 5: every person a story was ever linked to (story_leader_links);
  // 6: what a timeline shows that changes after telling, kept with its log position (story_changes,
  // story_history.position and .themes, story_exposure_log): the model at a cut, src/asof/timeline-cut.ts
  version: 6,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS story_stories (
        story_id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, teller_id TEXT NOT NULL,
        leader TEXT NOT NULL, leader_key TEXT NOT NULL, happened_in TEXT, occurred_on TEXT NOT NULL,
        relation TEXT NOT NULL, retelling_of TEXT, anonymous INTEGER NOT NULL, told_at TEXT NOT NULL,
        told_position INTEGER NOT NULL, revision INTEGER NOT NULL, amended_at TEXT,
        retracted INTEGER NOT NULL DEFAULT 0, retracted_at TEXT, retracted_reason TEXT,
        exposure INTEGER NOT NULL DEFAULT 0, leader_id TEXT,
        review TEXT, review_note TEXT, review_since TEXT, review_returned_at TEXT);
      CREATE INDEX IF NOT EXISTS story_stories_review ON story_stories (review, review_since);
      CREATE INDEX IF NOT EXISTS story_stories_leader_id ON story_stories (leader_id);
      CREATE INDEX IF NOT EXISTS story_stories_when ON story_stories (retracted, occurred_on, told_position);
      CREATE INDEX IF NOT EXISTS story_stories_leader ON story_stories (leader_key);
      CREATE INDEX IF NOT EXISTS story_stories_dept ON story_stories (happened_in);
      CREATE INDEX IF NOT EXISTS story_stories_retelling ON story_stories (retelling_of);
      -- a teller's stories awaiting review, on their home page: few rows, found without a scan
      CREATE INDEX IF NOT EXISTS story_stories_awaiting ON story_stories (teller_id, told_position) WHERE review IS NOT NULL;
      CREATE TABLE IF NOT EXISTS story_themes (
        story_id TEXT NOT NULL, theme_id TEXT NOT NULL, exposure INTEGER NOT NULL, live INTEGER NOT NULL,
        occurred_on TEXT NOT NULL, told_position INTEGER NOT NULL, PRIMARY KEY (story_id, theme_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS story_themes_theme ON story_themes (theme_id, story_id);
      CREATE INDEX IF NOT EXISTS story_themes_circulated ON story_themes (theme_id, live, exposure DESC, occurred_on, told_position);
      CREATE TABLE IF NOT EXISTS story_people (employee_id TEXT PRIMARY KEY, name TEXT NOT NULL);
      -- what changes a story's review state or leader after it is told, by log position: 'waiting'
      -- (told or amended into the queue), 'returned' (value: the note), 'published' (approved),
      -- 'linked' (value: the leader's id, told so or LeaderLinked), so that the model can be read as
      -- it stood at a cut of the log (src/asof/timeline-cut.ts)
      CREATE TABLE IF NOT EXISTS story_changes (
        story_id TEXT NOT NULL, position INTEGER NOT NULL, change TEXT NOT NULL, value TEXT, at TEXT NOT NULL, revision INTEGER NOT NULL,
        PRIMARY KEY (story_id, position, change)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS story_changes_position ON story_changes (position);
      CREATE TABLE IF NOT EXISTS story_departments (department_id TEXT PRIMARY KEY, name TEXT NOT NULL, open INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS story_history (
        story_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, actor TEXT,
        reason TEXT, title_before TEXT, body_before TEXT, title_after TEXT, body_after TEXT, theme_id TEXT,
        position INTEGER NOT NULL, themes TEXT,
        PRIMARY KEY (story_id, revision));
      -- themes: on a StorySubmitted row, the themes given when told (JSON), for the themes at a cut
      CREATE INDEX IF NOT EXISTS story_history_position ON story_history (position);
      CREATE TABLE IF NOT EXISTS story_exposed (
        story_id TEXT NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (story_id, person_id)) WITHOUT ROWID;
      -- a story's exposure by log position (after each event that exposed someone new to it): its
      -- exposure at a cut is its last row before the cut, one seek (src/asof/timeline-cut.ts)
      CREATE TABLE IF NOT EXISTS story_exposure_log (
        story_id TEXT NOT NULL, position INTEGER NOT NULL, exposure INTEGER NOT NULL, PRIMARY KEY (story_id, position)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS theme_themes (
        theme_id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
        defined_position INTEGER NOT NULL, revision INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS story_start_here (rank INTEGER PRIMARY KEY, story_id TEXT NOT NULL);
      ${reviewCopySchema('story')}
    `);
  },
  reset(db) {
    db.exec(`DROP TABLE IF EXISTS story_stories; DROP TABLE IF EXISTS story_themes; DROP TABLE IF EXISTS story_history;
             DROP TABLE IF EXISTS story_exposed; DROP TABLE IF EXISTS theme_themes; DROP TABLE IF EXISTS story_start_here;
             DROP TABLE IF EXISTS story_people; DROP TABLE IF EXISTS story_departments; DROP TABLE IF EXISTS story_leader_links; DROP TABLE IF EXISTS story_changes; DROP TABLE IF EXISTS story_exposure_log; ${reviewCopyDrop('story')}`);
    stmts.forget(db);
  },
  apply(db, e) {
    storiesProjection.applyBatch!(db, [e]);
  },
  applyBatch(db, events) {
    const q = stmts(db);
    const exposures = new Exposures(q);
    for (const e of events) applyOne(q, exposures, e);
    exposures.write();
  },
};

/** One event, its exposures added to the batch's (see Exposures). */
function applyOne(q: Statements, exposures: Exposures, e: ProjectedEvent): void {
  if (applyNameCopy(q.names, e)) return;
  if (applyReviewSetting(q.review, e)) return;
  const actor = e.metadata.actor ?? null;
  switch (e.type) {
    case 'ThemeDefined':
      q.defineTheme.run(e.data.themeId, e.data.name, e.data.description, e.position, e.revision);
      break;
    case 'ThemeDescribed':
      q.describeTheme.run(e.data.name ?? null, e.data.description, e.revision, e.data.themeId);
      break;
    case 'ThemeRetired':
      q.retireTheme.run(e.revision, e.data.themeId);
      break;
    case 'StorySubmitted': {
      const d = e.data;
      q.insertStory.run(d.storyId, d.title, d.body, d.tellerId, d.leader.trim(), leaderKey(d.leader), d.happenedIn ?? null, d.occurredOn,
        d.relation, d.retellingOf ?? null, d.anonymous ? 1 : 0, e.metadata.at, e.position, e.revision, d.leaderId ?? null);
      if (d.leaderId !== undefined) q.change.run(d.storyId, e.position, 'linked', d.leaderId, e.metadata.at, e.revision);
      if (reviewIsOn(q.review)) {
        q.awaitReview.run(e.metadata.at, d.storyId);
        q.change.run(d.storyId, e.position, 'waiting', null, e.metadata.at, e.revision);
      }
      exposures.told(d.storyId, d.tellerId);
      for (const t of d.themes) q.theme.run(t, d.storyId);
      history(q, { story_id: d.storyId, revision: e.revision, type: e.type, at: e.metadata.at, actor, title_after: d.title, body_after: d.body, position: e.position, themes: JSON.stringify(d.themes) });
      // a retelling exposes its teller to the story it retells (SPREAD.md)
      if (d.retellingOf !== undefined) exposures.expose(d.retellingOf, d.tellerId, e.position);
      break;
    }
    case 'StoryAmended': {
      const d = e.data;
      const s = q.text.get(d.storyId);
      if (!s) break;
      q.amend.run(d.title ?? s.title, d.body ?? s.body, e.revision, e.metadata.at, d.storyId);
      history(q, {
        story_id: d.storyId, revision: e.revision, type: e.type, at: e.metadata.at, actor, reason: d.reason,
        title_before: d.title !== undefined ? s.title : null, body_before: d.body !== undefined ? s.body : null,
        title_after: d.title ?? null, body_after: d.body ?? null, position: e.position,
      });
      // a returned story, amended, is back in the queue; an approved one stays published
      if (q.reviewOf.get(d.storyId)?.review === 'returned') {
        q.awaitReview.run(e.metadata.at, d.storyId);
        q.change.run(d.storyId, e.position, 'waiting', null, e.metadata.at, e.revision);
      }
      break;
    }
    case 'StoryApproved':
      q.approve.run(e.revision, e.data.storyId);
      q.liveThemes.run(e.data.storyId, e.data.storyId);
      q.change.run(e.data.storyId, e.position, 'published', null, e.metadata.at, e.revision);
      break;
    case 'StoryReturned':
      q.returnStory.run(e.data.note, e.metadata.at, e.revision, e.data.storyId);
      q.change.run(e.data.storyId, e.position, 'returned', e.data.note, e.metadata.at, e.revision);
      break;
    case 'StoryThemed':
    case 'StoryUnthemed': {
      const d = e.data;
      if (e.type === 'StoryThemed') q.theme.run(d.themeId, d.storyId);
      else q.untheme.run(d.storyId, d.themeId);
      q.revision.run(e.revision, d.storyId);
      history(q, { story_id: d.storyId, revision: e.revision, type: e.type, at: e.metadata.at, actor, theme_id: d.themeId, position: e.position });
      break;
    }
    case 'LeaderLinked':
      q.linkLeader.run(e.data.leaderId, e.revision, e.data.storyId);
      q.change.run(e.data.storyId, e.position, 'linked', e.data.leaderId, e.metadata.at, e.revision);
      break;
    case 'StoryRetracted': {
      const d = e.data;
      q.retract.run(e.metadata.at, d.reason, e.revision, d.storyId);
      q.retractThemes.run(d.storyId);
      history(q, { story_id: d.storyId, revision: e.revision, type: e.type, at: e.metadata.at, actor, reason: d.reason, position: e.position });
      break;
    }
    case 'StoryRead':
      exposures.expose(e.data.storyId, e.data.readerId, e.position);
      break;
    case 'StoryHeard':
      if (e.data.fromId !== undefined) exposures.expose(e.data.storyId, e.data.fromId, e.position);
      exposures.expose(e.data.storyId, e.data.listenerId, e.position);
      break;
    case 'StoryShared':
      exposures.expose(e.data.storyId, e.data.fromId, e.position);
      exposures.expose(e.data.storyId, e.data.toId, e.position);
      break;
    case 'PersonErased':
      q.eraseStories.run({ m: REMOVED_TEXT, key: leaderKey(REMOVED_TEXT), teller: e.data.employeeId });
      q.eraseHistory.run({ m: REMOVED_TEXT, teller: e.data.employeeId });
      break;
    case 'StartHerePicksSet': {
      q.clearPicks.run();
      e.data.storyIds.forEach((id, i) => q.pick.run(i, id));
      break;
    }
    default:
      break;
  }
}
