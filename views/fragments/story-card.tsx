import type { CurrentUser } from '../../src/http/env.ts';
import type { Story } from '../../src/read/stories.ts';
import { Avatar } from '../components/avatar.tsx';
import { Icon } from '../components/icon.tsx';
import { ThemeChips } from '../components/theme-chip.tsx';
import { formatOccurredOn, TellerName } from './story-meta.tsx';

const EXCERPT = 280;

/** One story in a timeline or list: title, the leader, when and where, its themes, the opening of the text. */
export function StoryCard({ story, viewer, mostCirculated = false }: { story: Story; viewer: CurrentUser | null; mostCirculated?: boolean }) {
  const excerpt = story.body.length > EXCERPT ? `${story.body.slice(0, EXCERPT).trimEnd()}…` : story.body;
  return (
    <article class={mostCirculated ? 'story-card most-circulated' : 'story-card'} id={`story-${story.storyId}`}>
      <h3>
        <a href={`/stories/${story.storyId}`}>{story.title}</a>
        {mostCirculated ? <span class="badge">Most circulated</span> : null}
      </h3>
      <div class="byline">
        <Avatar name={story.leader} />
        <div class="who">
          <span class="leader">{story.leader}</span>
          <p class="meta">
            <span>
              <Icon name="calendar" />
              <time>{formatOccurredOn(story.occurredOn)}</time>
            </span>
            {story.departmentName ? (
              <span>
                <Icon name="map-pin" />
                {story.departmentName}
              </span>
            ) : null}
            <span>
              told by <TellerName story={story} viewer={viewer} />
            </span>
          </p>
        </div>
      </div>
      <p class="excerpt">{excerpt}</p>
      <ThemeChips themes={story.themes} />
    </article>
  );
}
