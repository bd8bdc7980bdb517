import type { Theme } from '../../src/read/stories.ts';
import { plural } from '../components/format.ts';

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

/** Leaders named in stories, each linking to their timeline. */
export function LeadersPage({ leaders }: { leaders: { leader: string; stories: number }[] }) {
  return (
    <section>
      <h1>Leaders</h1>
      {leaders.length === 0 ? <p class="muted">No stories yet.</p> : null}
      <ul>
        {leaders.map((l) => (
          <li>
            <a href={`/leaders/${encodeURIComponent(l.leader)}`}>{l.leader}</a> <span class="muted">({l.stories})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
