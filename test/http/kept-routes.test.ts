import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import { testHallway } from '../helpers.ts';
import { KeptRoutes } from '../../src/http/kept-routes.ts';
import { ACCESS } from '../../src/http/access.ts';

/** The app's router keeps each (method, path)'s answer (src/http/kept-routes.ts): always hono's own answer. */
describe('kept routes', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  beforeAll(async () => {
    h = await testHallway();
  });
  afterAll(async () => h.dispose());

  it("answers as hono's default router does, for every route of the app and paths near them, asked twice", () => {
    const kept = new KeptRoutes<unknown>();
    const plain = new SmartRouter<unknown>({ routers: [new RegExpRouter(), new TrieRouter()] });
    for (const r of h.app.routes) {
      kept.add(r.method, r.path, r.handler);
      plain.add(r.method, r.path, r.handler);
    }
    const paths = new Set(['/', '/nowhere', '/stories/new', '/stories/new/leaders', '/leaders/people/x']);
    for (const r of ACCESS) {
      const concrete = r.path.replace(/:[^/]+/g, 'some-id').replace(/\*/g, 'a/b');
      paths.add(concrete);
      paths.add(`${concrete}/`);
    }
    for (const method of ['GET', 'POST', 'HEAD']) {
      for (const path of paths) {
        const want = plain.match(method, path);
        expect(kept.match(method, path), `${method} ${path}`).toEqual(want);
        // the kept answer, the second time
        expect(kept.match(method, path), `${method} ${path} again`).toEqual(want);
      }
    }
    // GET and POST of one path are kept apart
    expect(kept.match('GET', '/stories/x')).not.toEqual(kept.match('POST', '/stories/x'));
  });

  it('keeps a bounded number of answers, and drops them when a route is added', () => {
    const kept = new KeptRoutes<string>();
    kept.add('GET', '/a/:id', 'a');
    for (let i = 0; i < 5000; i++) kept.match('GET', `/a/${i}`);
    expect(kept.size).toBeLessThanOrEqual(1000);
    expect(kept.match('GET', '/a/1')[0].map(([handler]) => handler)).toEqual(['a']);
    const kept2 = new KeptRoutes<string>();
    kept2.add('GET', '/b', 'first');
    expect(kept2.match('GET', '/b')[0].map(([handler]) => handler)).toEqual(['first']);
    expect(kept2.size).toBe(1);
  });
});
