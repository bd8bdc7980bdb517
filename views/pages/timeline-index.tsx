import type { Theme } from '../../src/read/stories.ts';
import { plural } from '../components/format.ts';
import type { LeaderEntry } from '../../src/read/stories.ts';
import { Avatar } from '../components/avatar.tsx';
import { leaderHref } from '../fragments/story-meta.tsx';

/** Every theme with its description (curators define and describe them on /curation). */
export function ThemesPage({ themes }: { themes: Theme[] }) {
  return (
    <section>
      <h1>Themes</h1>
      {themes.length === 0 ? <p class="muted">No themes are defined yet.</p> : null}
      <ul class="themes">
        {themes.map((t) => (
          <li>
            <a href={`/themes/${t.themeId}`}>{t.name}</a> <span class="muted">({plural(t.stories, 'story', 'stories')})</span>
            {t.description ? <p>{t.description}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Leaders named in stories, one entry per person (stories linked to them) or per spelling (not
 * linked), each linking to their timeline. Curators can link a spelling to a person.
 */
export function LeadersPage({ leaders, curator, names, linked }: { leaders: LeaderEntry[]; curator: boolean; names: string[]; linked?: string | undefined }) {
  return (
    <section>
      <h1>Leaders</h1>
      {linked ? <p class="notice" role="status">Linked to {linked}: their stories are listed together now.</p> : null}
      {leaders.length === 0 ? <p class="muted">No stories yet.</p> : null}
      <ul class="leaders">
        {leaders.map((l, i) => (
          <li class="person-cell">
            <Avatar name={l.leader} size="sm" />
            <span>
              <a href={leaderHref(l.leader, l.leaderId)}>{l.leader}</a> <span class="muted">({plural(l.stories, 'story', 'stories')})</span>
              {curator && !l.leaderId ? (
                <details class="link-leader">
                  <summary>Link to a person</summary>
                  <form method="post" action="/leaders/link" class="row">
                    <input type="hidden" name="leader" value={l.leader} />
                    <label for={`link-${i}`}>Who is “{l.leader}”?</label>
                    <input type="text" id={`link-${i}`} name="person" list="leader-people" autocomplete="off" required />
                    <button type="submit" class="secondary">Link</button>
                  </form>
                </details>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      {curator ? (
        <datalist id="leader-people">
          {names.map((n) => <option value={n} />)}
        </datalist>
      ) : null}
    </section>
  );
}
