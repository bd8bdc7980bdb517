import type { Story } from '../../src/read/stories.ts';
import { formatInstant } from '../components/format.ts';

/**
 * On the teller's home page only: their stories awaiting review, the returned ones first with
 * the curator's note and a way to amend them.
 */
export function MyStoriesAwaitingReview({ stories }: { stories: Story[] }) {
  if (stories.length === 0) return null;
  const returned = stories.filter((s) => s.review === 'returned');
  const waiting = stories.filter((s) => s.review === 'waiting');
  return (
    <section class="awaiting-review" aria-labelledby="awaiting-heading">
      <h2 id="awaiting-heading">Your stories awaiting review</h2>
      <ul class="plain">
        {returned.map((s) => (
          <li class="returned">
            <a href={`/stories/${s.storyId}`}>{s.title}</a>: <strong>returned by a curator</strong> with this note:
            <blockquote class="review-note">{s.reviewNote}</blockquote>
            <a class="button secondary" href={`/stories/${s.storyId}/amend`}>Amend “{s.title}”</a>
          </li>
        ))}
        {waiting.map((s) => (
          <li class="waiting">
            <a href={`/stories/${s.storyId}`}>{s.title}</a>: waiting for a curator since {formatInstant(s.reviewSince ?? s.toldAt)}.
          </li>
        ))}
      </ul>
    </section>
  );
}
