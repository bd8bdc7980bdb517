import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problemResponse } from '../../views/fragments/problem.tsx';
import type { AppEnv } from './env.ts';

/**
 * Request size limits, checked before anything reads the body (hono's bodyLimit: a Content-Length
 * over the limit is refused at once; a chunked body is counted as it arrives and cut off at the
 * limit), and the refusal of bodies that do not parse as the form they claim to be.
 *
 * Node's HTTP server bounds the request line and headers together (`maxHeaderSize`, 431); a URL
 * over MAX_URL_BYTES gets 414 here, with a page that says what happened.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

export const MAX_URL_BYTES = 8 * KiB;
/** Node's own limit on the request line plus headers (server.ts passes it to http.createServer) */
export const MAX_HEADER_BYTES = 16 * KiB;

/**
 * Body limits per route, first match wins. A story's body is at most 20,000 characters: in form
 * encoding a 4-byte character becomes 12 bytes (`%F0%9F%98%80`), so 240,000 bytes, plus the title,
 * leader, reason and themes; 512 KiB holds that with room. A CSV import of a large company: 20 MB
 * of CSV (the route's own limit) plus multipart framing.
 */
export const BODY_LIMITS: { pattern: RegExp; bytes: number; what: string }[] = [
  { pattern: /^\/(sign-in|sign-out)$/, bytes: 8 * KiB, what: 'sign-in' },
  { pattern: /^\/(setup|invitation)\/[^/]+$/, bytes: 8 * KiB, what: 'setup and invitations' },
  { pattern: /^\/stories(\/[^/]+\/amend)?$/, bytes: 512 * KiB, what: 'stories' },
  { pattern: /^\/admin\/import$/, bytes: 21 * MiB, what: 'CSV import' },
  { pattern: /^\/api\//, bytes: 16 * KiB, what: 'the API' },
];
export const DEFAULT_BODY_LIMIT = 64 * KiB;

export const bodyLimitFor = (path: string): number => BODY_LIMITS.find((l) => l.pattern.test(path))?.bytes ?? DEFAULT_BODY_LIMIT;

const sizeText = (bytes: number): string => (bytes >= MiB ? `${Math.round(bytes / MiB)} MB` : `${Math.round(bytes / KiB)} KB`);

function tooLarge(c: Context<AppEnv>, limit: number): Response | Promise<Response> {
  // the rest of the body is not read: tell the client not to reuse the connection
  c.header('Connection', 'close');
  return problemResponse(c, 413, 'That was too large to accept', `This form accepts at most ${sizeText(limit)}. Nothing was saved. Shorten what you sent, or split the file, and try again.`);
}

/** URL length (414) and the route's body limit (413), before any body is read. */
export function requestLimits(): MiddlewareHandler<AppEnv> {
  const limiters = new Map<number, MiddlewareHandler<AppEnv>>();
  const limiter = (bytes: number): MiddlewareHandler<AppEnv> => {
    let l = limiters.get(bytes);
    if (!l) {
      l = bodyLimit({ maxSize: bytes, onError: (c) => tooLarge(c as Context<AppEnv>, bytes) }) as MiddlewareHandler<AppEnv>;
      limiters.set(bytes, l);
    }
    return l;
  };
  return async (c, next) => {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf('//') + 2);
    if (url.length - Math.max(start, 0) > MAX_URL_BYTES) {
      return problemResponse(c, 414, 'That address is too long', `Addresses here are at most ${sizeText(MAX_URL_BYTES)}. Go back and try a shorter search or link.`);
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return limiter(bodyLimitFor(c.req.path))(c, next);
  };
}

const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/**
 * Parses a form body once, up front (hono caches it for the route's own parseBody), so a body that
 * is not the form it claims to be (multipart without a boundary, with the wrong one, cut short)
 * is a 400 with a message instead of an exception in the middle of a route.
 */
export function formBodies(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const type = c.req.header('content-type') ?? '';
    if (FORM_TYPES.test(type)) {
      try {
        await c.req.parseBody();
      } catch {
        return problemResponse(c, 400, 'That form could not be read', 'The form arrived incomplete or garbled, so nothing was saved. Reload the page and send it again.');
      }
    }
    return next();
  };
}
