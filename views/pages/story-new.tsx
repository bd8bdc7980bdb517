import { StoryForm } from '../fragments/story-form.tsx';
import type { StoryFormProps } from '../fragments/story-form.tsx';
import type { Story } from '../../src/read/stories.ts';
import { StoryBody } from '../fragments/story-body.tsx';
import { formatOccurredOn } from '../fragments/story-meta.tsx';
import { ThemeChips } from '../components/theme-chip.tsx';

/** The story being retold, beside the form, so the teller can look at it while they write. */
function Original({ story }: { story: Story }) {
  return (
    <aside class="original" aria-labelledby="original-heading">
      <p class="muted original-label">The original</p>
      <h2 id="original-heading"><a href={`/stories/${story.storyId}`}>{story.title}</a></h2>
      <p class="muted">{story.leader}, {formatOccurredOn(story.occurredOn)}</p>
      <ThemeChips themes={story.themes} link={false} />
      <StoryBody text={story.body} />
    </aside>
  );
}

export function StoryNewPage(props: StoryFormProps & { original?: Story | undefined }) {
  const { original, ...form } = props;
  return (
    <section class={original ? 'retell-layout' : 'narrow'}>
      <div class="retell-form">
        <h1>{props.retelling ? 'Retell a story' : 'Tell a story'}</h1>
        <p class="muted">
          {original
            ? 'Tell it as you heard it or remember it. The leader, the date and the themes come from the original; change them if you know better.'
            : 'A story about something a leader did: what happened, who did it, and when.'}
        </p>
        <StoryForm {...form} />
      </div>
      {original ? <Original story={original} /> : null}
    </section>
  );
}
