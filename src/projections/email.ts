import { preparedPer } from './prepared.ts';
import type { Projection, Views } from './runtime.ts';
import type { EmailKind } from '../../events/mail.ts';

/**
 * Email choices as they are now: each person's turned-off kinds (`email_preferences`, a row only
 * once they changed one: no row means on) and whether the weekly digest is on (`email_settings`).
 */
const stmts = preparedPer((db: Views) => ({
  setPreference: db.prepare(
    'INSERT INTO email_preferences (employee_id, kind, enabled) VALUES (?, ?, ?) ON CONFLICT(employee_id, kind) DO UPDATE SET enabled = excluded.enabled',
  ),
  setDigest: db.prepare('INSERT INTO email_settings (id, weekly_digest) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET weekly_digest = excluded.weekly_digest'),
}));

export const emailProjection: Projection = {
  name: 'email',
  version: 1,
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS email_preferences (
      employee_id TEXT NOT NULL, kind TEXT NOT NULL, enabled INTEGER NOT NULL, PRIMARY KEY (employee_id, kind)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS email_settings (id INTEGER PRIMARY KEY CHECK (id = 1), weekly_digest INTEGER NOT NULL);`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS email_preferences; DROP TABLE IF EXISTS email_settings;');
    stmts.forget(db);
    queries.forget(db);
  },
  apply(db, e) {
    if (e.type === 'NotificationPreferenceChanged') stmts(db).setPreference.run(e.data.employeeId, e.data.kind, e.data.enabled ? 1 : 0);
    else if (e.type === 'EmailSettingsChanged') stmts(db).setDigest.run(e.data.weeklyDigest ? 1 : 0);
  },
};

const queries = preparedPer((db: Views) => ({
  preference: db.prepare<[string, string], number>('SELECT enabled FROM email_preferences WHERE employee_id = ? AND kind = ?').pluck(),
  digest: db.prepare<[], number>('SELECT weekly_digest FROM email_settings WHERE id = 1').pluck(),
}));

/** Whether this person gets this kind of email (on until they turn it off). */
export const wantsEmail = (db: Views, employeeId: string, kind: EmailKind): boolean => queries(db).preference.get(employeeId, kind) !== 0;

/** Whether an admin has turned the weekly digest on. */
export const weeklyDigestOn = (db: Views): boolean => queries(db).digest.get() === 1;
