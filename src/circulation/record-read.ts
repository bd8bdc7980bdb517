import type { AppContext, CurrentUser } from '../http/env.ts';
import { recordRead as record } from './record.ts';

/**
 * Records that `user` opened a story page (StoryRead), at most once per reader, story and day,
 * never for the teller. The story page calls it; the circulation area owns it. A read that cannot
 * be recorded (the story was just retracted, say) must not break the page, so refusals are dropped.
 */
export async function recordRead(ctx: AppContext, user: CurrentUser, storyId: string, tellerId: string): Promise<void> {
  if (user.employeeId === tellerId || user.via !== 'session') return;
  await record(ctx, { storyId, readerId: user.employeeId });
}
