import type { EventOf } from '../../events/catalogue.ts';
import type { Decider } from './decider.ts';

/**
 * The archive's settings (`archive-settings`): today one, review before publishing, off until
 * an admin turns it on. Who may change it is the access table's concern (admins).
 */
export type SettingsEvent = EventOf<'ArchiveSettingsChanged'>;

export interface SettingsState {
  reviewBeforePublishing: boolean;
}

export type SettingsCommand = { type: 'ChangeSettings'; reviewBeforePublishing: boolean };

export const settingsStream = 'archive-settings';

export const settingsDecider: Decider<SettingsCommand, SettingsState, SettingsEvent> = {
  initialState: () => ({ reviewBeforePublishing: false }),
  evolve: (_state, event) => ({ reviewBeforePublishing: event.data.reviewBeforePublishing }),
  // setting it to what it already is records nothing
  decide: (command, state) =>
    command.reviewBeforePublishing === state.reviewBeforePublishing ? [] : [{ type: 'ArchiveSettingsChanged', data: { reviewBeforePublishing: command.reviewBeforePublishing } }],
};
