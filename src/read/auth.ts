import type { Views } from '../projections/runtime.ts';
import type { SessionRow } from '../auth/sessions.ts';
import type { ApiTokenRow } from '../projections/api-tokens.ts';

/**
 * The look-ups every signed-in request makes (its session, or its API token), over the auth and
 * api-token read models, with their statements prepared once per views connection.
 */
function statements(db: Views) {
  return {
    session: db.prepare<[string], SessionRow>('SELECT * FROM auth_sessions WHERE session_id = ?'),
    token: db.prepare<[string], ApiTokenRow>('SELECT * FROM api_tokens WHERE token_id = ?'),
  };
}
const cache = new WeakMap<Views, ReturnType<typeof statements>>();
function q(db: Views): ReturnType<typeof statements> {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = statements(db)));
  return s;
}

export const sessionById = (db: Views, sessionId: string): SessionRow | undefined => q(db).session.get(sessionId);
export const apiTokenById = (db: Views, tokenId: string): ApiTokenRow | undefined => q(db).token.get(tokenId);
