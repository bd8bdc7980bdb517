import type { SharedItem } from '../../src/read/spread.ts';

/**
 * Stories colleagues sent to this person, for the home page (the circulation area owns it).
 * Only the recipient sees this list, and it does not say who sent each story (SPREAD.md: no
 * screen shows what a named person shared, except to that person). The caller reads the items
 * for the signed-in person (src/read/spread.ts `sharedWith`).
 */
export function SharedWithMe(props: { items: SharedItem[] }) {
  const rows = props.items;
  if (rows.length === 0) return null;
  return (
    <section class="shared-with-me" aria-labelledby="shared-with-me-title">
      <h2 id="shared-with-me-title">Sent to you</h2>
      <ul>
        {rows.map((r) => (
          <li>
            <a href={`/stories/${encodeURIComponent(r.storyId)}`}>{r.title}</a>{' '}
            <span class="muted">sent {new Date(r.atMs).toISOString().slice(0, 10)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
