import { z } from 'zod';
import { defineEvent, Id } from './common.ts';
import { Reason } from './stories.ts';

/**
 * Review before publishing (issue 12), added to EVENTS.md's list as new types (allowed by its
 * rules). Whether a story awaits review is not a field of `StorySubmitted`: it follows from the
 * last `ArchiveSettingsChanged` before it in log order, so an import replays it the same way.
 */

/** An admin turns review before publishing on or off; off until the first one. */
export const ArchiveSettingsChanged = defineEvent({
  type: 'ArchiveSettingsChanged',
  version: 1,
  schema: z.object({ reviewBeforePublishing: z.boolean() }),
  stream: () => 'archive-settings',
});

/** A curator publishes a story that was awaiting review. */
export const StoryApproved = defineEvent({
  type: 'StoryApproved',
  version: 1,
  schema: z.object({ storyId: Id }),
  stream: (d) => `story-${d.storyId}`,
});

/** A curator hands a story awaiting review back to its teller with a note; it stays unpublished. */
export const StoryReturned = defineEvent({
  type: 'StoryReturned',
  version: 1,
  schema: z.object({ storyId: Id, note: Reason }),
  stream: (d) => `story-${d.storyId}`,
});

export const reviewEvents = [ArchiveSettingsChanged, StoryApproved, StoryReturned] as const;
