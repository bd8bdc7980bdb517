import type { Context } from 'hono';
import type { CurrentUser, AppContext, AppEnv } from './env.ts';
import type { Story } from '../read/stories.ts';
import { getStory, isCurator, listThemes, maySee, retellingsOf, storyHistory } from '../read/stories.ts';
import { circulationCounters, storyReach } from '../read/spread.ts';
import type { CirculationCounters } from '../read/spread.ts';
import { lastHeard } from '../read/reading.ts';
import { CirculationPanel } from '../../views/fragments/circulation-panel.tsx';
import type { PanelState } from '../../views/fragments/circulation-panel.tsx';
import { StoryHistory, StoryMain, StoryPage, StoryRetellings } from '../../views/pages/story.tsx';
import { keptUntilViewsChange } from '../read/kept.ts';
import { storyFamily } from '../read/stories.ts';
import { seesTelling } from './lineage.tsx';
import { perspectiveOf, pureHtml, sharedPart } from './shared-parts.ts';
import { formatRelative } from '../../views/components/format.ts';
import { tellersReceipt } from './receipts.tsx';
import { StoryReceipt } from '../../views/fragments/story-receipt.tsx';

/**
 * The story page and its circulation panel, built in one place for the stories area (GET) and the
 * circulation area (a refused form without JavaScript shows the whole page again, the message
 * once, beside its field).
 */

/** How far the teller's story went (numbers only). */
type Reach = { people: number; departments: number };

/** The panel's element (module-level: a closure made per request costs its name under tsx's keepNames). */
function panelElement(storyId: string, counters: CirculationCounters, heard: { at: string } | undefined, now: Date, reach: Reach | undefined, state: PanelState | undefined) {
  return (
    <CirculationPanel
      counters={counters}
      storyId={storyId}
      heard={heard ? { at: heard.at } : null}
      now={now}
      {...(reach ? { reach } : {})}
      {...(state ? { state } : {})}
    />
  );
}

/** The panel as this viewer sees it: whether they have heard it, and, for the teller, how far it went. */
export function panelFor(ctx: AppContext, viewer: CurrentUser, story: Pick<Story, 'storyId' | 'tellerId'>, state?: PanelState) {
  const db = ctx.runtime.db;
  const { storyId } = story;
  // read from the read models once per version of them, like the page's shared parts (the viewer's own heard state under their id)
  const heard = keptUntilViewsChange(db, `story:${storyId}:heard:${viewer.employeeId}`, () => lastHeard(db, viewer.employeeId, storyId) ?? null) ?? undefined;
  const counters = keptUntilViewsChange(db, `story:${storyId}:counters`, () => circulationCounters(db, storyId));
  const reach = story.tellerId === viewer.employeeId ? keptUntilViewsChange(db, `story:${storyId}:reach`, () => storyReach(db, storyId)) : undefined;
  // "you said so 3 days ago" is relative to now: one instant for the phrase in the key and the render
  const now = new Date();
  // a refused form's panel (state) is rendered each time; the panel as the page shows it is the
  // same for everyone with the same counters, reach and heard phrase: rendered once per such key
  if (state) return panelElement(storyId, counters, heard, now, reach, state);
  const key = JSON.stringify([storyId, counters.reached, counters.touches, reach?.people ?? null, reach?.departments ?? null, heard ? [heard.at, formatRelative(heard.at, now)] : null]);
  return pureHtml(`panel:${key}`, () => panelElement(storyId, counters, heard, now, reach, undefined));
}

/** A curator's theme change, confirmed beside the theme editor after the redirect (built from the theme's id, not from the query's text). */
function themeNoticeOf(ctx: AppContext, c: Context<AppEnv>): string | undefined {
  const done = c.req.query('themed');
  if (done !== 'added' && done !== 'removed') return undefined;
  const t = listThemes(ctx.runtime.db, { includeRetired: true }).find((x) => x.themeId === c.req.query('theme'));
  if (!t) return undefined;
  return done === 'added' ? `Added the theme “${t.name}”.` : `Removed the theme “${t.name}”.`;
}

export async function renderStoryPage(
  ctx: AppContext,
  c: Context<AppEnv>,
  viewer: CurrentUser,
  story: Story,
  opts: { notice?: string; status?: 200 | 409 | 422 | 403; panel?: PanelState; thanks?: boolean } = {},
) {
  const db = ctx.runtime.db;
  const { storyId } = story;
  // the parts alike for everyone with this perspective, kept until the read models change; the
  // viewer's id is in the perspective only when they told the story or one of its retellings
  // (no closures named per request here: tsx's keepNames names each one as it is made)
  const involved = [story.tellerId, ...keptUntilViewsChange(db, `story:${storyId}:retellers`, () => retellingsOf(db, storyId).map((r) => r.tellerId))];
  const p = perspectiveOf(viewer, involved);
  // the panel's read models read now, while the version just read is still this turn's
  const circulation = panelFor(ctx, viewer, story, opts.panel);
  const [main, retold, history, receipt] = await Promise.all([
    sharedPart(db, `story:${storyId}:main|${p.key}`, () => {
      // a kept part is rendered from the read models as they are now, never from a caller's older copy
      const now = getStory(db, storyId) ?? story;
      const original = now.retellingOf ? getStory(db, now.retellingOf) : undefined;
      const retells = original && (!original.retracted || isCurator(p.viewer)) && maySee(original, p.viewer) ? original : null;
      // the lineage link: when the family has more than one telling this perspective sees
      const tellings = storyFamily(db, storyId).filter((s) => seesTelling(s, p.viewer)).length;
      return <StoryMain story={now} viewer={p.viewer} retells={retells} tellings={tellings} />;
    }),
    sharedPart(db, `story:${storyId}:retellings|${p.key}`, () => <StoryRetellings retellings={retellingsOf(db, storyId)} viewer={p.viewer} />),
    sharedPart(db, `story:${storyId}:history|${p.key}`, () => <StoryHistory story={getStory(db, storyId) ?? story} history={storyHistory(db, storyId)} viewer={p.viewer} />),
    // the teller's receipt: theirs alone, never a shared part
    tellersReceipt(ctx, viewer, story),
  ]);
  c.status(opts.status ?? 200);
  return c.render(
    <StoryPage
      story={story}
      viewer={viewer}
      history={[]}
      retellings={[]}
      retells={null}
      // only a curator's page shows the theme editor
      themes={isCurator(viewer) ? listThemes(db) : []}
      circulation={circulation}
      notice={opts.notice}
      themeNotice={themeNoticeOf(ctx, c)}
      thanks={opts.thanks === true}
      shared={{ main, retellings: retold, history }}
      receipt={receipt ? <StoryReceipt receipt={receipt} /> : undefined}
    />,
    { title: story.title },
  );
}
