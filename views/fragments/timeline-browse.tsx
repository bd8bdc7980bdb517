import type { Theme } from '../../src/read/stories.ts';
import { leaderHref } from './story-meta.tsx';

/** Links to every theme, leader and department timeline. */
export function TimelineBrowse({ themes, leaders, departments }: {
  themes: Theme[];
  leaders: { leader: string; stories: number }[];
  departments: { departmentId: string; name: string; stories: number }[];
}) {
  return (
    <nav class="timeline-browse" aria-label="Timelines">
      <section>
        <h2>By theme</h2>
        <ul>
          {themes.map((t) => (
            <li><a href={`/themes/${t.themeId}`}>{t.name}</a> <span class="muted">({t.stories})</span></li>
          ))}
        </ul>
      </section>
      <section>
        <h2>By leader</h2>
        <ul>
          {leaders.map((l) => (
            <li><a href={leaderHref(l.leader)}>{l.leader}</a> <span class="muted">({l.stories})</span></li>
          ))}
        </ul>
      </section>
      <section>
        <h2>By department</h2>
        <ul>
          {departments.map((d) => (
            <li><a href={`/departments/${d.departmentId}`}>{d.name}</a> <span class="muted">({d.stories})</span></li>
          ))}
        </ul>
      </section>
    </nav>
  );
}
