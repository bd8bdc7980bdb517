import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { orgQueries } from '../read/org.ts';
import { unreadSentTo } from '../read/reading.ts';
import { startHerePath } from '../read/start-here.ts';
import { colleagueNames } from './leaders.tsx';
import {
  awaitingReviewBy, getTheme, isCurator, listLeaders, listStoryDepartments, listThemes, recentStories, timeline,
} from '../read/stories.ts';
import type { TimelineFilter } from '../read/stories.ts';
import { SharedWithMe } from '../../views/fragments/shared-with-me.tsx';
import { MyStoriesAwaitingReview } from '../../views/fragments/awaiting-review.tsx';
import { TimelineBrowse } from '../../views/fragments/timeline-browse.tsx';
import { TimelineItems } from '../../views/fragments/timeline-items.tsx';
import { HomePage, RecentStories, StartHere } from '../../views/pages/home.tsx';
import { TimelinePage } from '../../views/pages/timeline.tsx';
import { LeadersPage, ThemesPage } from '../../views/pages/timeline-index.tsx';
import { StoryGonePage } from '../../views/pages/story.tsx';
import type { AppContext, AppEnv, CurrentUser } from './env.ts';
import { keptUntilViewsChange } from '../read/kept.ts';
import { perspectiveOf, sharedPart } from './shared-parts.ts';

type C = Context<AppEnv>;

/** New hires (joined in the last 90 days by the app's clock) see Start here first. */
export const NEW_HIRE_DAYS = 90;

export function isNewHire(joinedOn: string, now: Date): boolean {
  const joined = Date.parse(`${joinedOn}T00:00:00Z`);
  return !Number.isNaN(joined) && now.getTime() - joined < NEW_HIRE_DAYS * 86_400_000;
}

const me = (c: C): CurrentUser => {
  const user = c.get('user');
  if (!user) throw new Error('the access table lets no anonymous request reach this route');
  return user;
};

const pageOf = (c: C): number => {
  const n = Number(c.req.query('page') ?? '1');
  return Number.isInteger(n) && n >= 1 && n < 1_000_000 ? n : 1;
};

export function timelineRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = ctx.runtime.db;

  /**
   * A timeline: the whole page, or (for htmx's "more" element) only the next page's items.
   * `after` is the last year the page above already shows.
   */
  const show = async (c: C, filter: TimelineFilter, base: string, heading: string, extra: () => { intro?: Child; before?: Child } = () => ({})) => {
    const viewer = me(c);
    const n = pageOf(c);
    // kept until the read models change (src/read/kept.ts)
    const page = keptUntilViewsChange(db, `timeline:${JSON.stringify(filter)}:${n}`, () => timeline(db, filter, n));
    c.header('Vary', 'HX-Request');
    if (c.req.header('hx-request') === 'true' && c.req.header('hx-request-type') !== 'full') {
      const after = c.req.query('after');
      return c.html(<TimelineItems page={page} base={base} viewer={viewer} {...(after ? { afterYear: after } : {})} />);
    }
    // the page as everyone who told none of its stories sees it, rendered once (src/http/shared-parts.ts)
    const p = perspectiveOf(viewer, page.items.map((s) => s.tellerId));
    const part = await sharedPart(db, `timeline-page:${JSON.stringify([filter, base, heading, n, p.key])}`, () => {
      const { intro, before } = extra();
      return <TimelinePage heading={heading} intro={intro} before={before} page={page} base={base} viewer={p.viewer} />;
    });
    return c.render(part, { title: heading });
  };

  const notFound = (c: C) => {
    c.status(404);
    return c.render(<StoryGonePage status={404} />, { title: 'Not found' });
  };

  app.get('/', async (c) => {
    const viewer = me(c);
    // the viewer's own progress and inbox: this page is theirs alone, never cached for others
    c.header('Cache-Control', 'private, no-store');
    // recently told is alike for everyone with the same perspective: kept; the rest (name, inbox,
    // Start here's progress) is the viewer's and rendered per request
    const recent = keptUntilViewsChange(db, 'home:recent', () => recentStories(db, 5));
    const p = perspectiveOf(viewer, recent.map((s) => s.tellerId));
    const recentPart = await sharedPart(db, `home:recent|${p.key}`, () => <RecentStories recent={recent} viewer={p.viewer} />);
    // the viewer's own inbox, stories awaiting review and progress: read per person, kept like the
    // rest until the read models change (the key names the person)
    const mine = keptUntilViewsChange(db, `home:mine:${viewer.employeeId}`, () => ({
      path: startHerePath(db, viewer.employeeId),
      inbox: unreadSentTo(db, viewer.employeeId),
      awaiting: awaitingReviewBy(db, viewer.employeeId),
    }));
    // Start here is the same path for everyone; only which steps are read differs: kept per pattern of read steps
    const startHerePart = await sharedPart(db, `home:start-here|${mine.path.steps.map((s) => (s.read ? 1 : 0)).join('')}`, () => <StartHere path={mine.path} />);
    return c.render(
      <HomePage
        viewer={viewer}
        newHire={isNewHire(viewer.joinedOn, ctx.clock())}
        path={mine.path}
        recent={recent}
        recentPart={recentPart}
        startHerePart={startHerePart}
        sharedWithMe={<SharedWithMe items={mine.inbox} />}
        awaitingReview={<MyStoriesAwaitingReview stories={mine.awaiting} />}
      />,
      { title: 'Home' },
    );
  });

  app.get('/timelines', (c) =>
    show(c, { kind: 'all' }, '/timelines', 'All stories', () => ({
      before: <TimelineBrowse themes={listThemes(db)} leaders={listLeaders(db)} departments={listStoryDepartments(db)} />,
    })),
  );

  app.get('/themes', (c) => c.render(<ThemesPage themes={listThemes(db)} />, { title: 'Themes' }));

  app.get('/themes/:id', (c) => {
    const theme = getTheme(db, c.req.param('id'));
    if (!theme) return notFound(c);
    return show(c, { kind: 'theme', themeId: theme.themeId }, `/themes/${theme.themeId}`, theme.name, () => ({
      intro: (
        <>
          {theme.description ? <p class="description">{theme.description}</p> : null}
          {theme.retired ? <p class="notice">This theme is retired: new stories can no longer take it.</p> : null}
        </>
      ),
    }));
  });

  app.get('/leaders', (c) => {
    const curator = isCurator(me(c));
    const linkedId = c.req.query('linked');
    const linked = curator && linkedId ? orgQueries(db).employee(linkedId)?.name : undefined;
    return c.render(<LeadersPage leaders={listLeaders(db)} curator={curator} names={curator ? colleagueNames(ctx) : []} linked={linked} />, { title: 'Leaders' });
  });

  app.get('/leaders/people/:employeeId', (c) => {
    const person = orgQueries(db).employee(c.req.param('employeeId'));
    if (!person) return notFound(c);
    return show(c, { kind: 'person', leaderId: person.employeeId }, `/leaders/people/${encodeURIComponent(person.employeeId)}`, `Stories about ${person.name}`, () => ({
      intro: person.leftAt ? <p class="muted">A former colleague.</p> : undefined,
    }));
  });

  app.get('/leaders/:name', (c) => {
    const name = c.req.param('name').trim();
    return show(c, { kind: 'leader', leader: name }, `/leaders/${encodeURIComponent(name)}`, `Stories about ${name}`);
  });

  app.get('/departments/:id', (c) => {
    const dept = orgQueries(db).department(c.req.param('id'));
    if (!dept) return notFound(c);
    return show(c, { kind: 'department', departmentId: dept.departmentId }, `/departments/${dept.departmentId}`, `Stories from ${dept.name}`);
  });

  return app;
}
