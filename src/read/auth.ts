import type { Views } from '../projections/runtime.ts';
import type { SessionRow } from '../auth/sessions.ts';
import type { ApiTokenRow } from '../projections/api-tokens.ts';
import { preparedPer } from '../projections/prepared.ts';

/**
 * The look-ups every signed-in request makes (its session, or its API token), over the auth and
 * api-token read models, with their statements prepared once per views connection.
 */
function statements(db: Views) {
  return {
    session: db.prepare<[string], SessionRow>('SELECT * FROM auth_sessions WHERE session_id = ?'),
    token: db.prepare<[string], ApiTokenRow>('SELECT * FROM api_tokens WHERE token_id = ?'),
    tokens: db.prepare<[], ApiTokenRow>('SELECT * FROM api_tokens ORDER BY issued_at DESC'),
    openSessionIds: db.prepare<[string], { session_id: string }>('SELECT session_id FROM auth_sessions WHERE employee_id = ? AND ended_at IS NULL'),
    liveSessions: db.prepare<[string | null, string | null, string], { n: number }>(
      'SELECT count(*) AS n FROM auth_sessions WHERE ended_at IS NULL AND (? IS NULL OR employee_id = ?) AND expires_at > ?',
    ),
    passwordHash: db.prepare<[string], { password_hash: string | null }>('SELECT password_hash FROM auth_credentials WHERE employee_id = ?'),
    invitation: db.prepare<[string], { employee_id: string; invitation_expires_at: string | null }>(
      'SELECT employee_id, invitation_expires_at FROM auth_credentials WHERE invitation_hash = ?',
    ),
  };
}
const q = preparedPer(statements);

export const sessionById = (db: Views, sessionId: string): SessionRow | undefined => q(db).session.get(sessionId);
export const apiTokenById = (db: Views, tokenId: string): ApiTokenRow | undefined => q(db).token.get(tokenId);
export const apiTokens = (db: Views): ApiTokenRow[] => q(db).tokens.all();
/** the ids of a person's sessions not yet ended (expired ones included: ending them is harmless) */
export const openSessionIds = (db: Views, employeeId: string): string[] => q(db).openSessionIds.all(employeeId).map((r) => r.session_id);
/** sessions neither ended nor expired at `nowIso`, for one person or (without one) everybody */
export const liveSessionCount = (db: Views, nowIso: string, employeeId?: string): number =>
  q(db).liveSessions.get(employeeId ?? null, employeeId ?? null, nowIso)?.n ?? 0;
export const passwordHashOf = (db: Views, employeeId: string): string | null => q(db).passwordHash.get(employeeId)?.password_hash ?? null;
export const invitationByHash = (db: Views, tokenHash: string): { employeeId: string; expiresAt: string | null } | undefined => {
  const r = q(db).invitation.get(tokenHash);
  return r && { employeeId: r.employee_id, expiresAt: r.invitation_expires_at };
};
