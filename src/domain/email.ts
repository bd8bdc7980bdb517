import type { EventOf } from '../../events/catalogue.ts';
import type { EmailKind } from '../../events/mail.ts';
import type { Decider } from './decider.ts';

/**
 * Who gets which email, as deciders: a person's own choices (`email-preferences-{employeeId}`,
 * both kinds on until they turn one off) and the archive's weekly digest (`email-settings`, off
 * until an admin turns it on). Setting a choice to what it already is records nothing, so an
 * unsubscribe link followed twice appends one event.
 */
export type PreferencesState = Record<EmailKind, boolean>;

export type PreferencesCommand = { type: 'SetPreference'; employeeId: string; kind: EmailKind; enabled: boolean };

export const preferencesStream = (employeeId: string): string => `email-preferences-${employeeId}`;

export const preferencesDecider: Decider<PreferencesCommand, PreferencesState, EventOf<'NotificationPreferenceChanged'>> = {
  initialState: () => ({ shared: true, digest: true }),
  evolve: (state, event) => ({ ...state, [event.data.kind]: event.data.enabled }),
  decide: (command, state) =>
    state[command.kind] === command.enabled
      ? []
      : [{ type: 'NotificationPreferenceChanged', data: { employeeId: command.employeeId, kind: command.kind, enabled: command.enabled } }],
};

export interface EmailSettingsState {
  weeklyDigest: boolean;
}

export type EmailSettingsCommand = { type: 'ChangeEmailSettings'; weeklyDigest: boolean };

export const emailSettingsStream = 'email-settings';

export const emailSettingsDecider: Decider<EmailSettingsCommand, EmailSettingsState, EventOf<'EmailSettingsChanged'>> = {
  initialState: () => ({ weeklyDigest: false }),
  evolve: (_state, event) => ({ weeklyDigest: event.data.weeklyDigest }),
  decide: (command, state) => (command.weeklyDigest === state.weeklyDigest ? [] : [{ type: 'EmailSettingsChanged', data: { weeklyDigest: command.weeklyDigest } }]),
};
