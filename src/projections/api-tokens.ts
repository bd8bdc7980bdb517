import { preparedPer } from './prepared.ts';
import type { Projection, Views } from './runtime.ts';

const stmts = preparedPer((db: Views) => ({
  issue: db.prepare('INSERT OR IGNORE INTO api_tokens (token_id, employee_id, secret_hash, label, issued_at) VALUES (?, ?, ?, ?, ?)'),
  revoke: db.prepare('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE token_id = ?'),
}));

/** API tokens as they are now: holder, label, the secret's SHA-256, and whether revoked. */
export const apiTokensProjection: Projection = {
  name: 'api-tokens',
  version: 1,
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS api_tokens (
      token_id TEXT PRIMARY KEY, employee_id TEXT NOT NULL, secret_hash TEXT NOT NULL, label TEXT NOT NULL,
      issued_at TEXT NOT NULL, revoked_at TEXT)`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS api_tokens');
    stmts.forget(db);
  },
  apply(db, e) {
    if (e.type === 'ApiTokenIssued') {
      stmts(db).issue.run(e.data.tokenId, e.data.employeeId, e.data.secretHash, e.data.label, e.metadata.at);
    } else if (e.type === 'ApiTokenRevoked') {
      stmts(db).revoke.run(e.metadata.at, e.data.tokenId);
    }
  },
};

export interface ApiTokenRow {
  token_id: string;
  employee_id: string;
  secret_hash: string;
  label: string;
  issued_at: string;
  revoked_at: string | null;
}
