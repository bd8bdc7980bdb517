/**
 * Failed-attempt limits for sign-in, invitations and first-run setup: a sliding window of failure
 * times per key (an IP address, or an account's email / invitation). Kept in this process's
 * memory: behind several Hallway processes each keeps its own window, so the effective limit is
 * the per-process limit times the number of processes.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export const ACCOUNT_LIMIT = 10;
export const IP_LIMIT = 30;
export const WINDOW_MS = 15 * 60_000;

export interface Limiter {
  /** seconds until another attempt is allowed, or 0 when it is allowed now */
  retryAfter(key: string, now: number): number;
  /** records a failed attempt */
  fail(key: string, now: number): void;
  /** forgets a key's failures (after a success) */
  clear(key: string): void;
}

export function createLimiter(limit: number, windowMs = WINDOW_MS): Limiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number): number[] => {
    const list = (failures.get(key) ?? []).filter((t) => t > now - windowMs);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };
  return {
    retryAfter(key, now) {
      const list = recent(key, now);
      if (list.length < limit) return 0;
      // allowed again when the oldest failure that keeps the count at the limit leaves the window
      const oldest = list[list.length - limit]!;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    },
    fail(key, now) {
      const list = recent(key, now);
      list.push(now);
      failures.set(key, list);
      // bound memory: a flood of distinct keys cannot grow the map without limit
      if (failures.size > 100_000) {
        for (const k of failures.keys()) {
          recent(k, now);
          if (failures.size <= 50_000) break;
        }
      }
    },
    clear(key) {
      failures.delete(key);
    },
  };
}

/**
 * The client's address: the socket's (from @hono/node-server), or, only when
 * HALLWAY_TRUST_PROXY=1, the last X-Forwarded-For entry (the one the trusted proxy added).
 */
export function clientIp(c: Context): string {
  if (process.env['HALLWAY_TRUST_PROXY'] === '1') {
    const fwd = c.req.header('x-forwarded-for');
    const last = fwd?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // no socket (app.request in tests, or another runtime): one shared bucket
    return 'unknown';
  }
}

/** The per-IP and per-account limiters of one app. */
export interface AttemptLimits {
  ip: Limiter;
  account: Limiter;
}

export const createAttemptLimits = (): AttemptLimits => ({ ip: createLimiter(IP_LIMIT), account: createLimiter(ACCOUNT_LIMIT) });

/** Seconds to wait before trying again for this IP or account, 0 when allowed. */
export const retryAfter = (l: AttemptLimits, ip: string, account: string | null, now: number): number =>
  Math.max(l.ip.retryAfter(ip, now), account ? l.account.retryAfter(account, now) : 0);

export function recordFailure(l: AttemptLimits, ip: string, account: string | null, now: number): void {
  l.ip.fail(ip, now);
  if (account) l.account.fail(account, now);
}
