/**
 * Sessions as lucia-auth.com's session guide describes them: a token `id.secret`, both parts
 * random (120 bits each); only SHA-256(secret) is stored, and compared in constant time.
 * Sessions are events (session-{id}), validated through the auth projection, so a restart or a
 * second Hallway process keeps people signed in.
 */
import { getRandomValues, hash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { isDomainError } from '../domain/decider.ts';
import { handle } from '../command.ts';
import { sha256Hex } from '../ids.ts';
import { sessionDecider } from '../domain/sessions.ts';
import type { AppContext } from '../http/env.ts';
import { ConcurrencyError } from '../store/port.ts';
import { orgQueries } from '../read/org.ts';
import type { Employee } from '../read/org.ts';
import { openSessionIds, sessionById } from '../read/auth.ts';
import { keptUntilViewsChange } from '../read/kept.ts';
import { setDeviceCookie } from './device.ts';

export const SESSION_COOKIE = 'hallway_session';
/** idle limit: a session not used for this long expires */
export const SESSION_IDLE_MS = 7 * 24 * 3600_000;
/** absolute limit: however active, sign in again after this long */
export const SESSION_MAX_MS = 30 * 24 * 3600_000;

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** 24 characters of a 32-letter alphabet: 120 bits of entropy (the guide's construction). */
export function generateSecureRandomString(): string {
  const bytes = new Uint8Array(24);
  getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b >> 3];
  return out;
}

export interface SessionRow {
  session_id: string;
  secret_hash: string;
  employee_id: string;
  started_at: string;
  expires_at: string;
  ended_at: string | null;
}

export interface ValidSession {
  sessionId: string;
  employee: Employee;
  expiresAt: Date;
  /** the expiry moved: the cookie should be set again */
  extended: boolean;
}

const startStream = (id: string): string => `session-${id}`;

export async function createSession(ctx: AppContext, employeeId: string): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const sessionId = generateSecureRandomString();
  const secret = generateSecureRandomString();
  const now = ctx.clock();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  // handle waits for the read models: the next request must find the session
  const r = await handle(
    ctx,
    startStream(sessionId),
    sessionDecider,
    { type: 'StartSession', data: { sessionId, secretHash: sha256Hex(secret), employeeId, expiresAt: expiresAt.toISOString() } },
    { actor: employeeId, expected: 'new' },
  );
  if (isDomainError(r)) throw new Error(r.message);
  return { token: `${sessionId}.${secret}`, sessionId, expiresAt };
}

/**
 * A session's row and its person, kept until the read models change (src/read/kept.ts): every
 * signed-in request looks them up, and signing out, a revocation, an extension, leaving or a
 * change of roles are events whose projection moves the version, so a kept pair is never stale.
 * The secret is still checked and the expiry still compared with the clock on every request.
 */
function sessionAndPerson(ctx: AppContext, sessionId: string): { row: SessionRow; employee: Employee | undefined } | null {
  const db = ctx.runtime.db;
  return keptUntilViewsChange(db, `session:${sessionId}`, () => {
    const row = sessionById(db, sessionId);
    return row ? { row, employee: orgQueries(db).employee(row.employee_id) } : null;
  });
}

export async function validateSessionToken(ctx: AppContext, token: string): Promise<ValidSession | null> {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [sessionId, secret] = parts as [string, string];
  if (!/^[a-z2-9]{24}$/.test(sessionId) || !/^[a-z2-9]{24}$/.test(secret)) return null;
  const found = sessionAndPerson(ctx, sessionId);
  if (!found || found.row.ended_at) return null;
  const { row, employee } = found;
  // SHA-256 in one call, straight to bytes (createHash, hex and back cost more than the hash itself)
  const given = hash('sha256', secret, 'buffer');
  const stored = Buffer.from(row.secret_hash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  const now = ctx.clock().getTime();
  const expires = Date.parse(row.expires_at);
  const hardLimit = Date.parse(row.started_at) + SESSION_MAX_MS;
  if (now >= expires || now >= hardLimit) {
    await endSession(ctx, sessionId, 'expired', 'system').catch(() => {});
    return null;
  }
  if (!employee || employee.leftAt) return null;
  let expiresAt = new Date(expires);
  let extended = false;
  // sliding expiry: a session used in the last half of its idle window is extended
  if (expires - now < SESSION_IDLE_MS / 2) {
    expiresAt = new Date(Math.min(now + SESSION_IDLE_MS, hardLimit));
    extended = true;
    try {
      // handle waits for the read models: the next request (perhaps to another process) sees the new expiry
      await handle(ctx, startStream(sessionId), sessionDecider, { type: 'ExtendSession', data: { sessionId, expiresAt: expiresAt.toISOString() } }, { actor: employee.employeeId });
    } catch (e) {
      // two requests extending at once: one wins, and either extension is as good
      if (!(e instanceof ConcurrencyError)) throw e;
    }
  }
  return { sessionId, employee, expiresAt, extended };
}

export async function endSession(ctx: AppContext, sessionId: string, reason: 'signed-out' | 'expired' | 'revoked', actor: string): Promise<number> {
  const r = await handle(ctx, startStream(sessionId), sessionDecider, { type: 'EndSession', data: { sessionId, reason } }, { actor });
  return isDomainError(r) ? 0 : r.position;
}

/** Ends every open session of a person (an admin's "sign out everywhere", or leaving). */
export async function endAllSessions(ctx: AppContext, employeeId: string, actor: string): Promise<number> {
  const open = openSessionIds(ctx.runtime.db, employeeId);
  for (const id of open) await endSession(ctx, id, 'revoked', actor);
  return open.length;
}

const isHttps = (c: Context, ctx: AppContext): boolean =>
  new URL(c.req.url).protocol === 'https:' || ctx.config.publicUrl.startsWith('https:');

export function setSessionCookie(c: Context, ctx: AppContext, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: isHttps(c, ctx),
    expires: expiresAt,
  });
}

export function deleteSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/**
 * What every successful sign-in does, by password or through the company's OpenID provider: a new
 * session with its cookie, and the device cookie (this browser has signed in to this account).
 */
export async function signedInAs(c: Context, ctx: AppContext, employeeId: string): Promise<void> {
  const { token, expiresAt } = await createSession(ctx, employeeId);
  setSessionCookie(c, ctx, token, expiresAt);
  setDeviceCookie(c, ctx, employeeId);
}
