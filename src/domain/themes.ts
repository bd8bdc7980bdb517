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
  /** nameHeldBy: the theme whose name equals `name` ignoring case, if any (names are unique) */
  | { type: 'DefineTheme'; themeId: string; name: string; description: string; nameHeldBy: string | null }
  | { type: 'DescribeTheme'; themeId: string; name?: string; description: string; nameHeldBy?: string | null }
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
const nameTaken: DomainError = { error: 'name-taken', kind: 'invalid', field: 'name', message: 'Another theme already has this name (names are unique, ignoring case).' };
/** the name `themeId` would take belongs to another theme */
const takenByOther = (themeId: string, holder: string | null | undefined): boolean => !!holder && holder !== themeId;

export function decideTheme(command: ThemeCommand, state: ThemeState): ThemeEvent[] | DomainError {
  switch (command.type) {
    case 'DefineTheme':
      if (state.exists) return { error: 'exists', kind: 'conflict', field: 'themeId', message: 'a theme with this id already exists' };
      if (takenByOther(command.themeId, command.nameHeldBy)) return nameTaken;
      return [{ type: 'ThemeDefined', data: { themeId: command.themeId, name: command.name, description: command.description } }];
    case 'DescribeTheme': {
      if (!state.exists) return notFound;
      if (state.retired) return { error: 'retired', kind: 'conflict', message: 'This theme is retired.' };
      const name = command.name !== undefined && command.name !== state.name ? command.name : undefined;
      if (name !== undefined && takenByOther(command.themeId, command.nameHeldBy)) return nameTaken;
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

/** how theme names compare: EVENTS.md makes them unique, ignoring case */
export const themeNameKey = (name: string): string => name.trim().toLocaleLowerCase('en');
