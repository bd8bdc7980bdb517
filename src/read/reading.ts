import type { Views } from '../projections/runtime.ts';
import { preparedPer } from '../projections/prepared.ts';

/**
 * Read-side queries over the reading read model (tables `reading_*`, src/projections/reading.ts):
 * one person's own reads, hearings and inbox. Callers pass the signed-in person's id and show the
 * answer to that person only.
 */

export interface InboxItem {
  storyId: string;
  title: string;
  fromId: string;
  /** the sender's name (the recipient may know who sent it; nobody else is shown it) */
  fromName: string;
  at: string;
}

function statements(db: Views) {
  return {
    // one query for a page's whole list (a JSON array of ids) rather than one per story
    read: db.prepare<[string, string], string>('SELECT story_id FROM reading_reads WHERE reader_id = ? AND story_id IN (SELECT value FROM json_each(?))').pluck(),
    heard: db.prepare<[string, string], { day: string; at: string }>('SELECT day, at FROM reading_heard WHERE listener_id = ? AND story_id = ?'),
    // unread: the recipient has no StoryRead of it (before or after it was sent: a read the same
    // day as an earlier one is not recorded again, so "read since sent" could never clear it)
    inbox: db.prepare<[string, number], { story_id: string; title: string; from_id: string; from_name: string | null; at: string }>(
      `SELECT i.story_id, s.title, i.from_id, p.name AS from_name, i.at FROM reading_inbox i
       JOIN reading_stories s ON s.story_id = i.story_id
       LEFT JOIN reading_people p ON p.employee_id = i.from_id
       WHERE i.to_id = ? AND s.retracted = 0 AND s.teller_id <> i.to_id
         AND NOT EXISTS (SELECT 1 FROM reading_reads r WHERE r.reader_id = i.to_id AND r.story_id = i.story_id)
       ORDER BY i.at DESC LIMIT ?`,
    ),
  };
}
const q = preparedPer(statements);

/** Of these stories, the ones this person has read (opened the page of). */
export function readByMe(db: Views, readerId: string, storyIds: string[]): Set<string> {
  if (storyIds.length === 0) return new Set();
  return new Set(q(db).read.all(readerId, JSON.stringify(storyIds)));
}

/** When this person last said they had heard the story (UTC day and instant), or null. */
export function lastHeard(db: Views, listenerId: string, storyId: string): { day: string; at: string } | null {
  return q(db).heard.get(listenerId, storyId) ?? null;
}

/** Stories sent to this person that they have not read yet, newest first, with who sent each. */
export function unreadSentTo(db: Views, employeeId: string, limit = 10): InboxItem[] {
  return q(db)
    .inbox.all(employeeId, limit)
    .map((r) => ({ storyId: r.story_id, title: r.title, fromId: r.from_id, fromName: r.from_name ?? 'a colleague', at: r.at }));
}
