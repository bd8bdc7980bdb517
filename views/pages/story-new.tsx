import { StoryForm } from '../fragments/story-form.tsx';
import type { StoryFormProps } from '../fragments/story-form.tsx';

export function StoryNewPage(props: StoryFormProps) {
  return (
    <section class="narrow">
      <h1>{props.retelling ? 'Retell a story' : 'Tell a story'}</h1>
      <p class="muted">A story about something a leader did: what happened, who did it, and when.</p>
      <StoryForm {...props} />
    </section>
  );
}
