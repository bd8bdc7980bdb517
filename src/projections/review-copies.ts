import type { ProjectedEvent, Views } from './runtime.ts';

/**
 * A read model's own copy of whether review before publishing is on (`{prefix}_review_setting`),
 * kept from `ArchiveSettingsChanged` the same way by every model that hides stories awaiting
 * review (stories, search, spread), so none of them reads another's tables. A story awaits review
 * when this copy says "on" as its `StorySubmitted` is applied: log order, imports included.
 */
export type ReviewPrefix = 'story' | 'search' | 'spread';

export const reviewCopySchema = (prefix: ReviewPrefix): string =>
  `CREATE TABLE IF NOT EXISTS ${prefix}_review_setting (id INTEGER PRIMARY KEY CHECK (id = 1), review_on INTEGER NOT NULL);`;

export const reviewCopyDrop = (prefix: ReviewPrefix): string => `DROP TABLE IF EXISTS ${prefix}_review_setting;`;

export function reviewCopyStatements(db: Views, prefix: ReviewPrefix) {
  return {
    set: db.prepare(`INSERT INTO ${prefix}_review_setting (id, review_on) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET review_on = excluded.review_on`),
    on: db.prepare<[], number>(`SELECT review_on FROM ${prefix}_review_setting WHERE id = 1`).pluck(),
  };
}
type ReviewCopy = ReturnType<typeof reviewCopyStatements>;

/** Applies the setting's event to the copy; false when the event is not about the setting. */
export function applyReviewSetting(q: ReviewCopy, e: ProjectedEvent): boolean {
  if (e.type !== 'ArchiveSettingsChanged') return false;
  q.set.run(e.data.reviewBeforePublishing ? 1 : 0);
  return true;
}

/** Whether a story submitted now awaits review (off until an admin turns it on). */
export const reviewIsOn = (q: ReviewCopy): boolean => q.on.get() === 1;
