import type { DataOf, EventOf } from '../../events/catalogue.ts';
import type { Decider, DomainError } from './decider.ts';

/**
 * The story stream (`story-{storyId}`) as a decider: tell, amend, retract, re-theme.
 * Facts from other streams (is a theme defined? a department open? does the retold story exist?)
 * arrive inside the command as `refs`, looked up by the route from the read models, so `decide`
 * stays pure.
 */

export type StoryEvent = EventOf<
  'StorySubmitted' | 'StoryAmended' | 'StoryThemed' | 'StoryUnthemed' | 'StoryRetracted' | 'LeaderLinked' | 'StoryApproved' | 'StoryReturned'
>;

export interface StoryState {
  exists: boolean;
  tellerId: string | null;
  title: string;
  body: string;
  themes: string[];
  retracted: boolean;
  /** the person the leader is linked to, if any */
  leaderId: string | null;
  /** returned to its teller with a note and not amended since (review before publishing) */
  returned: boolean;
  /** approved by a curator (review before publishing) */
  approved: boolean;
}

/** What the route knows about the ids a story refers to. */
export interface StoryRefs {
  /** status of each theme the command names (missing = not defined) */
  themes: Record<string, 'active' | 'retired'>;
  /** status of the department the command names, if it names one */
  departments: Record<string, 'open' | 'closed'>;
  /** ids of the stories the command names that exist (and are not retracted) */
  stories: string[];
  /** standing of each person the command names as a leader (missing = never worked here) */
  people?: Record<string, 'active' | 'left'>;
}

/** The acting employee, and whether they are a curator (the roles come from the session). */
export interface Actor {
  employeeId: string;
  curator: boolean;
}

export type StoryCommand =
  | { type: 'TellStory'; data: DataOf<'StorySubmitted'>; refs: StoryRefs }
  | { type: 'AmendStory'; storyId: string; actor: Actor; title?: string; body?: string; reason: string }
  | { type: 'RetractStory'; storyId: string; actor: Actor; reason: string }
  | { type: 'ThemeStory'; storyId: string; actor: Actor; themeId: string; refs: StoryRefs }
  | { type: 'UnthemeStory'; storyId: string; actor: Actor; themeId: string }
  | { type: 'LinkLeader'; storyId: string; actor: Actor; leaderId: string; refs: StoryRefs }
  /**
   * Review before publishing. Whether the story awaits review follows from the archive's setting
   * when it was told (another stream), so the route looks it up in the read model: `awaiting`.
   */
  | { type: 'ApproveStory'; storyId: string; actor: Actor; awaiting: boolean }
  | { type: 'ReturnStory'; storyId: string; actor: Actor; awaiting: boolean; note: string };

export const initialStoryState = (): StoryState => ({ exists: false, tellerId: null, title: '', body: '', themes: [], retracted: false, leaderId: null, returned: false, approved: false });

export function evolveStory(state: StoryState, event: StoryEvent): StoryState {
  switch (event.type) {
    case 'StorySubmitted':
      return {
        exists: true, tellerId: event.data.tellerId, title: event.data.title, body: event.data.body, themes: [...event.data.themes], retracted: false,
        leaderId: event.data.leaderId ?? null, returned: false, approved: false,
      };
    case 'StoryApproved':
      return { ...state, approved: true, returned: false };
    case 'StoryReturned':
      return { ...state, returned: true };
    case 'LeaderLinked':
      return { ...state, leaderId: event.data.leaderId };
    case 'StoryAmended':
      // an amendment answers a return: the story is back in the queue
      return { ...state, title: event.data.title ?? state.title, body: event.data.body ?? state.body, returned: false };
    case 'StoryThemed':
      return state.themes.includes(event.data.themeId) ? state : { ...state, themes: [...state.themes, event.data.themeId] };
    case 'StoryUnthemed':
      return { ...state, themes: state.themes.filter((t) => t !== event.data.themeId) };
    case 'StoryRetracted':
      return { ...state, retracted: true };
  }
}

/**
 * Every reason the references of a new story are refused, one per field (the form shows them all
 * at once); `decide` refuses with the first.
 */
export function storyRefErrors(data: DataOf<'StorySubmitted'>, refs: StoryRefs): DomainError[] {
  const errors: DomainError[] = [];
  for (const t of data.themes) {
    const status = refs.themes[t];
    if (!status) errors.push({ error: 'unknown-theme', field: 'themes', message: `theme ${t} is not defined` });
    else if (status === 'retired') errors.push({ error: 'retired-theme', field: 'themes', message: `theme ${t} is retired` });
  }
  if (data.happenedIn !== undefined) {
    const d = refs.departments[data.happenedIn];
    if (!d) errors.push({ error: 'unknown-department', field: 'happenedIn', message: 'is not a department' });
    else if (d === 'closed') errors.push({ error: 'closed-department', field: 'happenedIn', message: 'is a closed department' });
  }
  if (data.leaderId !== undefined && !refs.people?.[data.leaderId]) {
    errors.push({ error: 'unknown-leader', field: 'leader', message: 'is not someone who works or worked here; choose from the suggestions or type the name only' });
  }
  if (data.retellingOf !== undefined && !refs.stories.includes(data.retellingOf)) {
    errors.push({ error: 'unknown-story', field: 'retellingOf', message: 'is not a story in the archive' });
  }
  return errors;
}

const notFound: DomainError = { error: 'not-found', kind: 'not-found', message: 'There is no such story.' };
const retracted: DomainError = { error: 'retracted', kind: 'conflict', message: 'This story has been retracted.' };

const mayChange = (state: StoryState, actor: Actor): DomainError | null =>
  actor.curator || actor.employeeId === state.tellerId
    ? null
    : { error: 'forbidden', kind: 'forbidden', message: 'Only the teller of a story and curators may change it.' };

export function decideStory(command: StoryCommand, state: StoryState): StoryEvent[] | DomainError {
  switch (command.type) {
    case 'TellStory': {
      const d = command.data;
      // A retried form is not decided again: its story id and event id are derived from what was
      // sent and appended with no_stream (src/http/stories.tsx), which makes the retry a no-op.
      if (state.exists) return { error: 'exists', kind: 'conflict', message: 'A story with this id already exists.' };
      const [first] = storyRefErrors(d, command.refs);
      if (first) return first;
      return [{ type: 'StorySubmitted', data: d }];
    }
    case 'AmendStory': {
      if (!state.exists) return notFound;
      const refusal = mayChange(state, command.actor);
      if (refusal) return refusal;
      if (state.retracted) return retracted;
      const title = command.title !== undefined && command.title !== state.title ? command.title : undefined;
      const body = command.body !== undefined && command.body !== state.body ? command.body : undefined;
      if (title === undefined && body === undefined) {
        return { error: 'unchanged', kind: 'invalid', field: 'body', message: 'Change the title or the text to amend the story.' };
      }
      return [
        {
          type: 'StoryAmended',
          data: { storyId: command.storyId, ...(title !== undefined ? { title } : {}), ...(body !== undefined ? { body } : {}), reason: command.reason },
        },
      ];
    }
    case 'RetractStory': {
      if (!state.exists) return notFound;
      const refusal = mayChange(state, command.actor);
      if (refusal) return refusal;
      if (state.retracted) return [];
      return [{ type: 'StoryRetracted', data: { storyId: command.storyId, reason: command.reason } }];
    }
    case 'ThemeStory': {
      if (!state.exists) return notFound;
      if (!command.actor.curator) return { error: 'forbidden', kind: 'forbidden', message: 'Only curators re-theme stories.' };
      if (state.retracted) return retracted;
      if (state.themes.includes(command.themeId)) return [];
      const status = command.refs.themes[command.themeId];
      if (!status) return { error: 'unknown-theme', field: 'themeId', message: 'is not a defined theme' };
      if (status === 'retired') return { error: 'retired-theme', field: 'themeId', message: 'is a retired theme' };
      if (state.themes.length >= 5) return { error: 'too-many-themes', field: 'themeId', message: 'a story has at most 5 themes' };
      return [{ type: 'StoryThemed', data: { storyId: command.storyId, themeId: command.themeId } }];
    }
    case 'UnthemeStory': {
      if (!state.exists) return notFound;
      if (!command.actor.curator) return { error: 'forbidden', kind: 'forbidden', message: 'Only curators re-theme stories.' };
      if (state.retracted) return retracted;
      if (!state.themes.includes(command.themeId)) return [];
      return [{ type: 'StoryUnthemed', data: { storyId: command.storyId, themeId: command.themeId } }];
    }
    case 'LinkLeader': {
      if (!state.exists) return notFound;
      if (!command.actor.curator) return { error: 'forbidden', kind: 'forbidden', message: 'Only curators link a leader to a person.' };
      if (state.retracted) return retracted;
      if (!command.refs.people?.[command.leaderId]) return { error: 'unknown-leader', field: 'leaderId', message: 'is not someone who works or worked here' };
      if (state.leaderId === command.leaderId) return [];
      return [{ type: 'LeaderLinked', data: { storyId: command.storyId, leaderId: command.leaderId } }];
    }
    case 'ApproveStory':
    case 'ReturnStory': {
      if (!state.exists) return notFound;
      if (!command.actor.curator) return { error: 'forbidden', kind: 'forbidden', message: 'Only curators review stories.' };
      if (state.retracted) return retracted;
      if (!command.awaiting || state.approved) return { error: 'not-awaiting', kind: 'conflict', message: 'This story is not awaiting review.' };
      if (command.type === 'ApproveStory') return [{ type: 'StoryApproved', data: { storyId: command.storyId } }];
      // returned and not amended since: it is with its teller, not in the queue
      if (state.returned) return { error: 'already-returned', kind: 'conflict', message: 'This story is already back with its teller.' };
      const note = command.note.trim();
      if (!note) return { error: 'note-required', kind: 'invalid', field: 'note', message: 'Say what the teller should change.' };
      return [{ type: 'StoryReturned', data: { storyId: command.storyId, note } }];
    }
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

export const storyDecider: Decider<StoryCommand, StoryState, StoryEvent> = {
  initialState: initialStoryState,
  evolve: evolveStory,
  decide: decideStory,
};

export const storyStream = (storyId: string): string => `story-${storyId}`;
