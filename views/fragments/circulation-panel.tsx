import type { AppContext, CurrentUser } from '../../src/http/env.ts';

/**
 * The story page's circulation controls and counters ("I've heard this one", "Send to a
 * colleague", "Retell it"). The story page (stories area) renders it; the circulation area owns it.
 */
export async function CirculationPanel(_props: { ctx: AppContext; user: CurrentUser; storyId: string }) {
  return <section id="circulation" aria-label="Circulation"></section>;
}
