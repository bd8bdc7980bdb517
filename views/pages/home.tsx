import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../../src/http/env.ts';
import type { Story } from '../../src/read/stories.ts';
import type { StartHerePath } from '../../src/read/start-here.ts';
import { StoryCard } from '../fragments/story-card.tsx';
import { formatOccurredOn } from '../fragments/story-meta.tsx';
import { ThemeChip } from '../components/theme-chip.tsx';
import { Icon } from '../components/icon.tsx';

export interface HomeProps {
  viewer: CurrentUser;
  newHire: boolean;
  /** Start here for this viewer, with their own progress */
  path: StartHerePath;
  recent: Story[];
  sharedWithMe?: Child;
  /** the viewer's own stories awaiting review (personal: rendered per request) */
  awaitingReview?: Child;
}

/**
 * Start here as a path: one story per step, the curators' picks first, then a story for each
 * theme not yet on the path. The progress ("4 of 8 read") is the viewer's own, from their own
 * reads, and this page is only ever rendered for them.
 */
export function StartHere({ path }: { path: StartHerePath }) {
  const total = path.steps.length;
  return (
    <section class="start-here" aria-labelledby="start-here-heading">
      <h2 id="start-here-heading">Start here</h2>
      <p class="muted">A short path through the stories people here tell: a good way into how this place works.</p>
      {total === 0 ? (
        <p class="muted">No stories yet.</p>
      ) : (
        <>
          <p class="path-progress">
            <strong>{path.done} of {total} read</strong>
            <progress max={total} value={path.done} aria-label={`Start here: ${path.done} of ${total} read`}>{path.done} of {total}</progress>
          </p>
          <ol class="path">
            {path.steps.map((s) => (
              <li class={s.read ? 'path-step done' : 'path-step'}>
                <a href={`/stories/${s.story.storyId}`}>{s.story.title}</a>
                {s.read ? <span class="path-read"><Icon name="list-checks" /> read</span> : null}
                <span class="path-why muted">
                  {s.because.kind === 'pick' ? (
                    <><Icon name="star" /> curators' pick</>
                  ) : (
                    <ThemeChip themeId={s.because.theme.themeId} name={s.because.theme.name} />
                  )}
                  {' '}{s.story.leader}, {formatOccurredOn(s.story.occurredOn)}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** Recently told (the same for everyone with the same perspective: an anonymous teller sees their own name). */
export function RecentStories({ recent, viewer }: Pick<HomeProps, 'recent' | 'viewer'>) {
  return (
    <section aria-labelledby="recent-heading">
      <h2 id="recent-heading">Recently told</h2>
      {recent.length === 0 ? <p class="muted">No stories yet. <a href="/stories/new">Tell the first one.</a></p> : null}
      {recent.map((s) => <StoryCard story={s} viewer={viewer} />)}
      <p><a href="/timelines">All timelines</a></p>
    </section>
  );
}

/**
 * `recentPart` and `startHerePart` replace the recent stories and Start here with kept HTML when
 * the route has them (src/http/timelines.tsx).
 */
export function HomePage({ viewer, newHire, path, recent, sharedWithMe, awaitingReview, recentPart, startHerePart }: HomeProps & { recentPart?: Child; startHerePart?: Child }) {
  const recentSection = recentPart ?? <RecentStories recent={recent} viewer={viewer} />;
  const startHere = startHerePart ?? <StartHere path={path} />;
  return (
    <div class="home">
      <h1>{newHire ? `Welcome, ${viewer.name}` : 'Hallway'}</h1>
      <p class="lead">Stories employees tell about their leaders. <a href="/stories/new">Tell one</a>.</p>
      {awaitingReview}
      {sharedWithMe}
      {newHire ? startHere : null}
      {recentSection}
      {newHire ? null : startHere}
    </div>
  );
}
