import type { CurrentUser } from '../../src/http/env.ts';
import type { Story } from '../../src/read/stories.ts';
import { visibleTeller } from '../../src/read/stories.ts';

// one style for dates everywhere: views/components/format.ts (Intl.DateTimeFormat)
export { formatInstant, formatOccurredOn } from '../components/format.ts';

export const RELATION_LABELS: Record<Story['relation'], string> = {
  witnessed: 'saw it happen',
  participated: 'took part',
  heard: 'heard it told',
};

/** A leader's timeline: the person's, when the leader is linked to one, else the name's. */
export const leaderHref = (leader: string, leaderId?: string | null): string =>
  leaderId ? `/leaders/people/${encodeURIComponent(leaderId)}` : `/leaders/${encodeURIComponent(leader)}`;

/** The teller's name, or "anonymous" for viewers who may not know it. */
export function TellerName({ story, viewer }: { story: Story; viewer: CurrentUser | null }) {
  const teller = visibleTeller(story, viewer);
  if (!teller) return <span class="anonymous">anonymous</span>;
  return (
    <span class="teller">
      {teller.name}
      {story.anonymous ? <span class="muted"> (kept anonymous to others)</span> : null}
    </span>
  );
}
