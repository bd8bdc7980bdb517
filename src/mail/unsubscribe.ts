import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Id } from '../../events/common.ts';
import { signFor } from '../auth/cookie-secret.ts';
import type { AppContext } from '../http/env.ts';

/**
 * Unsubscribe links: `/unsubscribe/{payload}.{mac}`, where the payload names the person and the
 * kind of email to turn off and the mac is an HMAC-SHA256 of it under a key derived from the data
 * directory's secret. So the link works without signing in (a mail client's one-click unsubscribe
 * has no session), never expires (a year-old digest's link still works), and cannot be changed to
 * name someone else or another kind. `all` (in invitations) turns both kinds off.
 */
export const UnsubscribeKind = z.enum(['shared', 'digest', 'all']);
export type UnsubscribeKind = z.infer<typeof UnsubscribeKind>;

const Payload = z.tuple([Id, UnsubscribeKind]);

// the data directory's cookie secret, for this purpose only: no cookie's signature is an unsubscribe link's
const mac = (ctx: AppContext, payload: string): string => signFor(ctx, 'email-unsubscribe-v1', payload);

export function unsubscribeToken(ctx: AppContext, employeeId: string, kind: UnsubscribeKind): string {
  const payload = Buffer.from(JSON.stringify([employeeId, kind])).toString('base64url');
  return `${payload}.${mac(ctx, payload)}`;
}

export function unsubscribeUrl(ctx: AppContext, employeeId: string, kind: UnsubscribeKind): string {
  return `${ctx.config.publicUrl.replace(/\/$/, '')}/unsubscribe/${unsubscribeToken(ctx, employeeId, kind)}`;
}

/** Who and what a token names, or null for anything not made by unsubscribeToken (tampered, cut, made up). */
export function readUnsubscribeToken(ctx: AppContext, token: string): { employeeId: string; kind: UnsubscribeKind } | null {
  if (token.length > 400) return null;
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined) return null;
  const want = Buffer.from(mac(ctx, payload));
  const got = Buffer.from(given);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  try {
    const parsed = Payload.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? { employeeId: parsed.data[0], kind: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
