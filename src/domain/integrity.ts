import type { HallwayEvent } from '../../events/catalogue.ts';
import type { Role } from '../../events/org.ts';
import { departmentDecider, emailHash, employeeDecider } from './org.ts';
import type { EmployeeState } from './org.ts';
import { decideTheme, initialThemeState, themeNameKey } from './themes.ts';
import { isDomainError } from './decider.ts';
import type { DomainError } from './decider.ts';

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
  /** lower-cased, trimmed theme name -> the theme that holds it */
  themeNames: Map<string, string>;
  /** what the employee decider needs: department and roles of each employee */
  people: Map<string, { departmentId: string; roles: Role[]; email?: string }>;
  /** lower-cased email -> the current employee who uses it (logs from before email claims) */
  emails: Map<string, string>;
  /** email hash -> the employee whose EmailClaimed holds it (claims are never released) */
  claims: Map<string, string>;
  /** current employees per department */
  members: Map<string, number>;
  /** current admins */
  admins: Set<string>;
  sessions: Set<string>;
  apiTokens: Set<string>;
  /** credentials, sessions or API tokens have been recorded */
  hasAuth: boolean;
}

export function emptyIntegrity(): IntegrityState {
  return {
    departments: new Map(), employees: new Map(), stories: new Set(), themes: new Map(), themeNames: new Map(),
    people: new Map(), emails: new Map(), claims: new Map(), members: new Map(), admins: new Set(), sessions: new Set(), apiTokens: new Set(), hasAuth: false,
  };
}

const refusal = (r: unknown[] | DomainError): string | null => (isDomainError(r) ? `${r.field ? `${r.field} ` : ''}${r.message}` : null);

/** The employee decider's state, rebuilt from the integrity state. */
function employeeState(s: IntegrityState, id: string): EmployeeState {
  const status = s.employees.get(id);
  const p = s.people.get(id);
  return { status: status === undefined ? 'none' : status === 'left' ? 'left' : 'current', departmentId: p?.departmentId ?? '', roles: p?.roles ?? [] };
}

/**
 * The rules the routes apply through the deciders (src/domain/org.ts, themes.ts), asked of the
 * same deciders with the facts the routes would look up: a department opened twice, an email in
 * use, a person who exists, the last admin, a theme defined twice.
 */
function decidersRefuse(s: IntegrityState, event: HallwayEvent): string | null {
  const dept = (id: string) => s.departments.get(id) ?? 'unknown';
  const otherAdmins = (id: string) => [...s.admins].filter((a) => a !== id).length;
  switch (event.type) {
    case 'DepartmentOpened':
      return refusal(departmentDecider.decide({ type: 'OpenDepartment', data: event.data }, { status: s.departments.has(event.data.departmentId) ? (s.departments.get(event.data.departmentId) === 'open' ? 'open' : 'closed') : 'none', name: '' }));
    case 'DepartmentClosed':
      if (s.departments.get(event.data.departmentId) !== 'open') return null;
      return refusal(departmentDecider.decide({ type: 'CloseDepartment', data: event.data, members: s.members.get(event.data.departmentId) ?? 0 }, { status: 'open', name: '' }));
    case 'EmployeeJoined': {
      const email = event.data.email;
      // the claim (written just before the join) says who holds the address; older logs have none
      const holder = email !== undefined ? (s.claims.get(emailHash(email)) ?? s.emails.get(email.trim().toLowerCase()) ?? null) : null;
      return refusal(employeeDecider.decide(
        { type: 'JoinEmployee', data: event.data, department: dept(event.data.departmentId), emailClaimedBy: holder },
        employeeState(s, event.data.employeeId),
      ));
    }
    case 'EmployeeTransferred':
      return refusal(employeeDecider.decide({ type: 'TransferEmployee', data: event.data, department: dept(event.data.departmentId) }, employeeState(s, event.data.employeeId)));
    case 'EmployeeRoleRevoked':
      return refusal(employeeDecider.decide({ type: 'RevokeRole', data: event.data, otherAdmins: otherAdmins(event.data.employeeId) }, employeeState(s, event.data.employeeId)));
    case 'EmployeeLeft':
      return refusal(employeeDecider.decide({ type: 'MarkLeft', data: event.data, otherAdmins: otherAdmins(event.data.employeeId) }, employeeState(s, event.data.employeeId)));
    case 'ThemeDefined':
      return refusal(decideTheme(
        { type: 'DefineTheme', ...event.data, nameHeldBy: s.themeNames.get(themeNameKey(event.data.name)) ?? null },
        { ...initialThemeState(), exists: s.themes.has(event.data.themeId) },
      ));
    case 'ThemeDescribed': {
      if (event.data.name === undefined) return null;
      const holder = s.themeNames.get(themeNameKey(event.data.name)) ?? null;
      return holder !== null && holder !== event.data.themeId ? refusal(decideTheme(
        { type: 'DescribeTheme', ...event.data, name: event.data.name, nameHeldBy: holder },
        { ...initialThemeState(), exists: true, name: '' },
      )) : null;
    }
    default:
      return null;
  }
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

  const structural = referenceProblem();
  return structural ?? decidersRefuse(s, event);

  function referenceProblem(): string | null {
    switch (event.type) {
      case 'DepartmentOpened':
        return null;
      case 'DepartmentRenamed':
      case 'DepartmentClosed':
        return department(event.data.departmentId, true);
      case 'EmployeeJoined':
        return department(event.data.departmentId, true);
      case 'EmailClaimed':
        // the route claims with no_stream: an address is claimed once, and the join follows it
        return s.claims.has(event.data.emailHash) ? `email ${event.data.emailHash.slice(0, 12)}… is already claimed by ${s.claims.get(event.data.emailHash)}` : null;
      case 'EmployeeTransferred':
        return first(active(event.data.employeeId), department(event.data.departmentId, true));
      case 'EmployeeRoleGranted':
      case 'EmployeeLeft':
        return active(event.data.employeeId);
      case 'PersonErased':
        // erasure follows leaving (docs/trust.md)
        return s.employees.get(event.data.employeeId) === 'left' ? null : s.employees.has(event.data.employeeId) ? `employee ${event.data.employeeId} has not left` : `employee ${event.data.employeeId} has not joined`;
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
          // the leader may have left: stories are told about former colleagues too
          d.leaderId !== undefined ? employee(d.leaderId) : null,
          d.happenedIn !== undefined ? department(d.happenedIn, false) : null,
          ...d.themes.map(theme),
          d.retellingOf !== undefined ? story(d.retellingOf) : null,
        );
      }
      case 'StoryAmended':
      case 'StoryRetracted':
      case 'StoryApproved':
      case 'StoryReturned':
        return story(event.data.storyId);
      case 'ArchiveSettingsChanged':
        return null;
      case 'EmailSettingsChanged':
        return null;
      case 'NotificationPreferenceChanged':
        return employee(event.data.employeeId);
      case 'LeaderLinked':
        return first(story(event.data.storyId), employee(event.data.leaderId));
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
        return s.sessions.has(event.data.sessionId) ? null : `session ${event.data.sessionId} has not started`;
      case 'ApiTokenRevoked':
        return s.apiTokens.has(event.data.tokenId) ? null : `API token ${event.data.tokenId} has not been issued`;
      case 'SignInFailed':
        return event.data.employeeId !== undefined ? employee(event.data.employeeId) : null;
      case 'DataExported':
        return null;
      default:
        // a type added later (on a branch): no references known here, the catalogue's schema holds
        return null;
    }
  }
}

/** Folds one accepted event into the state (mutates and returns `s`). */
export function evolveIntegrity(s: IntegrityState, event: HallwayEvent): IntegrityState {
  const leave = (id: string): void => {
    const p = s.people.get(id);
    if (!p || s.employees.get(id) !== 'joined') return;
    if (p.email && s.emails.get(p.email) === id) s.emails.delete(p.email);
    s.members.set(p.departmentId, (s.members.get(p.departmentId) ?? 1) - 1);
    s.admins.delete(id);
  };
  switch (event.type) {
    case 'DepartmentOpened':
      s.departments.set(event.data.departmentId, 'open');
      break;
    case 'DepartmentClosed':
      s.departments.set(event.data.departmentId, 'closed');
      break;
    case 'EmployeeJoined': {
      const d = event.data;
      const email = d.email?.trim().toLowerCase();
      s.employees.set(d.employeeId, 'joined');
      s.people.set(d.employeeId, { departmentId: d.departmentId, roles: [], ...(email ? { email } : {}) });
      if (email) s.emails.set(email, d.employeeId);
      s.members.set(d.departmentId, (s.members.get(d.departmentId) ?? 0) + 1);
      break;
    }
    case 'EmployeeTransferred': {
      const p = s.people.get(event.data.employeeId);
      if (p) {
        s.members.set(p.departmentId, (s.members.get(p.departmentId) ?? 1) - 1);
        s.members.set(event.data.departmentId, (s.members.get(event.data.departmentId) ?? 0) + 1);
        p.departmentId = event.data.departmentId;
      }
      break;
    }
    case 'EmployeeRoleGranted': {
      const p = s.people.get(event.data.employeeId);
      if (p && !p.roles.includes(event.data.role)) p.roles.push(event.data.role);
      if (event.data.role === 'admin' && s.employees.get(event.data.employeeId) === 'joined') s.admins.add(event.data.employeeId);
      break;
    }
    case 'EmployeeRoleRevoked': {
      const p = s.people.get(event.data.employeeId);
      if (p) p.roles = p.roles.filter((r) => r !== event.data.role);
      if (event.data.role === 'admin') s.admins.delete(event.data.employeeId);
      break;
    }
    case 'EmployeeLeft':
      leave(event.data.employeeId);
      s.employees.set(event.data.employeeId, 'left');
      break;
    case 'EmailClaimed':
      s.claims.set(event.data.emailHash, event.data.employeeId);
      break;
    case 'ThemeDefined':
      s.themes.set(event.data.themeId, 'defined');
      s.themeNames.set(themeNameKey(event.data.name), event.data.themeId);
      break;
    case 'ThemeDescribed':
      if (event.data.name !== undefined) {
        for (const [k, id] of s.themeNames) if (id === event.data.themeId) s.themeNames.delete(k);
        s.themeNames.set(themeNameKey(event.data.name), event.data.themeId);
      }
      break;
    case 'ThemeRetired':
      s.themes.set(event.data.themeId, 'retired');
      break;
    case 'StorySubmitted':
      s.stories.add(event.data.storyId);
      break;
    case 'SessionStarted':
      s.sessions.add(event.data.sessionId);
      s.hasAuth = true;
      break;
    case 'ApiTokenIssued':
      s.apiTokens.add(event.data.tokenId);
      s.hasAuth = true;
      break;
    case 'PasswordSet':
    case 'InvitationIssued':
    case 'SessionExtended':
    case 'SessionEnded':
    case 'ApiTokenRevoked':
      s.hasAuth = true;
      break;
    default:
      break;
  }
  return s;
}
