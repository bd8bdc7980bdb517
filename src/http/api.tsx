import { Hono } from 'hono';
import type { AppContext, AppEnv } from './env.ts';
import { spreadStory, storyFigures } from '../read/spread.ts';

/**
 * The JSON API for leaders' tools (leader role by session, or an API token: see access.ts and
 * src/auth/api-tokens.ts). `GET /api/stories/:id/spread` returns exactly what
 * `hallway spread STORY_ID` prints: SPREAD.md's fields, by department, never by person.
 */
export function apiRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/api/stories/:id/spread', (c) => {
    const id = c.req.param('id');
    const story = spreadStory(ctx.runtime.db, id);
    const figures = story && !story.retracted && !story.awaiting ? storyFigures(ctx.runtime.db, id) : undefined;
    if (!figures) return c.json({ error: 'no such story' }, 404);
    c.header('Cache-Control', 'no-store');
    return c.json(figures);
  });

  return app;
}
