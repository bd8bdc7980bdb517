import type { CurrentUser } from '../../src/http/env.ts';
import type { Story } from '../../src/read/stories.ts';
import { visibleTeller } from '../../src/read/stories.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2019` → "2019", `2019-03` → "March 2019", `2019-03-05` → "5 March 2019". */
export function formatOccurredOn(occurredOn: string): string {
  const [y, m, d] = occurredOn.split('-');
  if (!m) return y ?? occurredOn;
  const month = MONTHS[Number(m) - 1] ?? m;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

/** An ISO instant as a short UTC date and time, for history entries. */
export const formatInstant = (iso: string): string => iso.replace('T', ' ').slice(0, 16) + ' UTC';

export const RELATION_LABELS: Record<Story['relation'], string> = {
  witnessed: 'saw it happen',
  participated: 'took part',
  heard: 'heard it told',
};

export const leaderHref = (leader: string): string => `/leaders/${encodeURIComponent(leader)}`;

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
