import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../http/env.ts';

/**
 * The device cookie: set on a successful sign-in, it says "this browser signed in to this account
 * before". Sign-in lets such a browser past the account-wide and address-wide limits, so someone
 * guessing an account's password cannot lock its owner out. It names the account and is signed
 * (HMAC-SHA256) with a secret kept in the data directory, so it survives restarts and cannot be
 * forged or moved to another account.
 */
export const DEVICE_COOKIE = 'hallway_device';
const YEAR_S = 365 * 24 * 3600;

const secrets = new Map<string, Buffer>();

/** The data directory's secret (device-cookie.key); also keys the email unsubscribe links (src/mail/unsubscribe.ts). */
export function secretOf(ctx: Pick<AppContext, 'config'>): Buffer {
  const dir = ctx.config.dataDir;
  let s = secrets.get(dir);
  if (s) return s;
  const file = join(dir, 'device-cookie.key');
  if (existsSync(file)) s = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  else {
    s = randomBytes(32);
    mkdirSync(dir, { recursive: true });
    // 'wx': of two processes creating it at once, the second fails and reads the first's
    try {
      writeFileSync(file, s.toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch {
      s = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    }
  }
  secrets.set(dir, s);
  return s;
}

const sign = (ctx: AppContext, employeeId: string, nonce: string): string =>
  createHmac('sha256', secretOf(ctx)).update(`${employeeId}.${nonce}`).digest('base64url');

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
