import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../http/env.ts';
import { cookieSecret } from './cookie-secret.ts';

/**
 * The device cookie: set on a successful sign-in, it says "this browser signed in to this account
 * before". Sign-in lets such a browser past the account-wide and address-wide limits, so someone
 * guessing an account's password cannot lock its owner out. It names the account and is signed
 * (HMAC-SHA256) with the data directory's cookie secret (cookie-secret.ts), so it survives restarts
 * and cannot be forged or moved to another account.
 */
export const DEVICE_COOKIE = 'hallway_device';
const YEAR_S = 365 * 24 * 3600;

const sign = (ctx: AppContext, employeeId: string, nonce: string): string =>
  createHmac('sha256', cookieSecret(ctx)).update(`${employeeId}.${nonce}`).digest('base64url');

/** Sets a device cookie for this employee (after a successful sign-in). */
export function setDeviceCookie(c: Context, ctx: AppContext, employeeId: string): void {
  const nonce = randomBytes(12).toString('base64url');
  const value = `${Buffer.from(employeeId).toString('base64url')}.${nonce}.${sign(ctx, employeeId, nonce)}`;
  setCookie(c, DEVICE_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/sign-in',
    secure: ctx.config.publicUrl.startsWith('https:'),
    maxAge: YEAR_S,
  });
}

/** The device's id (its nonce) when the request carries a valid device cookie for this employee, else null. */
export function trustedDevice(c: Context, ctx: AppContext, employeeId: string): string | null {
  const raw = getCookie(c, DEVICE_COOKIE);
  if (!raw || raw.length > 512) return null;
  const [who, nonce, mac] = raw.split('.');
  if (!who || !nonce || !mac) return null;
  if (Buffer.from(who, 'base64url').toString() !== employeeId) return null;
  const want = Buffer.from(sign(ctx, employeeId, nonce));
  const got = Buffer.from(mac);
  return want.length === got.length && timingSafeEqual(want, got) ? nonce : null;
}
