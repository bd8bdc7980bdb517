import type { Story } from '../../src/read/stories.ts';
import { FieldError } from '../fragments/story-form.tsx';
import type { FieldErrors } from '../fragments/story-form.tsx';
import { StoryBody } from '../fragments/story-body.tsx';

export interface AmendValues {
  title: string;
  body: string;
  reason: string;
  expectedRevision: string;
}

export interface AmendPageProps {
  story: Story;
  values: AmendValues;
  errors: FieldErrors;
  /** set when the person's amendment was based on an older revision: the story as it is now */
  conflict?: boolean;
}

const invalid = (errors: FieldErrors, field: string) =>
  errors[field]?.length ? { 'aria-invalid': 'true', 'aria-describedby': `${field}-error` } : {};

/**
 * The amend form. After a conflict it shows the story as it is now beside the person's own
 * version, which stays in the form (based on the new revision) so nothing they wrote is lost.
 */
export function AmendPage({ story, values, errors, conflict = false }: AmendPageProps) {
  return (
    <section class="amend">
      <h1>Amend “{story.title}”</h1>
      {conflict ? (
        <div class="conflict" role="alert">
          <p class="error">
            Someone amended this story while you were writing. Your version is below, unchanged; compare it with the story as it
            is now, then send it again if it should still replace it.
          </p>
          <section class="version current" aria-labelledby="current-heading">
            <h2 id="current-heading">The story as it is now</h2>
            <h3 class="current-title">{story.title}</h3>
            <StoryBody text={story.body} />
          </section>
          <h2>Your version</h2>
        </div>
      ) : null}
      <form method="post" action={`/stories/${story.storyId}/amend`} class="story-form" novalidate>
        {!conflict && Object.keys(errors).length > 0 ? (
          <p class="error" role="alert">Some answers need another look; see the messages beside them.</p>
        ) : null}
        {/* a message for the form as a whole (its hidden revision is missing) has no field to sit beside */}
        {(errors['form'] ?? []).map((m) => (
          <p class="error">{m}</p>
        ))}
        <input type="hidden" name="expectedRevision" value={values.expectedRevision} />
        <div class="field">
          <label for="title">Title</label>
          <input type="text" id="title" name="title" maxlength={200} required value={values.title} {...invalid(errors, 'title')} />
          <FieldError id="title-error" errors={errors} />
        </div>
        <div class="field">
          <label for="body">What happened</label>
          <textarea id="body" name="body" required maxlength={20000} {...invalid(errors, 'body')}>{values.body}</textarea>
          <FieldError id="body-error" errors={errors} />
        </div>
        <div class="field">
          <label for="reason">Why are you amending it?</label>
          <input type="text" id="reason" name="reason" maxlength={2000} required value={values.reason} {...invalid(errors, 'reason')} />
          <FieldError id="reason-error" errors={errors} />
        </div>
        <button type="submit">Save the amendment</button> <a href={`/stories/${story.storyId}`}>Cancel</a>
      </form>
    </section>
  );
}

export function RetractPage({ story, reason, errors }: { story: Story; reason: string; errors: FieldErrors }) {
  return (
    <section class="narrow">
      <h1>Retract “{story.title}”</h1>
      <p>The story leaves timelines and search. Curators can still read it and its history.</p>
      <form method="post" action={`/stories/${story.storyId}/retract`} novalidate>
        <label for="reason">Why are you retracting it?</label>
        <input type="text" id="reason" name="reason" maxlength={2000} required value={reason}
          {...(errors['reason']?.length ? { 'aria-invalid': 'true', 'aria-describedby': 'reason-error' } : {})} />
        <FieldError id="reason-error" errors={errors} />
        <button type="submit">Retract the story</button> <a href={`/stories/${story.storyId}`}>Cancel</a>
      </form>
    </section>
  );
}
