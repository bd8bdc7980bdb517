import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../../src/http/env.ts';
import type { Story, Theme } from '../../src/read/stories.ts';
import { StoryCard } from '../fragments/story-card.tsx';
import { formatOccurredOn } from '../fragments/story-meta.tsx';

export interface StartHereRow {
  theme: Theme;
  stories: Story[];
}

export interface HomeProps {
  viewer: CurrentUser;
  newHire: boolean;
  rows: StartHereRow[];
  picks: Story[];
  recent: Story[];
  sharedWithMe?: Child;
}

function StartHere({ rows, picks }: { rows: StartHereRow[]; picks: Story[] }) {
  return (
    <section class="start-here" aria-labelledby="start-here-heading">
      <h2 id="start-here-heading">Start here</h2>
      <p class="muted">The stories people here tell, theme by theme: a good way into how this place works.</p>
      {rows.map(({ theme, stories }) => (
        <section class="theme-row" aria-labelledby={`row-${theme.themeId}`}>
          <h3 id={`row-${theme.themeId}`}><a href={`/themes/${theme.themeId}`}>{theme.name}</a></h3>
          {theme.description ? <p class="description">{theme.description}</p> : null}
          {stories.length === 0 ? (
            <p class="muted">No stories yet.</p>
          ) : (
            <ul class="row-stories">
              {stories.map((s) => (
                <li>
                  <a href={`/stories/${s.storyId}`}>{s.title}</a> <span class="muted">{s.leader}, {formatOccurredOn(s.occurredOn)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
      {picks.length > 0 ? (
        <section class="picks" aria-labelledby="picks-heading">
          <h3 id="picks-heading">The curators' picks</h3>
          <ol>
            {picks.map((s) => (
              <li>
                <a href={`/stories/${s.storyId}`}>{s.title}</a> <span class="muted">{s.leader}, {formatOccurredOn(s.occurredOn)}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </section>
  );
}

export function HomePage({ viewer, newHire, rows, picks, recent, sharedWithMe }: HomeProps) {
  const recentSection = (
    <section aria-labelledby="recent-heading">
      <h2 id="recent-heading">Recently told</h2>
      {recent.length === 0 ? <p class="muted">No stories yet. <a href="/stories/new">Tell the first one.</a></p> : null}
      {recent.map((s) => <StoryCard story={s} viewer={viewer} />)}
      <p><a href="/timelines">All timelines</a></p>
    </section>
  );
  return (
    <div class="home">
      <h1>{newHire ? `Welcome, ${viewer.name}` : 'Hallway'}</h1>
      <p class="lead">Stories employees tell about their leaders. <a href="/stories/new">Tell one</a>.</p>
      {newHire ? <StartHere rows={rows} picks={picks} /> : null}
      {sharedWithMe}
      {recentSection}
      {newHire ? null : <StartHere rows={rows} picks={picks} />}
    </div>
  );
}
