import type { CurrentUser } from '../../src/http/env.ts';
import type { TimelinePage } from '../../src/read/stories.ts';
import { StoryCard } from './story-card.tsx';

/** `base` with `page` (and, for htmx, the last year already shown) set in its query. */
export function pageHref(base: string, page: number, afterYear?: string): string {
  const url = new URL(base, 'http://x');
  url.searchParams.set('page', String(page));
  if (afterYear !== undefined) url.searchParams.set('after', afterYear);
  else url.searchParams.delete('after');
  return url.pathname + url.search;
}

/**
 * One page of a timeline: a heading for each year, the stories, then the "more" element. htmx
 * swaps the "more" element for the next page when it scrolls into view; without JavaScript its
 * link opens the next page. `afterYear` is the last year the page above already shows, so a year
 * continuing across pages gets one heading.
 */
export function TimelineItems({ page, base, viewer, afterYear }: { page: TimelinePage; base: string; viewer: CurrentUser | null; afterYear?: string }) {
  let year = afterYear;
  const parts = page.items.map((s) => {
    const y = s.occurredOn.slice(0, 4);
    const heading = y !== year ? <h2 class="year" id={`year-${y}-p${page.page}`}>{y}</h2> : null;
    year = y;
    return (
      <>
        {heading}
        <StoryCard story={s} viewer={viewer} mostCirculated={page.mostCirculated.has(s.storyId)} />
      </>
    );
  });
  return (
    <>
      {parts}
      {page.hasMore ? (
        <div class="more" hx-get={pageHref(base, page.page + 1, year)} hx-trigger="revealed" hx-swap="outerHTML">
          <a href={pageHref(base, page.page + 1)}>More stories (page {page.page + 1})</a>
        </div>
      ) : null}
    </>
  );
}
