import { Hono } from 'hono';
import { z } from 'zod';
import { Id } from '../../events/common.ts';
import { departmentOptions, searchStories, themeOptions } from '../read/search.ts';
import { SearchPage } from '../../views/pages/search.tsx';
import { SearchResults, searchTitle } from '../../views/fragments/search-results.tsx';
import type { SearchErrors, SearchQuery } from '../../views/fragments/search-results.tsx';
import type { AppContext, AppEnv } from './env.ts';
import { keptUntilViewsChange } from '../read/kept.ts';
import { sharedPart } from './shared-parts.ts';

const Query = z.object({
  q: z.string().max(200, 'must be at most 200 characters').default(''),
  theme: z.union([z.literal(''), Id]).default(''),
  dept: z.union([z.literal(''), Id]).default(''),
});

/** A paging link's number; anything odd is page 1 (it is never typed by a person). */
const pageOf = (s: string | undefined): number => {
  const n = Number(s);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
};

export function searchRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // <form method="get" action="/search"><input type="search" name="q"> <select name="theme"> <select name="dept">
  app.get('/search', async (c) => {
    const raw = { q: c.req.query('q'), theme: c.req.query('theme'), dept: c.req.query('dept') };
    const parsed = Query.safeParse(raw);
    const errors: SearchErrors = {};
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const f = i.path[0];
        if ((f === 'q' || f === 'theme' || f === 'dept') && !errors[f]) {
          errors[f] = f === 'q' ? i.message : 'is not one of the choices';
        }
      }
    }
    const query: SearchQuery = parsed.success
      ? parsed.data
      : { q: raw.q ?? '', theme: '', dept: '' };
    const bad = !parsed.success;
    const page = pageOf(c.req.query('page'));
    // the same for everyone who asks it: kept until the read models change (src/read/kept.ts)
    const key = JSON.stringify([query.q, query.theme, query.dept, page]);
    const result = bad
      ? null
      : keptUntilViewsChange(ctx.runtime.db, `search:${key}`, () =>
          searchStories(ctx.runtime.db, {
            q: query.q,
            themeId: query.theme || undefined,
            departmentId: query.dept || undefined,
            page,
          }),
        );
    const status = bad ? 422 : 200;

    // htmx asking for the results only (not a history restore or a full-page swap)
    const fragment =
      c.req.header('hx-request') === 'true' &&
      c.req.header('hx-request-type') !== 'full' &&
      c.req.header('hx-history-restore-request') !== 'true';
    c.header('Vary', 'HX-Request, HX-Request-Type');
    if (fragment) return c.html(<SearchResults query={query} result={result} errors={errors} oob />, status);
    c.status(status);
    const searchPage = () => (
      <SearchPage
        query={query}
        result={result}
        themes={themeOptions(ctx.runtime.db)}
        departments={departmentOptions(ctx.runtime.db)}
        errors={errors}
      />
    );
    // the page shows nothing of who asks: rendered once per query (src/http/shared-parts.ts)
    return c.render(bad ? searchPage() : await sharedPart(ctx.runtime.db, `search-page:${key}`, searchPage), { title: searchTitle(query.q) });
  });

  return app;
}
