import type { CurrentUser } from '../../src/http/env.ts';
import type { Story } from '../../src/read/stories.ts';
import { formatOccurredOn, TellerName } from './story-meta.tsx';

const EXCERPT = 280;

/** One story in a timeline or list: title, who and when, the opening of the text. */
export function StoryCard({ story, viewer, mostCirculated = false }: { story: Story; viewer: CurrentUser | null; mostCirculated?: boolean }) {
  const excerpt = story.body.length > EXCERPT ? `${story.body.slice(0, EXCERPT).trimEnd()}…` : story.body;
  return (
    <article class={mostCirculated ? 'story-card most-circulated' : 'story-card'} id={`story-${story.storyId}`}>
      <h3>
        <a href={`/stories/${story.storyId}`}>{story.title}</a>
        {mostCirculated ? <span class="badge">Most circulated</span> : null}
      </h3>
      <p class="meta">
        <time>{formatOccurredOn(story.occurredOn)}</time> · {story.leader}
        {story.departmentName ? <> · {story.departmentName}</> : null} · told by <TellerName story={story} viewer={viewer} />
      </p>
      <p class="excerpt">{excerpt}</p>
    </article>
  );
}
