import type { Story, Theme } from '../../src/read/stories.ts';
import { FieldError } from '../fragments/story-form.tsx';
import type { FieldErrors } from '../fragments/story-form.tsx';
import { formatOccurredOn } from '../fragments/story-meta.tsx';
import { plural } from '../components/format.ts';

export interface CurationProps {
  themes: Theme[];
  picks: Story[];
  picksRevision: number;
  pickable: { storyId: string; title: string; occurredOn: string }[];
  /** what the define form held when it was refused */
  define?: { themeId: string; name: string; description: string; errors: FieldErrors };
  /** the describe form that was refused, by theme */
  describe?: { themeId: string; name: string; description: string; errors: FieldErrors };
  message?: string | undefined;
}

const invalid = (errors: FieldErrors | undefined, field: string, prefix: string) =>
  errors?.[field]?.length ? { 'aria-invalid': 'true', 'aria-describedby': `${prefix}${field}-error` } : {};

function prefixed(errors: FieldErrors | undefined, prefix: string): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors ?? {})) out[`${prefix}${k}`] = v;
  return out;
}

function ThemeForm({ theme, describe }: { theme: Theme; describe: CurationProps['describe'] }) {
  const mine = describe?.themeId === theme.themeId ? describe : undefined;
  const p = `t-${theme.themeId}-`;
  const errors = prefixed(mine?.errors, p);
  return (
    <li class="theme-admin">
      <h3>
        <a href={`/themes/${theme.themeId}`}>{theme.name}</a> <span class="muted">({plural(theme.stories, 'story', 'stories')}{theme.retired ? ', retired' : ''})</span>
      </h3>
      {theme.retired ? (
        <p class="muted">{theme.description}</p>
      ) : (
        <>
          <form method="post" action={`/curation/themes/${theme.themeId}`} novalidate>
            <input type="hidden" name="expectedRevision" value={String(theme.revision)} />
            <label for={`${p}name`}>Name</label>
            <input type="text" id={`${p}name`} name="name" maxlength={100} value={mine?.name ?? theme.name} {...invalid(mine?.errors, 'name', p)} />
            <FieldError id={`${p}name-error`} errors={errors} />
            <label for={`${p}description`}>Description</label>
            <textarea id={`${p}description`} name="description" class="short" maxlength={2000} {...invalid(mine?.errors, 'description', p)}>
              {mine?.description ?? theme.description}
            </textarea>
            <FieldError id={`${p}description-error`} errors={errors} />
            <FieldError id={`${p}form-error`} errors={errors} />
            <button type="submit" class="secondary">Save “{theme.name}”</button>
          </form>
          <form method="post" action={`/curation/themes/${theme.themeId}/retire`} class="inline">
            <button type="submit" class="link">Retire “{theme.name}”</button>
          </form>
        </>
      )}
    </li>
  );
}

export function CurationPage({ themes, picks, picksRevision, pickable, define, describe, message }: CurationProps) {
  const d = define ?? { themeId: '', name: '', description: '', errors: {} };
  const dErrors = prefixed(d.errors, 'new-');
  const unpicked = pickable.filter((s) => !picks.some((p) => p.storyId === s.storyId));
  return (
    <div class="curation">
      <h1>Curation</h1>
      {message ? <p class="error" role="alert">{message}</p> : null}

      <section aria-labelledby="picks-heading">
        <h2 id="picks-heading">Start here: the curators' picks</h2>
        <p class="muted">New hires see these after one row per theme. Order them as they should be read.</p>
        <form method="post" action="/curation/start-here" class="picks-form">
          <input type="hidden" name="expectedRevision" value={String(picksRevision)} />
          {picks.length === 0 ? <p class="muted">No picks yet.</p> : null}
          <ol>
            {picks.map((s, i) => (
              <li>
                <input type="hidden" name="storyIds" value={s.storyId} />
                <a href={`/stories/${s.storyId}`}>{s.title}</a> <span class="muted">{formatOccurredOn(s.occurredOn)}</span>{' '}
                {i > 0 ? <button type="submit" class="link" name="op" value={`up:${s.storyId}`}>Move “{s.title}” up</button> : null}{' '}
                {i < picks.length - 1 ? <button type="submit" class="link" name="op" value={`down:${s.storyId}`}>Move “{s.title}” down</button> : null}{' '}
                <button type="submit" class="link" name="op" value={`remove:${s.storyId}`}>Remove “{s.title}”</button>
              </li>
            ))}
          </ol>
          {unpicked.length > 0 ? (
            <div class="row">
              <label for="add-pick">Add a story</label>
              <select id="add-pick" name="add">
                {unpicked.map((s) => <option value={s.storyId}>{s.title} ({formatOccurredOn(s.occurredOn)})</option>)}
              </select>
              <button type="submit" class="secondary" name="op" value="add">Add to the picks</button>
            </div>
          ) : null}
        </form>
      </section>

      <section aria-labelledby="themes-heading">
        <h2 id="themes-heading">Themes</h2>
        <ul class="plain">
          {themes.map((t) => <ThemeForm theme={t} describe={describe} />)}
        </ul>
        <h3>Define a theme</h3>
        <form method="post" action="/curation/themes" novalidate>
          <label for="new-name">Name</label>
          <input type="text" id="new-name" name="name" maxlength={100} required value={d.name} {...invalid(d.errors, 'name', 'new-')} />
          <FieldError id="new-name-error" errors={dErrors} />
          <label for="new-themeId">Id (optional: letters, digits, - or _; made from the name when left empty)</label>
          <input type="text" id="new-themeId" name="themeId" maxlength={64} value={d.themeId} {...invalid(d.errors, 'themeId', 'new-')} />
          <FieldError id="new-themeId-error" errors={dErrors} />
          <label for="new-description">Description</label>
          <textarea id="new-description" name="description" class="short" maxlength={2000} {...invalid(d.errors, 'description', 'new-')}>{d.description}</textarea>
          <FieldError id="new-description-error" errors={dErrors} />
          <button type="submit">Define the theme</button>
        </form>
      </section>
    </div>
  );
}
