import type { EventOf } from '../../events/catalogue.ts';
import type { Decider, DomainError } from './decider.ts';

/** The curators' picks for the new hires' "Start here" (stream `curation-start-here`). */

export type CurationEvent = EventOf<'StartHerePicksSet'>;

export interface CurationState {
  picks: string[];
}

export type CurationCommand = {
  type: 'SetStartHerePicks';
  storyIds: string[];
  /** ids among `storyIds` that exist and are not retracted (looked up by the route) */
  known: string[];
  curator: boolean;
};

export const START_HERE_STREAM = 'curation-start-here';
export const MAX_PICKS = 20;

export const initialCurationState = (): CurationState => ({ picks: [] });

export function evolveCuration(_state: CurationState, event: CurationEvent): CurationState {
  return { picks: [...event.data.storyIds] };
}

export function decideCuration(command: CurationCommand, state: CurationState): CurationEvent[] | DomainError {
  if (!command.curator) return { error: 'forbidden', kind: 'forbidden', message: 'Only curators pick stories for Start here.' };
  if (new Set(command.storyIds).size !== command.storyIds.length) return { error: 'repeated', field: 'storyIds', message: 'a story can be picked once' };
  if (command.storyIds.length > MAX_PICKS) return { error: 'too-many', field: 'storyIds', message: `at most ${MAX_PICKS} picks` };
  const unknown = command.storyIds.find((id) => !command.known.includes(id));
  if (unknown !== undefined) return { error: 'unknown-story', field: 'storyIds', message: `story ${unknown} is not in the archive` };
  if (command.storyIds.join('\n') === state.picks.join('\n')) return [];
  return [{ type: 'StartHerePicksSet', data: { storyIds: [...command.storyIds] } }];
}

export const curationDecider: Decider<CurationCommand, CurationState, CurationEvent> = {
  initialState: initialCurationState,
  evolve: evolveCuration,
  decide: decideCuration,
};
