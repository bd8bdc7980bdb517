import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { renderer } from '../../views/renderer.tsx';
import { Layout } from '../../views/layout.tsx';
import type { AppEnv, CurrentUser } from '../../src/http/env.ts';

/**
 * views/renderer.tsx keeps each page frame (the layout around the content) and reuses it for every
 * path that makes the same menu link current. These tests check that a page through the renderer
 * is exactly the layout rendered afresh, for every kind of path and person, in an order that makes
 * it reuse frames: if views/layout.tsx's rule for the current link changes, they fail.
 */
const person = (name: string, roles: CurrentUser['roles']): CurrentUser => ({ employeeId: `id-${name}`, name, departmentId: 'd', joinedOn: '2020-01-01', roles, via: 'session' });
const PEOPLE: (CurrentUser | null)[] = [
  null,
  person('Ann <i>"Amp"</i> & Co', []),
  person('Cora Curator', ['curator']),
  person('Lee Leader', ['leader', 'admin']),
  person('Ann <i>"Amp"</i> & Co', ['curator', 'leader', 'admin']),
];
const PATHS = [
  '/', '/timelines', '/timelines/extra', '/themes', '/themes/care', '/leaders/Grace', '/departments/noc', '/search', '/search/x',
  '/stories/new', '/stories/new/x', '/stories/abc', '/stories/abc/amend', '/stories/def', '/curation', '/curation/themes',
  '/dashboard', '/dashboard/stories/abc', '/admin', '/admin/people/x', '/sign-in', '/searching', '/dashboards',
];

describe('the kept page frame', () => {
  const app = new Hono<AppEnv>();
  let user: CurrentUser | null = null;
  app.use(async (c, next) => {
    c.set('user', user);
    await next();
  });
  app.use(renderer);
  app.get('*', (c) => c.render(<p class="content">The page's <b>own</b> content & more</p>, { title: c.req.query('title') ?? 'Untitled' }));

  it('is exactly the layout rendered afresh, for every person and path, in any order', async () => {
    const title = `A <title> & "quotes" 'here'`;
    let compared = 0;
    for (const order of [PATHS, [...PATHS].reverse()]) {
      for (const who of PEOPLE) {
        user = who;
        for (const path of order) {
          const res = await app.request(`${path}?title=${encodeURIComponent(title)}`);
          const fresh = '<!DOCTYPE html>' + String(await (<Layout title={title} user={who} path={path}><p class="content">The page's <b>own</b> content & more</p></Layout>).toString());
          expect(await res.text(), `${who?.name ?? 'nobody'} on ${path}`).toBe(fresh);
          compared += 1;
        }
      }
    }
    expect(compared).toBe(2 * PEOPLE.length * PATHS.length);
  });

  it('never puts one page\'s title or content into another', async () => {
    user = PEOPLE[1]!;
    const a = await (await app.request('/stories/a?title=First')).text();
    const b = await (await app.request('/stories/b?title=Second')).text();
    expect(a).toContain('<title>First · Hallway</title>');
    expect(b).toContain('<title>Second · Hallway</title>');
    expect(b).not.toContain('First');
  });
});
