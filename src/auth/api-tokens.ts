import { timingSafeEqual } from 'node:crypto';
import { apiTokenDecider } from '../domain/api-tokens.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import { handle } from '../command.ts';
import { sha256Hex } from '../ids.ts';
import type { AppContext, CurrentUser } from '../http/env.ts';
import type { ApiTokenRow } from '../projections/api-tokens.ts';
import { orgQueries } from '../read/org.ts';
import { generateSecureRandomString } from './sessions.ts';
import { apiTokenById, apiTokens } from '../read/auth.ts';

/**
 * API tokens for leaders' tools: `hwt_<tokenId>.<secret>`, sent as `Authorization: Bearer …`.
 * Only SHA-256(secret) is recorded (ApiTokenIssued), so the log never lets anyone in; a revoked
 * token, or one whose holder left or lost the leader role, resolves to nobody.
 */
const TOKEN = /^hwt_([a-z2-9]{24})\.([a-z2-9]{24})$/;

const row = (ctx: AppContext, tokenId: string): ApiTokenRow | undefined => apiTokenById(ctx.runtime.db, tokenId);

export async function resolveApiToken(ctx: AppContext, bearer: string): Promise<CurrentUser | null> {
  const m = TOKEN.exec(bearer);
  if (!m) return null;
  const r = row(ctx, m[1]!);
  if (!r || r.revoked_at) return null;
  const given = Buffer.from(sha256Hex(m[2]!), 'hex');
  const stored = Buffer.from(r.secret_hash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  const e = orgQueries(ctx.runtime.db).employee(r.employee_id);
  if (!e || e.leftAt || !e.roles.includes('leader')) return null;
  // a token speaks for the leader on the API only; other areas can tell by `via`
  return { employeeId: e.employeeId, name: e.name, departmentId: e.departmentId, joinedOn: e.joinedOn, roles: ['leader'], via: 'token' };
}

export async function issueApiToken(ctx: AppContext, admin: string, employeeId: string, label: string): Promise<{ token: string; tokenId: string } | DomainError> {
  const tokenId = generateSecureRandomString();
  const secret = generateSecureRandomString();
  const holder = orgQueries(ctx.runtime.db).employee(employeeId);
  const r = await handle(
    ctx,
    `apitoken-${tokenId}`,
    apiTokenDecider,
    { type: 'IssueApiToken', data: { tokenId, employeeId, secretHash: sha256Hex(secret), label }, holderIsActiveLeader: !!holder && !holder.leftAt && holder.roles.includes('leader') },
    { actor: admin, expected: 'new' },
  );
  if (isDomainError(r)) return r;
  return { token: `hwt_${tokenId}.${secret}`, tokenId };
}

export async function revokeApiToken(ctx: AppContext, admin: string, tokenId: string): Promise<DomainError | null> {
  const r = await handle(ctx, `apitoken-${tokenId}`, apiTokenDecider, { type: 'RevokeApiToken', data: { tokenId } }, { actor: admin });
  return isDomainError(r) ? r : null;
}

export function listApiTokens(ctx: AppContext): ApiTokenRow[] {
  return apiTokens(ctx.runtime.db);
}
