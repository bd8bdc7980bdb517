import type { AppContext, CurrentUser } from '../../src/http/env.ts';

/** Stories colleagues sent to this person, for the home page (the circulation area owns it). */
export async function SharedWithMe(_props: { ctx: AppContext; user: CurrentUser }) {
  return null;
}
