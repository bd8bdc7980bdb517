import type { Receipt } from '../../src/chain/receipts.ts';

/**
 * The teller's receipt for their story (issue 13): proof of what was recorded, with no story text
 * in it, so it can be kept anywhere. Only the teller's page shows it.
 */
export function StoryReceipt({ receipt }: { receipt: Receipt }) {
  return (
    <section class="story-receipt" aria-labelledby="receipt-heading">
      <h2 id="receipt-heading">Your receipt</h2>
      <p>
        Keep this receipt to check, whenever you like, that your story as you told it is still in the archive, unchanged.
        It holds no words of your story, so you can keep it anywhere.
      </p>
      <dl class="receipt-fields">
        <dt>Event</dt>
        <dd><code>{receipt.eventId}</code>, position {receipt.position} in the archive's log</dd>
        <dt>Event fingerprint (SHA-256)</dt>
        <dd><code class="hash">{receipt.eventHash}</code></dd>
        <dt>Chain link</dt>
        <dd><code class="hash">{receipt.chainLink}</code></dd>
      </dl>
      <p>
        <a href={`/stories/${receipt.storyId}/receipt`} download={`hallway-receipt-${receipt.storyId}.json`}>Download the receipt</a> ·{' '}
        <a href="/verify">Check a receipt</a>
      </p>
    </section>
  );
}
