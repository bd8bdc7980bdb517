import { preparedPer } from './prepared.ts';
import type { Projection, Views } from './runtime.ts';

const stmts = preparedPer((db: Views) => ({
  invite: db.prepare(
    `INSERT INTO auth_credentials (employee_id, invitation_hash, invitation_expires_at) VALUES (?, ?, ?)
     ON CONFLICT(employee_id) DO UPDATE SET invitation_hash = excluded.invitation_hash, invitation_expires_at = excluded.invitation_expires_at`,
  ),
  // setting a password uses up any open invitation
  password: db.prepare(
    `INSERT INTO auth_credentials (employee_id, password_hash) VALUES (?, ?)
     ON CONFLICT(employee_id) DO UPDATE SET password_hash = excluded.password_hash, invitation_hash = NULL, invitation_expires_at = NULL`,
  ),
  start: db.prepare('INSERT OR IGNORE INTO auth_sessions (session_id, secret_hash, employee_id, started_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
  extend: db.prepare('UPDATE auth_sessions SET expires_at = ? WHERE session_id = ?'),
  end: db.prepare('UPDATE auth_sessions SET ended_at = ?, end_reason = ? WHERE session_id = ? AND ended_at IS NULL'),
  endAll: db.prepare("UPDATE auth_sessions SET ended_at = ?, end_reason = 'revoked' WHERE employee_id = ? AND ended_at IS NULL"),
}));

/**
 * Credentials and sessions, for validating a session token and checking a password. Holds only
 * hashes (the log holds nothing that lets a reader sign in).
 */
export const authProjection: Projection = {
  name: 'auth',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS auth_credentials (
        employee_id TEXT PRIMARY KEY, password_hash TEXT, invitation_hash TEXT, invitation_expires_at TEXT);
      CREATE INDEX IF NOT EXISTS auth_credentials_invitation ON auth_credentials (invitation_hash);
      CREATE TABLE IF NOT EXISTS auth_sessions (
        session_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, employee_id TEXT NOT NULL,
        started_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT, end_reason TEXT);
      CREATE INDEX IF NOT EXISTS auth_sessions_employee ON auth_sessions (employee_id);
    `);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS auth_credentials; DROP TABLE IF EXISTS auth_sessions;');
    stmts.forget(db);
  },
  apply(db, e) {
    const q = stmts(db);
    switch (e.type) {
      case 'InvitationIssued':
        q.invite.run(e.data.employeeId, e.data.tokenHash, e.data.expiresAt);
        break;
      case 'PasswordSet':
        q.password.run(e.data.employeeId, e.data.passwordHash);
        break;
      case 'SessionStarted':
        q.start.run(e.data.sessionId, e.data.secretHash, e.data.employeeId, e.metadata.at, e.data.expiresAt);
        break;
      case 'SessionExtended':
        q.extend.run(e.data.expiresAt, e.data.sessionId);
        break;
      case 'SessionEnded':
        q.end.run(e.metadata.at, e.data.reason, e.data.sessionId);
        break;
      case 'EmployeeLeft':
        // leaving ends every session (the SessionEnded events are appended too; this closes the gap)
        q.endAll.run(e.metadata.at, e.data.employeeId);
        break;
      default:
        break;
    }
  },
};
