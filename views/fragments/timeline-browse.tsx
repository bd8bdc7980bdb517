import type { Theme } from '../../src/read/stories.ts';
import { leaderHref } from './story-meta.tsx';
import { Avatar } from '../components/avatar.tsx';
import { ThemeChip } from '../components/theme-chip.tsx';

/** Links to every theme, leader and department timeline. */
export function TimelineBrowse({ themes, leaders, departments }: {
  themes: Theme[];
  leaders: { leader: string; leaderId: string | null; stories: number }[];
  departments: { departmentId: string; name: string; stories: number }[];
}) {
  return (
    <nav class="timeline-browse" aria-label="Timelines">
      <section>
        <h2>By theme</h2>
        <ul class="chips">
          {themes.map((t) => (
            <li><ThemeChip themeId={t.themeId} name={t.name} /> <span class="muted">({t.stories})</span></li>
          ))}
        </ul>
      </section>
      <section>
        <h2>By leader</h2>
        <ul>
          {leaders.map((l) => (
            <li class="person-cell"><Avatar name={l.leader} size="sm" /><span><a href={leaderHref(l.leader, l.leaderId)}>{l.leader}</a> <span class="muted">({l.stories})</span></span></li>
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
