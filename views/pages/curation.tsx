import type { Story, Theme } from '../../src/read/stories.ts';
import { FieldError } from '../fragments/story-form.tsx';
import type { FieldErrors } from '../fragments/story-form.tsx';
import { formatOccurredOn } from '../fragments/story-meta.tsx';
import { plural } from '../components/format.ts';

export interface PickSuggestion {
  storyId: string;
  title: string;
  occurredOn: string;
}

/** A confirmation of what was just done, shown beside it: `at` is 'define', 'picks' or a theme id. */
export interface CurationNotice {
  at: string;
  themeId?: string;
  text: string;
}

export interface CurationProps {
  themes: Theme[];
  picks: Story[];
  picksRevision: number;
  /** curators set the picks; an admin without the role only keeps the themes */
  canPick: boolean;
  /** what the picks' search box found (the page without JavaScript shows it in place) */
  pickSearch?: { q: string; results: PickSuggestion[] } | undefined;
  notice?: CurationNotice | undefined;
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

/** The status line beside a form: present (and empty) always, so a screen reader hears what fills it. */
function Done({ notice, at }: { notice: CurationNotice | undefined; at: string }) {
  const text = notice?.at === at ? notice.text : '';
  return (
    <p class={text ? 'notice done' : 'done-empty'} role="status" aria-live="polite">
      {text}
    </p>
  );
}

function ThemeForm({ theme, describe, notice }: { theme: Theme; describe: CurationProps['describe']; notice: CurationNotice | undefined }) {
  const mine = describe?.themeId === theme.themeId ? describe : undefined;
  const p = `t-${theme.themeId}-`;
  const errors = prefixed(mine?.errors, p);
  return (
    <li class="theme-admin" id={`theme-${theme.themeId}`}>
      <Done notice={notice} at={theme.themeId} />
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
          {/* a link to the confirm step; with htmx the step replaces this row in place */}
          <a
            href={`/curation/themes/${encodeURIComponent(theme.themeId)}/retire`}
            hx-get={`/curation/themes/${encodeURIComponent(theme.themeId)}/retire`}
            hx-target={`#theme-${theme.themeId}`}
            hx-swap="innerHTML"
            class="retire-link"
          >
            Retire “{theme.name}”…
          </a>
        </>
      )}
    </li>
  );
}

/** The question before retiring a theme: its own page without JavaScript, in the theme's row with htmx. */
export function RetireConfirm({ theme }: { theme: Theme }) {
  return (
    <div class="confirm" role="group" aria-labelledby={`retire-${theme.themeId}-q`}>
      <h2 id={`retire-${theme.themeId}-q`}>Retire “{theme.name}”?</h2>
      {theme.retired ? (
        <p>“{theme.name}” is already retired.</p>
      ) : (
        <p>
          Its {plural(theme.stories, 'story keeps', 'stories keep')} it and its timeline stays, but no new story can take it and new hires
          no longer see it in Start here. This cannot be undone.
        </p>
      )}
      <form method="post" action={`/curation/themes/${encodeURIComponent(theme.themeId)}/retire`} class="row">
        <input type="hidden" name="confirm" value="yes" />
        {theme.retired ? null : <button type="submit">Yes, retire “{theme.name}”</button>}
        <a href={`/curation#theme-${theme.themeId}`}>No, keep it</a>
      </form>
    </div>
  );
}

/** Suggestions for the picks: each a button that adds the story to the list the page showed. */
export function PickSuggestions({ q, results, picks, revision }: { q: string; results: PickSuggestion[]; picks: string[]; revision: number }) {
  return (
    <div id="pick-suggestions" aria-live="polite">
      {q === '' ? null : results.length === 0 ? (
        <p class="muted">No story title holds “{q}” (or it is already picked).</p>
      ) : (
        <ul class="plain suggestions" aria-label={`Stories matching “${q}”`}>
          {results.map((s) => (
            <li>
              <form method="post" action="/curation/start-here" class="inline">
                <input type="hidden" name="expectedRevision" value={String(revision)} />
                {picks.map((id) => (
                  <input type="hidden" name="storyIds" value={id} />
                ))}
                <button type="submit" class="secondary" name="op" value={`add:${s.storyId}`}>
                  Add “{s.title}”
                </button>{' '}
                <span class="muted">{formatOccurredOn(s.occurredOn)}</span>
              </form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function CurationPage({ themes, picks, picksRevision, canPick, pickSearch, notice, define, describe, message }: CurationProps) {
  const d = define ?? { themeId: '', name: '', description: '', errors: {} };
  const dErrors = prefixed(d.errors, 'new-');
  return (
    <div class="curation">
      <h1>Curation</h1>
      {message ? <p class="error" role="alert">{message}</p> : null}

      {canPick ? (
        <section aria-labelledby="picks-heading" id="picks">
          <h2 id="picks-heading">Start here: the curators' picks</h2>
          <p class="muted">New hires see these first, then one story per theme. Order them as they should be read.</p>
          <Done notice={notice} at="picks" />
          <form method="post" action="/curation/start-here" class="picks-form">
            <input type="hidden" name="expectedRevision" value={String(picksRevision)} />
            {picks.length === 0 ? <p class="muted">No picks yet: find a story below to add it.</p> : null}
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
          </form>
          <form method="get" action="/curation#picks" class="search pick-search" role="search" aria-label="Find a story to pick">
            <label for="pick-q">Find a story to add</label>
            <input
              id="pick-q"
              name="pickq"
              type="search"
              value={pickSearch?.q ?? ''}
              placeholder="words from its title"
              autocomplete="off"
              hx-get="/curation/stories"
              hx-trigger="input changed delay:250ms, search"
              hx-target="#pick-suggestions"
              hx-swap="outerHTML"
              aria-controls="pick-suggestions"
            />
            <button type="submit" class="secondary">Find</button>
          </form>
          <PickSuggestions q={pickSearch?.q ?? ''} results={pickSearch?.results ?? []} picks={picks.map((p) => p.storyId)} revision={picksRevision} />
        </section>
      ) : (
        <p class="muted">Start here's picks are set by curators. As an admin you can define and describe themes here.</p>
      )}

      <section aria-labelledby="themes-heading">
        <h2 id="themes-heading">Themes</h2>
        <ul class="plain">
          {themes.map((t) => <ThemeForm theme={t} describe={describe} notice={notice} />)}
        </ul>
        <h3 id="define">Define a theme</h3>
        <Done notice={notice} at="define" />
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
