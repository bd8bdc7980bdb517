import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { keepRecent } from '../read/recently-used.ts';

const gzipAsync = promisify(gzip);

/**
 * Large pages (the leadership dashboard at organisation size is about 110 KB: a flow matrix of
 * 50 × 50 departments and a sparkline per story) are sent gzip-compressed to a browser that
 * accepts it, and the compressed bytes are kept for the next request of the same page: writing
 * 110 KB to the socket was most of such a request's cost, and compressing the page on every
 * request would cost more than it saves (about 1.3 ms at level 1, 4 ms at level 6).
 * A page is kept under what makes it (its frame's key and title, see views/renderer.tsx) together
 * with its body's text, and a kept copy is sent only for exactly that body: whatever the body
 * depends on (the window, the figures, the date), a change gives another text, and the entry is
 * compressed again. (A body kept elsewhere, like the dashboard's, is the same string from one
 * request to the next, so the comparison is by reference and costs nothing.) Compression runs on
 * libuv's thread pool, not on the thread that answers requests.
 */
/** a page whose body (the frame of menu and footer left out, about 4 KB) is this long or longer */
export const COMPRESS_FROM_CHARS = 24 * 1024;
/** pages kept, least recently used out: with their bodies, at most 32 × about 0.35 MB for 110 KB pages */
const MAX_KEPT = 32;

interface Kept {
  body: string;
  bytes: Promise<Buffer>;
}
const kept = new Map<string, Kept>();

/** The page's gzip bytes: compressed once per key and body while it stays among the last MAX_KEPT asked for. */
function compressedPage(key: string, body: string, html: () => string): Promise<Buffer> {
  let entry = kept.get(key);
  if (entry === undefined || entry.body !== body) {
    // level 6 (zlib's default): compressed once, sent many times
    const bytes = gzipAsync(html());
    const made = (entry = { body, bytes });
    // a failed compression is not kept (the page is sent as it is, see sendPage)
    bytes.catch(() => kept.get(key) === made && kept.delete(key));
  }
  keepRecent(kept, key, entry, MAX_KEPT);
  return entry.bytes;
}

/** The client said it takes gzip (Accept-Encoding, with q > 0). */
const takesGzip = (c: Context): boolean => accepts(c, { header: 'Accept-Encoding', supports: ['gzip'], default: 'identity' }) === 'gzip';

/**
 * Sends a full page: gzip-compressed (kept, see above) when it is large and the client takes gzip,
 * as it is otherwise. A large page says it varies with Accept-Encoding, for caches in between.
 */
export async function sendPage(c: Context, page: { key: string; body: string; html: () => string }): Promise<Response> {
  if (page.body.length < COMPRESS_FROM_CHARS) return c.html(page.html());
  c.header('Vary', 'Accept-Encoding', { append: true });
  if (!takesGzip(c)) return c.html(page.html());
  let bytes: Buffer;
  try {
    bytes = await compressedPage(page.key, page.body, page.html);
  } catch {
    return c.html(page.html());
  }
  c.header('Content-Encoding', 'gzip');
  c.header('Content-Type', 'text/html; charset=UTF-8');
  // a view on the kept bytes, not a copy (Buffer's own type is wider than the body's)
  return c.body(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength));
}
