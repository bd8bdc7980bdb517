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
  };
}
const q = preparedPer(statements);

export const sessionById = (db: Views, sessionId: string): SessionRow | undefined => q(db).session.get(sessionId);
export const apiTokenById = (db: Views, tokenId: string): ApiTokenRow | undefined => q(db).token.get(tokenId);
