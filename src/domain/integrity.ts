import type { HallwayEvent } from '../../events/catalogue.ts';

/**
 * Referential integrity of the log: what an event may refer to, given every event before it.
 * `hallway import` folds the log and then the file's lines through `checkIntegrity` and
 * `evolveIntegrity`, refusing the first line that refers to something not (or no longer) there.
 * Pure: no I/O, no clock. The state is a mutable accumulator on purpose: an import may fold
 * millions of events, and copying maps per event would make that quadratic.
 */
export interface IntegrityState {
  departments: Map<string, 'open' | 'closed'>;
  employees: Map<string, 'joined' | 'left'>;
  stories: Set<string>;
  themes: Map<string, 'defined' | 'retired'>;
}

export function emptyIntegrity(): IntegrityState {
  return { departments: new Map(), employees: new Map(), stories: new Set(), themes: new Map() };
}

/** The reason `event` is refused after the events folded into `s`, or null when it may follow them. */
export function checkIntegrity(s: IntegrityState, event: HallwayEvent): string | null {
  const department = (id: string, mustBeOpen: boolean): string | null => {
    const d = s.departments.get(id);
    if (!d) return `department ${id} has not been opened`;
    if (mustBeOpen && d === 'closed') return `department ${id} is closed`;
    return null;
  };
  const employee = (id: string): string | null => (s.employees.has(id) ? null : `employee ${id} has not joined`);
  /** someone exposed to a story (or its source) must be a current employee */
  const active = (id: string): string | null => {
    const e = s.employees.get(id);
    if (!e) return `employee ${id} has not joined`;
    if (e === 'left') return `employee ${id} has left`;
    return null;
  };
  const story = (id: string): string | null => (s.stories.has(id) ? null : `story ${id} does not exist`);
  const theme = (id: string): string | null => {
    const t = s.themes.get(id);
    if (!t) return `theme ${id} is not defined`;
    if (t === 'retired') return `theme ${id} is retired`;
    return null;
  };
  const first = (...reasons: (string | null)[]): string | null => reasons.find((r) => r !== null) ?? null;

  switch (event.type) {
    case 'DepartmentOpened':
      return null;
    case 'DepartmentRenamed':
    case 'DepartmentClosed':
      return department(event.data.departmentId, true);
    case 'EmployeeJoined':
      return department(event.data.departmentId, true);
    case 'EmailClaimed':
      // written just before the EmployeeJoined it is for
      return null;
    case 'EmployeeTransferred':
      return first(active(event.data.employeeId), department(event.data.departmentId, true));
    case 'EmployeeRoleGranted':
    case 'EmployeeLeft':
      return active(event.data.employeeId);
    case 'EmployeeRoleRevoked':
      return employee(event.data.employeeId);
    case 'ThemeDefined':
      return null;
    case 'ThemeRetired':
    case 'ThemeDescribed':
      return s.themes.has(event.data.themeId) ? null : `theme ${event.data.themeId} is not defined`;
    case 'StorySubmitted': {
      const d = event.data;
      if (s.stories.has(d.storyId)) return `story ${d.storyId} already exists`;
      return first(
        active(d.tellerId),
        d.happenedIn !== undefined ? department(d.happenedIn, false) : null,
        ...d.themes.map(theme),
        d.retellingOf !== undefined ? story(d.retellingOf) : null,
      );
    }
    case 'StoryAmended':
    case 'StoryRetracted':
      return story(event.data.storyId);
    case 'StoryThemed':
      return first(story(event.data.storyId), theme(event.data.themeId));
    case 'StoryUnthemed':
      return first(story(event.data.storyId), s.themes.has(event.data.themeId) ? null : `theme ${event.data.themeId} is not defined`);
    case 'StoryRead':
      return first(story(event.data.storyId), active(event.data.readerId));
    case 'StoryHeard': {
      const d = event.data;
      if (d.fromId !== undefined && d.fromId === d.listenerId) return 'one cannot hear a story from oneself';
      return first(story(d.storyId), active(d.listenerId), d.fromId !== undefined ? active(d.fromId) : null);
    }
    case 'StoryShared': {
      const d = event.data;
      if (d.fromId === d.toId) return 'one cannot share a story with oneself';
      return first(story(d.storyId), active(d.fromId), active(d.toId));
    }
    case 'StartHerePicksSet':
      return first(...event.data.storyIds.map(story));
    case 'InvitationIssued':
    case 'PasswordSet':
    case 'SessionStarted':
    case 'ApiTokenIssued':
      return employee(event.data.employeeId);
    case 'SessionExtended':
    case 'SessionEnded':
    case 'ApiTokenRevoked':
      return null;
  }
}

/** Folds one accepted event into the state (mutates and returns `s`). */
export function evolveIntegrity(s: IntegrityState, event: HallwayEvent): IntegrityState {
  switch (event.type) {
    case 'DepartmentOpened':
      s.departments.set(event.data.departmentId, 'open');
      break;
    case 'DepartmentClosed':
      s.departments.set(event.data.departmentId, 'closed');
      break;
    case 'EmployeeJoined':
      s.employees.set(event.data.employeeId, 'joined');
      break;
    case 'EmployeeLeft':
      s.employees.set(event.data.employeeId, 'left');
      break;
    case 'ThemeDefined':
      s.themes.set(event.data.themeId, 'defined');
      break;
    case 'ThemeRetired':
      s.themes.set(event.data.themeId, 'retired');
      break;
    case 'StorySubmitted':
      s.stories.add(event.data.storyId);
      break;
    default:
      break;
  }
  return s;
}
