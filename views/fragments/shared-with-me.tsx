import type { AppContext, CurrentUser } from '../../src/http/env.ts';
import { When } from '../components/when.tsx';

/**
 * Stories colleagues sent to this person, for the home page (the circulation area owns it).
 * Only the recipient sees this list, and it does not say who sent each story (SPREAD.md: no
 * screen shows what a named person shared, except to that person).
 */
export async function SharedWithMe(props: { ctx: AppContext; user: CurrentUser }) {
  const rows = props.ctx.runtime.db
    .prepare<[string], { story_id: string; title: string; at_ms: number }>(
      `SELECT sh.story_id, s.title, sh.at_ms FROM spread_shared sh JOIN spread_stories s ON s.story_id = sh.story_id
       WHERE sh.to_id = ? AND s.retracted = 0 ORDER BY sh.at_ms DESC LIMIT 10`,
    )
    .all(props.user.employeeId);
  if (rows.length === 0) return null;
  return (
    <section class="shared-with-me" aria-labelledby="shared-with-me-title">
      <h2 id="shared-with-me-title">Sent to you</h2>
      <ul>
        {rows.map((r) => (
          <li>
            <a href={`/stories/${encodeURIComponent(r.story_id)}`}>{r.title}</a>{' '}
            <span class="muted">sent <When at={new Date(r.at_ms).toISOString()} /></span>
          </li>
        ))}
      </ul>
    </section>
  );
}
