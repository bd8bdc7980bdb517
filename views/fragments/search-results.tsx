import type { Child } from 'hono/jsx';
import { MARK_CLOSE, MARK_OPEN } from '../../src/projections/search.ts';
import { PAGE_SIZE } from '../../src/read/search.ts';
import { formatOccurredOn } from './story-meta.tsx';
import type { SearchHit, SearchResult } from '../../src/read/search.ts';

/**
 * Text with FTS5's match markers turned into <mark>. The markers are private-use characters that
 * the projection strips from what people typed, and every piece goes in as a JSX child, so the
 * text is escaped and no markup can come from a story.
 */
export function Marked({ text }: { text: string }) {
  const parts: Child[] = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf(MARK_OPEN);
    if (open < 0) {
      parts.push(rest);
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf(MARK_CLOSE, open + 1);
    const end = close < 0 ? rest.length : close;
    parts.push(<mark>{rest.slice(open + 1, end)}</mark>);
    rest = rest.slice(end + 1);
  }
  return <>{parts}</>;
}

export interface SearchQuery {
  q: string;
  theme: string;
  dept: string;
}

export const searchHref = (query: SearchQuery, page: number): string => {
  const p = new URLSearchParams();
  p.set('q', query.q);
  if (query.theme) p.set('theme', query.theme);
  if (query.dept) p.set('dept', query.dept);
  if (page > 1) p.set('page', String(page));
  return `/search?${p.toString()}`;
};

const LABELS = { q: 'the words', theme: 'the theme', dept: 'the department' } as const;

function Hit({ hit }: { hit: SearchHit }) {
  return (
    <li class="search-hit">
      <h2 class="search-hit-title">
        <a href={`/stories/${encodeURIComponent(hit.storyId)}`}>
          <Marked text={hit.title} />
        </a>
      </h2>
      <p class="search-hit-meta">
        <span>
          About <Marked text={hit.leader} />
        </span>
        {' · '}
        <span>{formatOccurredOn(hit.occurredOn)}</span>
        {hit.department ? (
          <>
            {' · '}
            <span>{hit.department.name}</span>
          </>
        ) : null}
        {' · '}
        <span>{hit.anonymous ? 'told anonymously' : `told by ${hit.tellerName ?? 'a former employee'}`}</span>
      </p>
      <p class="search-hit-excerpt">
        <Marked text={hit.excerpt} />
      </p>
      {hit.themes.length > 0 ? (
        <ul class="search-hit-themes" aria-label="Themes">
          {hit.themes.map((t) => (
            <li>
              <a href={`/themes/${encodeURIComponent(t.id)}`}>{t.name}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function Pager({ query, result }: { query: SearchQuery; result: SearchResult }) {
  if (result.pages <= 1) return null;
  const link = (page: number, label: string, rel: string) => (
    <a
      href={searchHref(query, page)}
      rel={rel}
      hx-get={searchHref(query, page)}
      hx-target="#search-results"
      hx-push-url="true"
    >
      {label}
    </a>
  );
  return (
    <nav class="pager" aria-label="Result pages">
      {result.page > 1 ? link(result.page - 1, '← Previous', 'prev') : null}
      <span>
        Page {result.page} of {result.pages}
      </span>
      {result.page < result.pages ? link(result.page + 1, 'Next →', 'next') : null}
    </nav>
  );
}

export type SearchErrors = Partial<Record<'q' | 'theme' | 'dept', string>>;

export interface SearchResultsProps {
  query: SearchQuery;
  result: SearchResult | null;
  /** messages for bad input, shown beside their fields (out of band when htmx swaps) */
  errors?: SearchErrors;
  /** true when answering htmx: the field's message travels out of band */
  oob?: boolean;
}

/** What htmx swaps into #search-results; the full page renders the same markup. */
/** The page's title for a query; hallway.js copies it to the tab after a live update. */
export const searchTitle = (q: string): string => (q.trim() ? `Search: ${q.trim()}` : 'Search');

export function SearchResults({ query, result, errors = {}, oob }: SearchResultsProps) {
  const fields = ['q', 'theme', 'dept'] as const;
  const bad = fields.filter((f) => errors[f]);
  return (
    <>
      {oob
        ? fields.map((f) => (
            <span id={`${f}-error`} class="field-error" hx-swap-oob="true">
              {errors[f] ?? ''}
            </span>
          ))
        : null}
      <div class="search-results-body" data-page-title={`${searchTitle(query.q)} · Hallway`}>
      {bad.length > 0 ? (
        <p class="error" role="alert">
          The search could not run: {bad.map((f) => `${LABELS[f]} ${errors[f]}`).join('; ')}.
        </p>
      ) : result === null ? (
        <p class="muted">Type a few words (a leader's name, a place, what happened), or pick a theme or department.</p>
      ) : result.total === 0 ? (
        <p class="search-none">
          No stories match{query.q.trim() ? <> “{query.q.trim()}”</> : null}
          {query.theme || query.dept ? ' with these filters' : ''}. Try fewer or different words, or clear the filters.
        </p>
      ) : (
        <>
          <p class="search-count">
            {result.total === 1 ? '1 story' : `${result.total} stories`} found
            {result.pages > 1 ? ` (showing ${(result.page - 1) * PAGE_SIZE + 1}–${Math.min(result.page * PAGE_SIZE, result.total)})` : ''}.
          </p>
          <ol class="search-hits">
            {result.hits.map((h) => (
              <Hit hit={h} />
            ))}
          </ol>
          <Pager query={query} result={result} />
        </>
      )}
      </div>
    </>
  );
}
