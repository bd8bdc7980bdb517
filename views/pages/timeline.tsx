import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../../src/http/env.ts';
import type { TimelinePage as Page } from '../../src/read/stories.ts';
import { pageHref, TimelineItems } from '../fragments/timeline-items.tsx';
import { plural } from '../components/format.ts';

export interface TimelinePageProps {
  heading: string;
  intro?: Child;
  page: Page;
  /** the timeline's own URL (paging adds ?page=) */
  base: string;
  viewer: CurrentUser;
  /** shown above the timeline (links to the other timelines on /timelines) */
  before?: Child;
}

/** A timeline as a full page: year headings, stories, and "more" (htmx scroll or plain links). */
export function TimelinePage({ heading, intro, page, base, viewer, before }: TimelinePageProps) {
  return (
    <section class="timeline-page">
      <h1>{heading}</h1>
      {intro}
      {before}
      <p class="muted">
        {page.total === 0 ? 'No stories yet.' : `${plural(page.total, 'story', 'stories')}, in the order they happened.`}
      </p>
      {page.page > 1 ? (
        <p><a href={pageHref(base, page.page - 1)}>Earlier stories (page {page.page - 1})</a></p>
      ) : null}
      <div class="timeline" id="timeline">
        <TimelineItems page={page} base={base} viewer={viewer} />
      </div>
    </section>
  );
}
