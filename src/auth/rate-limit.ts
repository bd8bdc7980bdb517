/**
 * Failed-attempt limits for sign-in, invitations and first-run setup. Kept in this process's
 * memory: behind several Hallway processes each keeps its own, so the effective limit is the
 * per-process limit times the number of processes.
 *
 * Sign-in (issue 9, finding 5): an attempt is reserved BEFORE the password hash is checked and
 * settled after (a failure is counted, a success releases it), so parallel guesses cannot all be
 * checked before the first is counted. The lock-out is per (account, source) pair with a delay
 * that doubles after each failure past the free ones, so a stranger elsewhere cannot lock someone
 * out; an account-wide and an address-wide window stop distributed guessing and spraying, and a
 * browser that signed in to the account before (its device cookie) is exempt from those two.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export const ACCOUNT_LIMIT = 10;
export const IP_LIMIT = 30;
export const WINDOW_MS = 15 * 60_000;

/** sign-in: failures per (account, source) before the delays start */
export const PAIR_FREE = 5;
/** sign-in: the first delay after the free failures; it doubles with each further failure */
export const PAIR_BASE_DELAY_MS = 1000;
export const PAIR_MAX_DELAY_MS = WINDOW_MS;
/** sign-in: failures per account from every source in the window (a trusted device is exempt) */
export const SIGN_IN_ACCOUNT_LIMIT = 50;
/** sign-in: failures per address in the window (many people share one address behind a proxy) */
export const SIGN_IN_IP_LIMIT = 200;

/**
 * A limit whose attempts are reserved before the expensive check and settled after it.
 * `reserve` answers 0 when the attempt may go ahead (and holds a place for it), or the seconds
 * to wait.
 */
export interface Gate {
  reserve(key: string, now: number): number;
  /** the reserved attempt failed: count it */
  fail(key: string, now: number): void;
  /** the reserved attempt succeeded; `forget` also clears the key's failures */
  succeed(key: string, forget: boolean): void;
  /** the reserved attempt did not happen: give its place back, count nothing */
  release(key: string): void;
}

/** Sliding window: at most `limit` failures, in-flight attempts included, per `windowMs`. */
export function windowGate(limit: number, windowMs = WINDOW_MS): Gate {
  const l = createLimiter(limit, windowMs);
  const inFlight = new Map<string, number>();
  const done = (key: string): void => {
    const n = (inFlight.get(key) ?? 1) - 1;
    if (n > 0) inFlight.set(key, n);
    else inFlight.delete(key);
  };
  return {
    reserve(key, now) {
      const wait = l.retryAfter(key, now, inFlight.get(key) ?? 0);
      if (wait > 0) return wait;
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      return 0;
    },
    fail(key, now) {
      done(key);
      l.fail(key, now);
    },
    succeed(key, forget) {
      done(key);
      if (forget) l.clear(key);
    },
    release: done,
  };
}

/**
 * Growing delay: `free` failures, then each failure makes the key wait
 * base, 2·base, 4·base … (at most `maxMs`) before its next attempt, one attempt at a time.
 */
export function backoffGate(free = PAIR_FREE, baseMs = PAIR_BASE_DELAY_MS, maxMs = PAIR_MAX_DELAY_MS): Gate {
  const state = new Map<string, { failures: number; until: number; inFlight: number; last: number }>();
  const get = (key: string, now: number) => {
    let s = state.get(key);
    // a key quiet for a whole window starts again
    if (s && s.inFlight === 0 && now - s.last > WINDOW_MS) s = undefined;
    if (!s) {
      s = { failures: 0, until: 0, inFlight: 0, last: now };
      state.set(key, s);
      if (state.size > 100_000) {
        for (const [k, v] of state) if (v.inFlight === 0 && now - v.last > maxMs) state.delete(k);
      }
    }
    return s;
  };
  return {
    reserve(key, now) {
      const s = get(key, now);
      if (now < s.until) return Math.max(1, Math.ceil((s.until - now) / 1000));
      // past the free failures only one attempt at a time, so parallel guesses wait their turn
      if (s.failures + s.inFlight >= free && s.inFlight > 0) return Math.max(1, Math.ceil(baseMs / 1000));
      s.inFlight += 1;
      s.last = now;
      return 0;
    },
    fail(key, now) {
      const s = get(key, now);
      s.inFlight = Math.max(0, s.inFlight - 1);
      s.failures += 1;
      s.last = now;
      const over = s.failures - free;
      if (over >= 0) s.until = now + Math.min(maxMs, baseMs * 2 ** Math.min(over, 30));
    },
    succeed(key) {
      const s = state.get(key);
      if (!s) return;
      s.inFlight = Math.max(0, s.inFlight - 1);
      if (s.inFlight === 0) state.delete(key);
      else Object.assign(s, { failures: 0, until: 0 });
    },
    release(key) {
      const s = state.get(key);
      if (s) s.inFlight = Math.max(0, s.inFlight - 1);
    },
  };
}

export interface Limiter {
  /** seconds until another attempt is allowed, or 0 when it is allowed now (`pending`: attempts in flight, counted as failures) */
  retryAfter(key: string, now: number, pending?: number): number;
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
    retryAfter(key, now, pending = 0) {
      const list = recent(key, now);
      if (list.length + pending < limit) return 0;
      // attempts in flight that would reach the limit: try again once they have been settled
      if (list.length < limit) return 1;
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

/** The limiters of one app: setup and invitations (ip, account), sign-in (the gates). */
export interface AttemptLimits {
  ip: Limiter;
  account: Limiter;
  signIn: { pair: Gate; account: Gate; ip: Gate };
}

export const createAttemptLimits = (): AttemptLimits => ({
  ip: createLimiter(IP_LIMIT),
  account: createLimiter(ACCOUNT_LIMIT),
  signIn: { pair: backoffGate(), account: windowGate(SIGN_IN_ACCOUNT_LIMIT), ip: windowGate(SIGN_IN_IP_LIMIT) },
});

/** One sign-in attempt's places in the gates, reserved before the hash is checked. */
export interface SignInAttempt {
  fail(now: number): void;
  succeed(): void;
}

/**
 * Reserves a sign-in attempt for `account` from `source` (the address, or the trusted device):
 * the seconds to wait, or the attempt to settle after checking the hash. A trusted device (it
 * signed in to this account before) is held only to its own pair's delays.
 */
export function reserveSignIn(l: AttemptLimits, account: string, ip: string, device: string | null, now: number): number | SignInAttempt {
  const keys: [Gate, string, boolean][] = [[l.signIn.pair, device ? `${account}|device:${device}` : `${account}|ip:${ip}`, true]];
  if (!device) keys.push([l.signIn.account, account, true], [l.signIn.ip, ip, false]);
  const taken: [Gate, string, boolean][] = [];
  for (const k of keys) {
    const wait = k[0].reserve(k[1], now);
    if (wait > 0) {
      // give back the places already taken: this attempt does not happen
      for (const [g, key] of taken) g.release(key);
      return wait;
    }
    taken.push(k);
  }
  return {
    fail: (at) => taken.forEach(([g, key]) => g.fail(key, at)),
    succeed: () => taken.forEach(([g, key, forget]) => g.succeed(key, forget)),
  };
}

/** Seconds to wait before trying again for this IP or account, 0 when allowed. */
export const retryAfter = (l: AttemptLimits, ip: string, account: string | null, now: number): number =>
  Math.max(l.ip.retryAfter(ip, now), account ? l.account.retryAfter(account, now) : 0);

export function recordFailure(l: AttemptLimits, ip: string, account: string | null, now: number): void {
  l.ip.fail(ip, now);
  if (account) l.account.fail(account, now);
}
