import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * A request header as `c.req.header(name)` gives it (repeated lines joined as fetch's Headers
 * joins them: with "; " for Cookie, ", " for the rest; `name` in lower case), read from node's raw header lines when
 * @hono/node-server serves the request. Asking the fetch Request for any header makes
 * @hono/node-server build a whole Headers object of the request's headers first; the headers every
 * request reads (its id, the session cookie) are read here without it
 * (test/http/request-header.test.ts checks both ways agree).
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const raw = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.rawHeaders;
  if (!raw) return c.req.header(name);
  const separator = name === 'cookie' ? '; ' : ', ';
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i]!;
    if (n.length === name.length && n.toLowerCase() === name) {
      const v = trimmed(raw[i + 1]!);
      value = value === undefined ? v : `${value}${separator}${v}`;
    }
  }
  return value;
}

/** fetch's Headers drops leading and trailing spaces, tabs, CRs and LFs from a value */
function trimmed(v: string): string {
  let from = 0;
  let to = v.length;
  while (from < to && isHttpSpace(v.charCodeAt(from))) from++;
  while (to > from && isHttpSpace(v.charCodeAt(to - 1))) to--;
  return from === 0 && to === v.length ? v : v.slice(from, to);
}
const isHttpSpace = (code: number): boolean => code === 32 || code === 9 || code === 10 || code === 13;
