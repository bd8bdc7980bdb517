import type { Projection } from './runtime.ts';

/**
 * The admin's audit trail: sign-ins, sign-outs, session ends, role changes, leaving, invitations,
 * passwords and API tokens, one row per event (by its global position), newest first on the page.
 * Keeps its own session -> employee map, so it depends on no other projection.
 */
export const auditProjection: Projection = {
  name: 'audit',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS audit_log (
        position INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT,
        employee_id TEXT, detail TEXT NOT NULL DEFAULT '');
      CREATE INDEX IF NOT EXISTS audit_log_employee ON audit_log (employee_id, position);
      CREATE TABLE IF NOT EXISTS audit_sessions (session_id TEXT PRIMARY KEY, employee_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS audit_tokens (token_id TEXT PRIMARY KEY, employee_id TEXT NOT NULL);
    `);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS audit_log; DROP TABLE IF EXISTS audit_sessions; DROP TABLE IF EXISTS audit_tokens;');
  },
  apply(db, e) {
    const row = (kind: string, employeeId: string | null, detail = ''): void => {
      db.prepare('INSERT OR IGNORE INTO audit_log (position, at, kind, actor, employee_id, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
        e.position,
        e.metadata.at,
        kind,
        e.metadata.actor ?? null,
        employeeId,
        detail,
      );
    };
    switch (e.type) {
      case 'SessionStarted':
        db.prepare('INSERT OR IGNORE INTO audit_sessions (session_id, employee_id) VALUES (?, ?)').run(e.data.sessionId, e.data.employeeId);
        row('signed-in', e.data.employeeId);
        break;
      case 'SessionEnded': {
        const s = db.prepare<[string], { employee_id: string }>('SELECT employee_id FROM audit_sessions WHERE session_id = ?').get(e.data.sessionId);
        row(e.data.reason === 'signed-out' ? 'signed-out' : e.data.reason === 'revoked' ? 'session-revoked' : 'session-expired', s?.employee_id ?? null);
        break;
      }
      case 'EmployeeRoleGranted':
        row('role-granted', e.data.employeeId, e.data.role);
        break;
      case 'EmployeeRoleRevoked':
        row('role-revoked', e.data.employeeId, e.data.role);
        break;
      case 'EmployeeLeft':
        row('left', e.data.employeeId);
        break;
      case 'InvitationIssued':
        row('invited', e.data.employeeId);
        break;
      case 'PasswordSet':
        row('password-set', e.data.employeeId);
        break;
      case 'ApiTokenIssued':
        db.prepare('INSERT OR IGNORE INTO audit_tokens (token_id, employee_id) VALUES (?, ?)').run(e.data.tokenId, e.data.employeeId);
        row('api-token-issued', e.data.employeeId, e.data.label);
        break;
      case 'ApiTokenRevoked': {
        const t = db.prepare<[string], { employee_id: string }>('SELECT employee_id FROM audit_tokens WHERE token_id = ?').get(e.data.tokenId);
        row('api-token-revoked', t?.employee_id ?? null);
        break;
      }
      default:
        break;
    }
  },
};

export interface AuditEntry {
  position: number;
  at: string;
  kind: string;
  actor: string | null;
  employeeId: string | null;
  detail: string;
  employeeName: string | null;
  actorName: string | null;
}

/** Newest first, `limit` rows before position `before` (exclusive; 0 = from the newest). */
export function auditEntries(db: import('./runtime.ts').Views, opts: { before?: number; limit?: number; employeeId?: string } = {}): AuditEntry[] {
  const before = opts.before && opts.before > 0 ? opts.before : Number.MAX_SAFE_INTEGER;
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 500);
  const rows = db
    .prepare<[number, string | null, string | null, number], {
      position: number; at: string; kind: string; actor: string | null; employee_id: string | null; detail: string; employee_name: string | null; actor_name: string | null;
    }>(
      `SELECT a.position, a.at, a.kind, a.actor, a.employee_id, a.detail, e.name AS employee_name, x.name AS actor_name
       FROM audit_log a LEFT JOIN org_employees e ON e.employee_id = a.employee_id LEFT JOIN org_employees x ON x.employee_id = a.actor
       WHERE a.position < ? AND (? IS NULL OR a.employee_id = ?) ORDER BY a.position DESC LIMIT ?`,
    )
    .all(before, opts.employeeId ?? null, opts.employeeId ?? null, limit);
  return rows.map((r) => ({
    position: r.position,
    at: r.at,
    kind: r.kind,
    actor: r.actor,
    employeeId: r.employee_id,
    detail: r.detail,
    employeeName: r.employee_name,
    actorName: r.actor_name,
  }));
}
