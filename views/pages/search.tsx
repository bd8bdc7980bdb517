import type { FilterOption, SearchResult } from '../../src/read/search.ts';
import { SearchResults } from '../fragments/search-results.tsx';
import type { SearchErrors, SearchQuery } from '../fragments/search-results.tsx';

export interface SearchPageProps {
  query: SearchQuery;
  result: SearchResult | null;
  themes: FilterOption[];
  departments: FilterOption[];
  errors?: SearchErrors;
}

/**
 * Live attributes shared by the form, the box and the selects: fetch the results fragment for the
 * whole form. Typing and picking replace the URL (one history entry per search, not per key);
 * submitting pushes a new entry, as a plain form would.
 */
const live = (trigger: string, history: 'push' | 'replace' = 'replace') => ({
  'hx-get': '/search',
  'hx-trigger': trigger,
  'hx-target': '#search-results',
  'hx-include': 'closest form',
  [history === 'push' ? 'hx-push-url' : 'hx-replace-url']: 'true',
  'hx-indicator': '#search-busy',
  // Enter in the box fires both its "search" event and the form's submit: keep only the latest
  'hx-sync': 'closest form:replace',
});

/**
 * The search page. Without JavaScript the form is a plain GET; with htmx the box (debounced) and
 * the selects fetch only the results fragment, and the URL follows so results can be shared.
 */
export function SearchPage({ query, result, themes, departments, errors = {} }: SearchPageProps) {
  return (
    <section class="search">
      <h1>Search the stories</h1>
      <form method="get" action="/search" role="search" class="search-form" {...live('submit', 'push')}>
        <label for="q">Words to find</label>
        <input
          type="search"
          id="q"
          name="q"
          value={query.q}
          maxlength={200}
          autocomplete="off"
          aria-describedby="q-help q-error"
          {...(errors.q ? { 'aria-invalid': 'true' } : {})}
          {...live('input changed delay:300ms, search')}
        />
        <span id="q-help" class="muted">
          Titles, what happened and leaders' names. Every word must match; "words in quotes" match together.
        </span>
        <span id="q-error" class="field-error">
          {errors.q ?? ''}
        </span>
        <div class="search-filters">
          <div>
            <label for="theme">Theme</label>
            <select id="theme" name="theme" aria-describedby="theme-error" {...live('change')}>
              <option value="">Any theme</option>
              {themes.map((t) => (
                <option value={t.id} selected={t.id === query.theme}>
                  {t.name}
                </option>
              ))}
            </select>
            <span id="theme-error" class="field-error">
              {errors.theme ?? ''}
            </span>
          </div>
          <div>
            <label for="dept">Where it happened</label>
            <select id="dept" name="dept" aria-describedby="dept-error" {...live('change')}>
              <option value="">Any department</option>
              {departments.map((d) => (
                <option value={d.id} selected={d.id === query.dept}>
                  {d.name}
                </option>
              ))}
            </select>
            <span id="dept-error" class="field-error">
              {errors.dept ?? ''}
            </span>
          </div>
        </div>
        <button type="submit">Search</button>{' '}
        <span id="search-busy" class="htmx-indicator muted">
          Searching…
        </span>
      </form>
      <div id="search-results" aria-live="polite">
        <SearchResults query={query} result={result} errors={errors} />
      </div>
    </section>
  );
}
