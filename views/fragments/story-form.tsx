import type { Child } from 'hono/jsx';
import { RELATIONS } from '../../events/stories.ts';
import type { Department } from '../../src/read/org.ts';
import type { Theme } from '../../src/read/stories.ts';
import { RELATION_LABELS } from './story-meta.tsx';
import { LeaderField } from './leader-picker.tsx';
import type { LeaderCandidate } from './leader-picker.tsx';

export type FieldErrors = Record<string, string[]>;

/** What the person typed, as strings, so a refused form comes back exactly as they left it. */
export interface StoryFormValues {
  title: string;
  body: string;
  leader: string;
  /** the person chosen for the leader, OUTSIDE for "someone else", '' for no choice yet */
  leaderId: string;
  happenedIn: string;
  occurredOn: string;
  themes: string[];
  relation: string;
  retellingOf: string;
  anonymous: boolean;
  idempotencyKey: string;
}

export const emptyStoryForm = (idempotencyKey: string, retellingOf = ''): StoryFormValues => ({
  title: '', body: '', leader: '', leaderId: '', happenedIn: '', occurredOn: '', themes: [], relation: '', retellingOf, anonymous: false, idempotencyKey,
});

/** The messages for one field, beside it; `id` is what the input's aria-describedby names. */
export function FieldError({ id, errors }: { id: string; errors: FieldErrors; field?: string }) {
  const messages = errors[id.replace(/-error$/, '')] ?? [];
  if (messages.length === 0) return null;
  return (
    <span class="field-error" id={id}>
      {messages.join('; ')}
    </span>
  );
}

const invalid = (errors: FieldErrors, field: string) =>
  errors[field]?.length ? { 'aria-invalid': 'true', 'aria-describedby': `${field}-error` } : {};

function Field({ name, label, errors, hint, children }: { name: string; label: string; errors: FieldErrors; hint?: string; children: Child }) {
  return (
    <div class="field">
      <label for={name}>{label}</label>
      {hint ? <span class="hint muted" id={`${name}-hint`}>{hint}</span> : null}
      {children}
      <FieldError id={`${name}-error`} errors={errors} />
    </div>
  );
}

export interface StoryFormProps {
  values: StoryFormValues;
  errors: FieldErrors;
  themes: Theme[];
  departments: Department[];
  /** the title of the story being retold, when there is one */
  retelling?: { storyId: string; title: string } | undefined;
  /** every current and former colleague's name (the browser's own suggestions) */
  leaderNames: string[];
  /** colleagues matching the leader as typed (shown when the form comes back or is prefilled) */
  leaderMatches: LeaderCandidate[];
}

/**
 * The "tell a story" form. Posts plainly without JavaScript; with htmx it posts in place and a
 * 422 answer (this same form with messages) replaces it.
 */
export function StoryForm({ values, errors, themes, departments, retelling, leaderNames, leaderMatches }: StoryFormProps) {
  const v = values;
  const general = errors['form'] ?? [];
  return (
    <form id="story-form" class="story-form" method="post" action="/stories" hx-post="/stories" hx-swap="outerHTML" novalidate>
      {Object.keys(errors).length > 0 ? (
        <p class="error" role="alert">
          {general.length ? general.join(' ') : 'Some answers need another look; see the messages beside them.'}
        </p>
      ) : null}
      <input type="hidden" name="idempotencyKey" value={v.idempotencyKey} />
      {v.retellingOf ? (
        <div class="field">
          <input type="hidden" name="retellingOf" value={v.retellingOf} />
          <p class="notice">
            You are retelling{' '}
            {retelling ? <a href={`/stories/${retelling.storyId}`}>{retelling.title}</a> : <span>story {v.retellingOf}</span>}.
          </p>
          <FieldError id="retellingOf-error" errors={errors} />
        </div>
      ) : null}
      <Field name="title" label="Title" errors={errors}>
        <input type="text" id="title" name="title" maxlength={200} required value={v.title} {...invalid(errors, 'title')} />
      </Field>
      <Field name="body" label="What happened" errors={errors} hint="Plain text; leave a blank line between paragraphs.">
        <textarea id="body" name="body" required maxlength={20000} {...invalid(errors, 'body')}>{v.body}</textarea>
      </Field>
      <Field name="leader" label="Who showed the behaviour" errors={errors} hint="Start typing: current and former colleagues are suggested. Someone from outside the company? Type their name.">
        <LeaderField value={v.leader} chosen={v.leaderId} names={leaderNames} matches={leaderMatches} invalid={invalid(errors, 'leader')} />
      </Field>
      <Field name="happenedIn" label="Where (department, optional)" errors={errors}>
        <select id="happenedIn" name="happenedIn" {...invalid(errors, 'happenedIn')}>
          <option value="" selected={v.happenedIn === ''}>Not said</option>
          {departments.map((d) => (
            <option value={d.departmentId} selected={v.happenedIn === d.departmentId}>{d.name}</option>
          ))}
        </select>
      </Field>
      <Field name="occurredOn" label="When" errors={errors} hint="As precisely as you know it: 2019, 2019-03 or 2019-03-05.">
        <input type="text" id="occurredOn" name="occurredOn" required placeholder="YYYY, YYYY-MM or YYYY-MM-DD" value={v.occurredOn} {...invalid(errors, 'occurredOn')} />
      </Field>
      <fieldset class="field" {...invalid(errors, 'themes')}>
        <legend>Themes (up to 5)</legend>
        {themes.length === 0 ? <p class="muted">No themes are defined yet.</p> : null}
        <div class="choices">
          {themes.map((t) => (
            <label class="choice">
              <input type="checkbox" name="themes" value={t.themeId} checked={v.themes.includes(t.themeId)} /> {t.name}
            </label>
          ))}
        </div>
        <FieldError id="themes-error" errors={errors} />
      </fieldset>
      <fieldset class="field" {...invalid(errors, 'relation')}>
        <legend>How do you know it?</legend>
        <div class="choices">
          {RELATIONS.map((r) => (
            <label class="choice">
              <input type="radio" name="relation" value={r} checked={v.relation === r} required /> I {RELATION_LABELS[r]}
            </label>
          ))}
        </div>
        <FieldError id="relation-error" errors={errors} />
      </fieldset>
      <div class="field">
        <label class="choice">
          <input type="checkbox" name="anonymous" value="true" checked={v.anonymous} /> Keep my name off it (only curators will see who told it)
        </label>
      </div>
      <button type="submit">Tell the story</button>
    </form>
  );
}
