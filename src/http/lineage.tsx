import { Hono } from 'hono';
import { lineageOf } from '../lineage/lineage.ts';
import type { Lineage, Telling } from '../lineage/lineage.ts';
import { isCurator, maySee, storyFamily, visibleTeller } from '../read/stories.ts';
import type { Story } from '../read/stories.ts';
import { tellerDepartmentOf } from '../read/spread.ts';
import type { Views } from '../projections/runtime.ts';
import { LineagePage } from '../../views/pages/lineage.tsx';
import { StoryGonePage } from '../../views/pages/story.tsx';
import type { AppContext, AppEnv, CurrentUser } from './env.ts';

/**
 * `/stories/:id/lineage`: how a story changed as it was retold (issue 12). Who sees a telling is
 * the story page's rule: a retracted one only curators, one awaiting review only its teller and
 * curators.
 */
export const seesTelling = (story: Story, viewer: CurrentUser | null): boolean => (!story.retracted || isCurator(viewer)) && maySee(story, viewer);

/** The lineage of a story's family and how many of its tellings this viewer sees (the story page links when more than one). */
export function lineageFor(db: Views, storyId: string): Lineage | null {
  return lineageOf(storyFamily(db, storyId));
}

export function lineageRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = ctx.runtime.db;

  app.get('/stories/:id/lineage', (c) => {
    const viewer = c.get('user')!;
    const lineage = lineageFor(db, c.req.param('id'));
    const opened = lineage?.tellings.find((t) => t.story.storyId === c.req.param('id'));
    if (!lineage || !opened || !seesTelling(opened.story, viewer)) {
      c.status(404);
      return c.render(<StoryGonePage status={404} />, { title: 'Not found' });
    }
    const sees = (t: Telling): boolean => seesTelling(t.story, viewer);
    // the teller's department only where the viewer may know the teller (anonymous stays anonymous)
    const departmentOf = (t: Telling): string | null => (visibleTeller(t.story, viewer) ? tellerDepartmentOf(db, t.story.storyId)?.name ?? null : null);
    return c.render(<LineagePage lineage={lineage} viewer={viewer} current={opened.story.storyId} sees={sees} departmentOf={departmentOf} />, {
      title: `Lineage: ${opened.story.title}`,
    });
  });

  return app;
}
