import type { Projection, Views } from './runtime.ts';
import { preparedPer } from './prepared.ts';
import { FORMER_COLLEAGUE, REMOVED_TEXT } from '../privacy/markers.ts';

/**
 * What each person has read, heard and been sent (tables `reading_*`): the facts behind their own
 * Start here progress, "Sent to you" and "You have heard this one". Only the person themself is
 * ever shown their rows (src/read/reading.ts); leaders' pages never read these tables.
 *
 * - `reading_reads`: (reader, story) once a StoryRead names them.
 * - `reading_heard`: the last UTC day a person said they had heard a story (the circulation
 *   decider refuses a second "heard" on the same day from it).
 * - `reading_inbox`: stories sent to a person, the latest sender first; shown while unread.
 * - `reading_people`, `reading_stories`: this model's own copies of the names and titles it shows.
 */
function statements(db: Views) {
  return {
    person: db.prepare('INSERT INTO reading_people (employee_id, name) VALUES (?, ?) ON CONFLICT(employee_id) DO UPDATE SET name = excluded.name'),
    story: db.prepare('INSERT OR IGNORE INTO reading_stories (story_id, title, teller_id) VALUES (?, ?, ?)'),
    retitle: db.prepare('UPDATE reading_stories SET title = ? WHERE story_id = ?'),
    erasePerson: db.prepare('UPDATE reading_people SET name = ? WHERE employee_id = ?'),
    eraseTitles: db.prepare('UPDATE reading_stories SET title = ? WHERE teller_id = ?'),
    retract: db.prepare('UPDATE reading_stories SET retracted = 1 WHERE story_id = ?'),
    read: db.prepare('INSERT OR IGNORE INTO reading_reads (reader_id, story_id) VALUES (?, ?)'),
    heard: db.prepare(
      `INSERT INTO reading_heard (listener_id, story_id, day, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(listener_id, story_id) DO UPDATE SET day = max(day, excluded.day), at = max(at, excluded.at)`,
    ),
    sent: db.prepare(
      `INSERT INTO reading_inbox (to_id, story_id, from_id, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(to_id, story_id) DO UPDATE SET from_id = excluded.from_id, at = excluded.at WHERE excluded.at >= at`,
    ),
  };
}
const stmts = preparedPer(statements);

export const readingProjection: Projection = {
  name: 'reading',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS reading_people (employee_id TEXT PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS reading_stories (
        story_id TEXT PRIMARY KEY, title TEXT NOT NULL, teller_id TEXT NOT NULL, retracted INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS reading_reads (reader_id TEXT NOT NULL, story_id TEXT NOT NULL, PRIMARY KEY (reader_id, story_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS reading_heard (
        listener_id TEXT NOT NULL, story_id TEXT NOT NULL, day TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (listener_id, story_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS reading_inbox (
        to_id TEXT NOT NULL, story_id TEXT NOT NULL, from_id TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (to_id, story_id)) WITHOUT ROWID;
      -- home shows a person's newest unread stories first: read in order, not sorted on every page
      CREATE INDEX IF NOT EXISTS reading_inbox_newest ON reading_inbox (to_id, at);
    `);
  },
  reset(db) {
    db.exec(`DROP TABLE IF EXISTS reading_people; DROP TABLE IF EXISTS reading_stories; DROP TABLE IF EXISTS reading_reads;
             DROP TABLE IF EXISTS reading_heard; DROP TABLE IF EXISTS reading_inbox;`);
    stmts.forget(db);
  },
  apply(db, e) {
    const q = stmts(db);
    switch (e.type) {
      case 'EmployeeJoined':
        q.person.run(e.data.employeeId, e.data.name);
        break;
      case 'StorySubmitted':
        q.story.run(e.data.storyId, e.data.title, e.data.tellerId);
        break;
      case 'StoryAmended':
        if (e.data.title !== undefined) q.retitle.run(e.data.title, e.data.storyId);
        break;
      case 'StoryRetracted':
        q.retract.run(e.data.storyId);
        break;
      case 'PersonErased':
        q.erasePerson.run(FORMER_COLLEAGUE, e.data.employeeId);
        q.eraseTitles.run(REMOVED_TEXT, e.data.employeeId);
        break;
      case 'StoryRead':
        q.read.run(e.data.readerId, e.data.storyId);
        break;
      case 'StoryHeard':
        q.heard.run(e.data.listenerId, e.data.storyId, e.metadata.at.slice(0, 10), e.metadata.at);
        break;
      case 'StoryShared':
        q.sent.run(e.data.toId, e.data.storyId, e.data.fromId, e.metadata.at);
        break;
      default:
        break;
    }
  },
};
