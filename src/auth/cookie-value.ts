import { tryDecodeURIComponent } from 'hono/utils/url';

// hono/utils/cookie's rules for a cookie's name and value, as getCookie applies them
const NAME = /^[!#-:<>-[\]-~]+$/;
const VALUE = /^[ !#-:<-[\]-~]*$/;

/** Spaces and tabs off both ends (what hono trims around a cookie's name and value). */
function trimmed(s: string, from: number, to: number): string {
  while (from < to && (s.charCodeAt(from) === 32 || s.charCodeAt(from) === 9)) from++;
  while (to > from && (s.charCodeAt(to - 1) === 32 || s.charCodeAt(to - 1) === 9)) to--;
  return s.slice(from, to);
}

/**
 * One cookie's value from a Cookie header, exactly as hono's `getCookie(c, name)` finds it (the
 * first `name=value` pair whose value is valid, unquoted and percent-decoded), without building an
 * object of every cookie on the way: the session cookie is read on every request
 * (test/unit/cookie-value.test.ts checks it against hono's parser).
 */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  if (!header || header.indexOf(name) === -1) return undefined;
  for (let start = 0; start <= header.length; ) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end && trimmed(header, start, eq) === name && NAME.test(name)) {
      let value = trimmed(header, eq + 1, end);
      if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (VALUE.test(value)) return tryDecodeURIComponent(value);
    }
    start = end + 1;
  }
  return undefined;
}
