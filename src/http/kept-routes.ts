import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

/** at most this many (method, path) answers are kept; past it, all are dropped (a rare reset is cheaper than an LRU here) */
const MAX_KEPT = 1000;

/**
 * Hono's default router, with its answer for each (method, path) kept.
 *
 * The default (SmartRouter over RegExpRouter and TrieRouter) settles on TrieRouter for this app
 * (RegExpRouter refuses `/stories/new` beside `/stories/:id`), which walks its tree and builds the
 * list of handlers and parameters on every request: a few percent of a page's CPU time. Once the
 * routes are in, the answer for a method and path never changes (hono only reads it), so it is
 * worked out once per (method, path) and kept; adding a route drops what was kept.
 */
export class KeptRoutes<T> implements Router<T> {
  name = 'KeptRoutes';
  readonly #inner: Router<T> = new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] });
  readonly #kept = new Map<string, Result<T>>();

  add(method: string, path: string, handler: T): void {
    this.#kept.clear();
    this.#inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const key = `${method} ${path}`;
    let result = this.#kept.get(key);
    if (result === undefined) {
      result = this.#inner.match(method, path);
      if (this.#kept.size >= MAX_KEPT) this.#kept.clear();
      this.#kept.set(key, result);
    }
    return result;
  }

  /** how many answers are kept (for tests) */
  get size(): number {
    return this.#kept.size;
  }
}
