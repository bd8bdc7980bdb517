import { z } from 'zod';
import { defineEvent, Id } from './common.ts';

export const SETTINGS = ['conversation', 'meeting', 'onboarding', 'customer', 'other'] as const;
export const Setting = z.enum(SETTINGS);

export const StoryRead = defineEvent({
  type: 'StoryRead',
  version: 1,
  schema: z.object({ storyId: Id, readerId: Id }),
  stream: (d) => `circulation-${d.storyId}`,
});
export const StoryHeard = defineEvent({
  type: 'StoryHeard',
  version: 1,
  schema: z
    .object({ storyId: Id, listenerId: Id, fromId: Id.optional(), setting: Setting })
    .refine((d) => d.fromId !== d.listenerId, { message: 'one cannot hear a story from oneself', path: ['fromId'] }),
  stream: (d) => `circulation-${d.storyId}`,
});
export const StoryShared = defineEvent({
  type: 'StoryShared',
  version: 1,
  schema: z
    .object({ storyId: Id, fromId: Id, toId: Id })
    .refine((d) => d.fromId !== d.toId, { message: 'one cannot share a story with oneself', path: ['toId'] }),
  stream: (d) => `circulation-${d.storyId}`,
});

export const circulationEvents = [StoryRead, StoryHeard, StoryShared] as const;
