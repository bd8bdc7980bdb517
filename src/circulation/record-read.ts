import type { AppContext, CurrentUser } from '../http/env.ts';

/**
 * Records that `user` opened a story page (StoryRead), at most once per reader, story and day,
 * never for the teller. The story page calls it; the circulation area owns it.
 */
export async function recordRead(_ctx: AppContext, _user: CurrentUser, _storyId: string, _tellerId: string): Promise<void> {}
