import { z } from 'zod';
import { defineEvent, Id, OccurredOn } from './common.ts';

export const RELATIONS = ['witnessed', 'participated', 'heard'] as const;
export const Relation = z.enum(RELATIONS);

export const Title = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');
export const Body = z.string().trim().min(1, 'is required').max(20_000, 'must be at most 20,000 characters');
export const LeaderName = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');
export const Reason = z.string().trim().min(1, 'is required').max(2_000, 'must be at most 2,000 characters');

export const ThemeDefined = defineEvent({
  type: 'ThemeDefined',
  version: 1,
  schema: z.object({
    themeId: Id,
    name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    description: z.string().trim().max(2_000, 'must be at most 2,000 characters'),
  }),
  stream: (d) => `theme-${d.themeId}`,
});
/** A curator rewrites a theme's description (and optionally its name). Added to EVENTS.md's list. */
export const ThemeDescribed = defineEvent({
  type: 'ThemeDescribed',
  version: 1,
  schema: z.object({
    themeId: Id,
    name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters').optional(),
    description: z.string().trim().max(2_000, 'must be at most 2,000 characters'),
  }),
  stream: (d) => `theme-${d.themeId}`,
});
export const ThemeRetired = defineEvent({
  type: 'ThemeRetired',
  version: 1,
  schema: z.object({ themeId: Id }),
  stream: (d) => `theme-${d.themeId}`,
});

/**
 * Version 2 is the shape of EVENTS.md. Version 1 (the archive's pilot, kept so its exports still
 * import) had a single optional `theme` and `teller` instead of `themes` and `tellerId`, and no
 * `anonymous` flag.
 */
export const StorySubmitted = defineEvent({
  type: 'StorySubmitted',
  version: 2,
  schema: z.object({
    storyId: Id,
    title: Title,
    body: Body,
    tellerId: Id,
    leader: LeaderName,
    /** the leader as a person (a current or former employee), when the teller chose one; absent for someone outside the company */
    leaderId: Id.optional(),
    happenedIn: Id.optional(),
    occurredOn: OccurredOn,
    themes: z.array(Id).max(5, 'at most 5 themes').refine((t) => new Set(t).size === t.length, 'must not repeat a theme'),
    relation: Relation,
    retellingOf: Id.optional(),
    anonymous: z.boolean(),
  }),
  stream: (d) => `story-${d.storyId}`,
  upcasters: {
    1: (data) => {
      const { theme, teller, ...rest } = data as Record<string, unknown>;
      return {
        ...rest,
        tellerId: rest['tellerId'] ?? teller,
        themes: rest['themes'] ?? (typeof theme === 'string' ? [theme] : []),
        anonymous: rest['anonymous'] ?? false,
      };
    },
  },
});
export const StoryAmended = defineEvent({
  type: 'StoryAmended',
  version: 1,
  schema: z
    .object({ storyId: Id, title: Title.optional(), body: Body.optional(), reason: Reason })
    .refine((d) => d.title !== undefined || d.body !== undefined, { message: 'must change the title or the body', path: ['body'] }),
  stream: (d) => `story-${d.storyId}`,
});
export const StoryThemed = defineEvent({
  type: 'StoryThemed',
  version: 1,
  schema: z.object({ storyId: Id, themeId: Id }),
  stream: (d) => `story-${d.storyId}`,
});
export const StoryUnthemed = defineEvent({
  type: 'StoryUnthemed',
  version: 1,
  schema: z.object({ storyId: Id, themeId: Id }),
  stream: (d) => `story-${d.storyId}`,
});
/**
 * A curator links a story's leader, named as free text, to a person (a current or former
 * employee), so that the leader's stories gather under that person however the tellers spelled
 * the name. Linking again to another person corrects it; the teller's words stay as told.
 */
export const LeaderLinked = defineEvent({
  type: 'LeaderLinked',
  version: 1,
  schema: z.object({ storyId: Id, leaderId: Id }),
  stream: (d) => `story-${d.storyId}`,
});
export const StoryRetracted = defineEvent({
  type: 'StoryRetracted',
  version: 1,
  schema: z.object({ storyId: Id, reason: Reason }),
  stream: (d) => `story-${d.storyId}`,
});

export const storyEvents = [
  ThemeDefined,
  ThemeDescribed,
  ThemeRetired,
  StorySubmitted,
  StoryAmended,
  StoryThemed,
  StoryUnthemed,
  StoryRetracted,
  LeaderLinked,
] as const;
