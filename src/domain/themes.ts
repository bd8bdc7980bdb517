import type { EventOf } from '../../events/catalogue.ts';
import type { Decider, DomainError } from './decider.ts';

/** The theme stream (`theme-{themeId}`): curators define, describe and retire themes. */

export type ThemeEvent = EventOf<'ThemeDefined' | 'ThemeDescribed' | 'ThemeRetired'>;

export interface ThemeState {
  exists: boolean;
  name: string;
  description: string;
  retired: boolean;
}

export type ThemeCommand =
  | { type: 'DefineTheme'; themeId: string; name: string; description: string }
  | { type: 'DescribeTheme'; themeId: string; name?: string; description: string }
  | { type: 'RetireTheme'; themeId: string };

export const initialThemeState = (): ThemeState => ({ exists: false, name: '', description: '', retired: false });

export function evolveTheme(state: ThemeState, event: ThemeEvent): ThemeState {
  switch (event.type) {
    case 'ThemeDefined':
      return { exists: true, name: event.data.name, description: event.data.description, retired: false };
    case 'ThemeDescribed':
      return { ...state, name: event.data.name ?? state.name, description: event.data.description };
    case 'ThemeRetired':
      return { ...state, retired: true };
  }
}

const notFound: DomainError = { error: 'not-found', kind: 'not-found', message: 'There is no such theme.' };

export function decideTheme(command: ThemeCommand, state: ThemeState): ThemeEvent[] | DomainError {
  switch (command.type) {
    case 'DefineTheme':
      if (state.exists) return { error: 'exists', kind: 'conflict', field: 'themeId', message: 'a theme with this id already exists' };
      return [{ type: 'ThemeDefined', data: { themeId: command.themeId, name: command.name, description: command.description } }];
    case 'DescribeTheme': {
      if (!state.exists) return notFound;
      if (state.retired) return { error: 'retired', kind: 'conflict', message: 'This theme is retired.' };
      const name = command.name !== undefined && command.name !== state.name ? command.name : undefined;
      if (name === undefined && command.description === state.description) return [];
      return [{ type: 'ThemeDescribed', data: { themeId: command.themeId, ...(name !== undefined ? { name } : {}), description: command.description } }];
    }
    case 'RetireTheme':
      if (!state.exists) return notFound;
      if (state.retired) return [];
      return [{ type: 'ThemeRetired', data: { themeId: command.themeId } }];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

export const themeDecider: Decider<ThemeCommand, ThemeState, ThemeEvent> = {
  initialState: initialThemeState,
  evolve: evolveTheme,
  decide: decideTheme,
};

export const themeStream = (themeId: string): string => `theme-${themeId}`;
