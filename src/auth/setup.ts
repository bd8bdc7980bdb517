/**
 * First run: while no admin exists, `hallway serve` prints a one-time link (random token, valid
 * for an hour, kept only in this process's memory in ctx.setup). Only that link can create the
 * first admin; once an admin exists it is dead.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../http/env.ts';
import { orgQueries } from '../read/org.ts';
import { generateSecureRandomString } from './sessions.ts';

export const SETUP_TTL_MS = 3600_000;

/** Makes a fresh setup token when no admin exists; returns the link to print, or null. */
export function openSetup(ctx: AppContext): string | null {
  if (orgQueries(ctx.runtime.db).adminCount() > 0) {
    consumeSetup(ctx);
    return null;
  }
  const token = generateSecureRandomString() + generateSecureRandomString();
  // changed in place: copies of the context (tests spread it) share the one setup object
  ctx.setup.token = token;
  ctx.setup.expiresAt = ctx.clock().getTime() + SETUP_TTL_MS;
  return `${ctx.config.publicUrl.replace(/\/$/, '')}/setup/${token}`;
}

/** 'gone' once an admin exists (410), 'unknown' for a wrong or expired token (404). */
export function setupStatus(ctx: AppContext, token: string): 'open' | 'gone' | 'unknown' {
  if (orgQueries(ctx.runtime.db).adminCount() > 0) return 'gone';
  const s = ctx.setup;
  if (!s.token || ctx.clock().getTime() >= s.expiresAt) return 'unknown';
  const a = Buffer.from(token);
  const b = Buffer.from(s.token);
  return a.length === b.length && timingSafeEqual(a, b) ? 'open' : 'unknown';
}

/** Uses the token up (synchronously, so two posts at once cannot both create an admin). */
export function consumeSetup(ctx: AppContext): void {
  ctx.setup.token = null;
  ctx.setup.expiresAt = 0;
}

/** Gives a consumed token back (creating the admin failed, so the link must keep working). */
export function restoreSetup(ctx: AppContext, token: string, expiresAt: number): void {
  ctx.setup.token = token;
  ctx.setup.expiresAt = expiresAt;
}
