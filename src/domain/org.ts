import type { DataOf, HallwayEvent } from '../../events/catalogue.ts';
import type { Role } from '../../events/org.ts';
import { nameUuid, sha256Hex } from '../ids.ts';
import type { Decider, DomainError } from './decider.ts';

/**
 * The organisation's two stream families as deciders: department-{id} and employee-{id}.
 * Facts from outside the stream (is the target department open, is the email taken, how many
 * other admins are there) are looked up by the route in the read model and arrive in the
 * command, so `decide` stays pure.
 */

/** What the route found about a department in the read model. */
export type DepartmentLookup = 'open' | 'closed' | 'unknown';

// ---------------------------------------------------------------- departments

export type DepartmentCommand =
  | { type: 'OpenDepartment'; data: DataOf<'DepartmentOpened'> }
  | { type: 'RenameDepartment'; data: DataOf<'DepartmentRenamed'> }
  | { type: 'CloseDepartment'; data: DataOf<'DepartmentClosed'>; /** current employees in it */ members: number };

export interface DepartmentState {
  status: 'none' | 'open' | 'closed';
  name: string;
}

const err = (error: string, message: string, field?: string, kind: DomainError['kind'] = 'invalid'): DomainError => ({
  error,
  message,
  ...(field ? { field } : {}),
  kind,
});

export const departmentDecider: Decider<DepartmentCommand, DepartmentState> = {
  initialState: () => ({ status: 'none', name: '' }),
  evolve(state, event: HallwayEvent) {
    switch (event.type) {
      case 'DepartmentOpened':
        return { status: 'open', name: event.data.name };
      case 'DepartmentRenamed':
        return { ...state, name: event.data.name };
      case 'DepartmentClosed':
        return { ...state, status: 'closed' };
      default:
        return state;
    }
  },
  decide(command, state): HallwayEvent[] | DomainError {
    switch (command.type) {
      case 'OpenDepartment':
        if (state.status !== 'none') return err('department-exists', 'is already used by another department', 'departmentId');
        return [{ type: 'DepartmentOpened', data: command.data }];
      case 'RenameDepartment':
        if (state.status === 'none') return err('department-unknown', 'this department does not exist', undefined, 'not-found');
        if (state.status === 'closed') return err('department-closed', 'a closed department cannot be renamed', 'name');
        if (state.name === command.data.name) return [];
        return [{ type: 'DepartmentRenamed', data: command.data }];
      case 'CloseDepartment':
        if (state.status === 'none') return err('department-unknown', 'this department does not exist', undefined, 'not-found');
        if (state.status === 'closed') return [];
        if (command.members > 0) {
          return err('department-not-empty', `still has ${command.members} ${command.members === 1 ? 'person' : 'people'}; transfer them first`, 'departmentId');
        }
        return [{ type: 'DepartmentClosed', data: command.data }];
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

// ---------------------------------------------------------------- employees

export type EmployeeCommand =
  | {
      type: 'JoinEmployee';
      data: DataOf<'EmployeeJoined'>;
      department: DepartmentLookup;
      /** the employee whose EmailClaimed holds this email, if any (this same one: a retry) */
      emailClaimedBy: string | null;
    }
  | { type: 'TransferEmployee'; data: DataOf<'EmployeeTransferred'>; department: DepartmentLookup }
  | { type: 'GrantRole'; data: DataOf<'EmployeeRoleGranted'> }
  | { type: 'RevokeRole'; data: DataOf<'EmployeeRoleRevoked'>; /** current admins other than this employee */ otherAdmins: number }
  | { type: 'MarkLeft'; data: DataOf<'EmployeeLeft'>; otherAdmins: number }
  | { type: 'ErasePerson'; data: DataOf<'PersonErased'> };

export interface EmployeeState {
  status: 'none' | 'current' | 'left';
  /** PersonErased is in the stream */
  erased?: boolean;
  departmentId: string;
  roles: Role[];
}

const departmentProblem = (d: DepartmentLookup): DomainError | null =>
  d === 'unknown' ? err('department-unknown', 'is not a department', 'departmentId') : d === 'closed' ? err('department-closed', 'is closed', 'departmentId') : null;

export const employeeDecider: Decider<EmployeeCommand, EmployeeState> = {
  initialState: () => ({ status: 'none', departmentId: '', roles: [] }),
  evolve(state, event: HallwayEvent) {
    switch (event.type) {
      case 'EmployeeJoined':
        return { status: 'current', departmentId: event.data.departmentId, roles: [] };
      case 'EmployeeTransferred':
        return { ...state, departmentId: event.data.departmentId };
      case 'EmployeeRoleGranted':
        return state.roles.includes(event.data.role) ? state : { ...state, roles: [...state.roles, event.data.role] };
      case 'EmployeeRoleRevoked':
        return { ...state, roles: state.roles.filter((r) => r !== event.data.role) };
      case 'EmployeeLeft':
        return { ...state, status: 'left' };
      case 'PersonErased':
        return { ...state, erased: true };
      default:
        return state;
    }
  },
  decide(command, state): HallwayEvent[] | DomainError {
    if (command.type === 'ErasePerson') {
      if (state.status === 'none') return err('employee-unknown', 'this person does not exist', undefined, 'not-found');
      if (state.status === 'current') return err('employee-current', 'this person is still employed: erasure follows leaving, so mark them as left first', undefined, 'invalid');
      // erasing twice changes nothing, so a repeated confirmation is harmless
      return state.erased ? [] : [{ type: 'PersonErased', data: command.data }];
    }
    if (command.type !== 'JoinEmployee') {
      if (state.status === 'none') return err('employee-unknown', 'this person does not exist', undefined, 'not-found');
      if (state.status === 'left') return err('employee-left', 'this person has left', undefined, 'invalid');
    }
    switch (command.type) {
      case 'JoinEmployee': {
        if (state.status !== 'none') return err('employee-exists', 'is already used by another person', 'employeeId');
        const d = departmentProblem(command.department);
        if (d) return d;
        if (command.emailClaimedBy !== null && command.emailClaimedBy !== command.data.employeeId) return err('email-in-use', 'is already in use', 'email');
        return [{ type: 'EmployeeJoined', data: command.data }];
      }
      case 'TransferEmployee': {
        const d = departmentProblem(command.department);
        if (d) return d;
        if (state.departmentId === command.data.departmentId) return err('same-department', 'is already their department', 'departmentId');
        return [{ type: 'EmployeeTransferred', data: command.data }];
      }
      case 'GrantRole':
        // granting a role someone holds changes nothing, so a repeated form post is harmless
        if (state.roles.includes(command.data.role)) return [];
        return [{ type: 'EmployeeRoleGranted', data: command.data }];
      case 'RevokeRole':
        if (!state.roles.includes(command.data.role)) return [];
        if (command.data.role === 'admin' && command.otherAdmins === 0) {
          return err('last-admin', 'is the last admin: grant admin to someone else first', 'role');
        }
        return [{ type: 'EmployeeRoleRevoked', data: command.data }];
      case 'MarkLeft':
        if (state.roles.includes('admin') && command.otherAdmins === 0) {
          return err('last-admin', 'is the last admin: grant admin to someone else first', 'employeeId');
        }
        return [{ type: 'EmployeeLeft', data: command.data }];
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

// ---------------------------------------------------------------- email claims

/** The claim stream's key: SHA-256 of the trimmed, lower-cased address (the address stays out of stream names). */
export const emailHash = (email: string): string => sha256Hex(email.trim().toLowerCase());
export const emailStream = (hash: string): string => `email-${hash}`;

/**
 * The events of adding one person, with ids derived from what is added: the same request sent
 * again names the same events (a no-op where they were written), a different one other ids.
 */
export function joinEvents(person: DataOf<'EmployeeJoined'>, roles: Role[]): { claim: HallwayEvent | null; employee: HallwayEvent[]; claimId: string; employeeIds: string[] } {
  const employee: HallwayEvent[] = [
    { type: 'EmployeeJoined', data: person },
    ...roles.map((role): HallwayEvent => ({ type: 'EmployeeRoleGranted', data: { employeeId: person.employeeId, role } })),
  ];
  const content = sha256Hex(JSON.stringify(employee));
  const hash = person.email !== undefined ? emailHash(person.email) : null;
  return {
    claim: hash ? { type: 'EmailClaimed', data: { emailHash: hash, employeeId: person.employeeId } } : null,
    claimId: nameUuid(`email-claim:${hash ?? ''}:${person.employeeId}`),
    employee,
    employeeIds: employee.map((_, i) => nameUuid(`person-add:${person.employeeId}:${content}:${i}`)),
  };
}
