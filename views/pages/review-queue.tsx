import type { CurrentUser } from '../../src/http/env.ts';
import type { Story } from '../../src/read/stories.ts';
import { StoryBody } from '../fragments/story-body.tsx';
import { formatInstant, formatOccurredOn, TellerName } from '../fragments/story-meta.tsx';
import { plural } from '../components/format.ts';

/** How long something has waited, in its largest whole unit ("3 days", "5 hours", "under a minute"). */
export function waitedFor(since: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - Date.parse(since));
  const units: [number, string, string][] = [
    [7 * 86_400_000, 'week', 'weeks'],
    [86_400_000, 'day', 'days'],
    [3_600_000, 'hour', 'hours'],
    [60_000, 'minute', 'minutes'],
  ];
  for (const [size, one, other] of units) if (ms >= size) return plural(Math.floor(ms / size), one, other);
  return 'under a minute';
}

export interface ReviewQueueProps {
  queue: Story[];
  viewer: CurrentUser;
  now: Date;
  reviewOn: boolean;
  notice?: string | undefined;
  /** the return form that was refused: its story, the note typed and the message */
  failed?: { storyId: string; note: string; message: string } | undefined;
}

/**
 * The curators' queue: each story awaiting review, longest waiting first, with its teller (curators
 * see who told an anonymous story, marked so), how long it has waited, and approve / return.
 */
export function ReviewQueuePage({ queue, viewer, now, reviewOn, notice, failed }: ReviewQueueProps) {
  return (
    <section class="review-queue">
      <h1>Review queue</h1>
      <p class="muted">
        {reviewOn ? 'Review before publishing is on: new stories wait here until a curator approves them.' : 'Review before publishing is off: new stories are published at once. Stories told while it was on still wait here.'}
      </p>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {queue.length === 0 ? <p>Nothing is waiting for review.</p> : <p>{plural(queue.length, 'story', 'stories')} waiting.</p>}
      <ol class="plain review-list">
        {queue.map((s) => {
          const mine = failed?.storyId === s.storyId ? failed : undefined;
          const noteId = `note-${s.storyId}`;
          return (
            <li class="review-item" id={`review-${s.storyId}`}>
              <article aria-labelledby={`title-${s.storyId}`}>
                <h2 id={`title-${s.storyId}`}><a href={`/stories/${s.storyId}`}>{s.title}</a></h2>
                <p class="story-meta">
                  Told by <TellerName story={s} viewer={viewer} /> about {s.leader}, {formatOccurredOn(s.occurredOn)}
                  {s.departmentName ? <>, in {s.departmentName}</> : null}.{' '}
                  <strong class="waited">Waiting {waitedFor(s.reviewSince ?? s.toldAt, now)}</strong>{' '}
                  <span class="muted">(since {formatInstant(s.reviewSince ?? s.toldAt)})</span>
                </p>
                {s.reviewNote ? <p class="muted">Returned earlier with the note: <q>{s.reviewNote}</q>; amended since.</p> : null}
                <StoryBody text={s.body} />
                <div class="review-actions">
                  <form method="post" action={`/review/${s.storyId}/approve`} class="inline">
                    <button type="submit">Approve “{s.title}”</button>
                  </form>
                  <form method="post" action={`/review/${s.storyId}/return`} class="return-form">
                    <label for={noteId}>Note to the teller</label>
                    <textarea id={noteId} name="note" class="short" maxlength={2000} required
                      {...(mine ? { 'aria-invalid': 'true', 'aria-describedby': `${noteId}-error` } : {})}>{mine?.note ?? ''}</textarea>
                    {mine ? <p class="field-error" id={`${noteId}-error`}>{mine.message}</p> : null}
                    <button type="submit" class="secondary">Return with this note</button>
                  </form>
                </div>
              </article>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
