import type { InboxItem } from '../../src/read/reading.ts';
import { When } from '../components/when.tsx';
import { Icon } from '../components/icon.tsx';

/**
 * Stories colleagues sent to this person and they have not read yet, at the top of their home
 * page. Only the recipient sees this list, so it may say who sent each story (they may know it);
 * no leader's page shows who sent what (SPREAD.md). The caller reads the items for the signed-in
 * person (src/read/reading.ts `unreadSentTo`).
 */
export function SharedWithMe(props: { items: InboxItem[] }) {
  const rows = props.items;
  if (rows.length === 0) return null;
  return (
    <section class="shared-with-me" aria-labelledby="shared-with-me-title">
      <h2 id="shared-with-me-title"><Icon name="send" /> Sent to you</h2>
      <ul>
        {rows.map((r) => (
          <li>
            <a href={`/stories/${encodeURIComponent(r.storyId)}`}>{r.title}</a>{' '}
            <span class="muted">from <span class="sender">{r.fromName}</span>, <When at={r.at} /></span>
          </li>
        ))}
      </ul>
      <p class="muted">
        <a href="/me/email">Email me when someone sends me a story?</a>
      </p>
    </section>
  );
}
