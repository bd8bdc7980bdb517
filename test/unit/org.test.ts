import { describe, expect, it } from 'vitest';
import type { HallwayEvent } from '../../events/catalogue.ts';
import type { Decider, DomainError } from '../../src/domain/decider.ts';
import { departmentDecider, employeeDecider } from '../../src/domain/org.ts';
import type { DepartmentCommand, EmployeeCommand } from '../../src/domain/org.ts';

/** given these events, when this command: the events decided, or the refusal */
function spec<C, S>(decider: Decider<C, S>) {
  return (given: HallwayEvent[]) => ({
    when: (command: C) => decider.decide(command, given.reduce(decider.evolve, decider.initialState())),
  });
}
const department = spec<DepartmentCommand, ReturnType<typeof departmentDecider.initialState>>(departmentDecider);
const employee = spec<EmployeeCommand, ReturnType<typeof employeeDecider.initialState>>(employeeDecider);

const opened: HallwayEvent = { type: 'DepartmentOpened', data: { departmentId: 'dept-noc', name: 'NOC' } };
const closed: HallwayEvent = { type: 'DepartmentClosed', data: { departmentId: 'dept-noc' } };
const joined: HallwayEvent = {
  type: 'EmployeeJoined',
  data: { employeeId: 'emp-1', name: 'Ada Lovelace', email: 'ada@example.test', departmentId: 'dept-noc', joinedOn: '2020-01-15' },
};
const admin: HallwayEvent = { type: 'EmployeeRoleGranted', data: { employeeId: 'emp-1', role: 'admin' } };
const left: HallwayEvent = { type: 'EmployeeLeft', data: { employeeId: 'emp-1' } };
const refusal = (r: unknown): DomainError => r as DomainError;

describe('departments', () => {
  it('opens a new department', () => {
    expect(department([]).when({ type: 'OpenDepartment', data: opened.data as { departmentId: string; name: string } })).toEqual([opened]);
  });
  it('refuses opening a department whose id is taken, beside the id', () => {
    const r = refusal(department([opened]).when({ type: 'OpenDepartment', data: { departmentId: 'dept-noc', name: 'Other' } }));
    expect(r).toMatchObject({ error: 'department-exists', field: 'departmentId' });
  });
  it('renames an open department, and renaming to the same name changes nothing', () => {
    expect(department([opened]).when({ type: 'RenameDepartment', data: { departmentId: 'dept-noc', name: 'Network Operations' } })).toEqual([
      { type: 'DepartmentRenamed', data: { departmentId: 'dept-noc', name: 'Network Operations' } },
    ]);
    expect(department([opened]).when({ type: 'RenameDepartment', data: { departmentId: 'dept-noc', name: 'NOC' } })).toEqual([]);
  });
  it('refuses renaming a closed or unknown department', () => {
    expect(refusal(department([opened, closed]).when({ type: 'RenameDepartment', data: { departmentId: 'dept-noc', name: 'X' } })).error).toBe('department-closed');
    expect(refusal(department([]).when({ type: 'RenameDepartment', data: { departmentId: 'dept-noc', name: 'X' } })).kind).toBe('not-found');
  });
  it('closes an empty department; closing it again changes nothing', () => {
    expect(department([opened]).when({ type: 'CloseDepartment', data: { departmentId: 'dept-noc' }, members: 0 })).toEqual([closed]);
    expect(department([opened, closed]).when({ type: 'CloseDepartment', data: { departmentId: 'dept-noc' }, members: 0 })).toEqual([]);
  });
  it('refuses closing a department that still has people', () => {
    const r = refusal(department([opened]).when({ type: 'CloseDepartment', data: { departmentId: 'dept-noc' }, members: 3 }));
    expect(r.error).toBe('department-not-empty');
    expect(r.message).toContain('3 people');
  });
});

describe('employees', () => {
  const join = (over: Partial<Extract<EmployeeCommand, { type: 'JoinEmployee' }>> = {}): EmployeeCommand => ({
    type: 'JoinEmployee',
    data: joined.data as Extract<EmployeeCommand, { type: 'JoinEmployee' }>['data'],
    department: 'open',
    emailClaimedBy: null,
    ...over,
  });

  it('joins a new employee into an open department', () => {
    expect(employee([]).when(join())).toEqual([joined]);
  });
  it('refuses joining into a closed or unknown department, beside the department', () => {
    expect(refusal(employee([]).when(join({ department: 'closed' })))).toMatchObject({ error: 'department-closed', field: 'departmentId' });
    expect(refusal(employee([]).when(join({ department: 'unknown' })))).toMatchObject({ error: 'department-unknown', field: 'departmentId' });
  });
  it('refuses an email claimed by someone else, and lets the employee the claim names join (a retry)', () => {
    expect(refusal(employee([]).when(join({ emailClaimedBy: 'emp-9' })))).toMatchObject({ error: 'email-in-use', field: 'email' });
    expect(employee([]).when(join({ emailClaimedBy: (joined.data as { employeeId: string }).employeeId }))).toEqual([joined]);
  });
  it('refuses an employee id that is taken', () => {
    expect(refusal(employee([joined]).when(join())).field).toBe('employeeId');
  });

  it('transfers to another open department', () => {
    expect(employee([joined]).when({ type: 'TransferEmployee', data: { employeeId: 'emp-1', departmentId: 'dept-eng' }, department: 'open' })).toEqual([
      { type: 'EmployeeTransferred', data: { employeeId: 'emp-1', departmentId: 'dept-eng' } },
    ]);
  });
  it('refuses a transfer to a closed, unknown or the same department', () => {
    const to = (departmentId: string, department: 'open' | 'closed' | 'unknown') =>
      refusal(employee([joined]).when({ type: 'TransferEmployee', data: { employeeId: 'emp-1', departmentId }, department }));
    expect(to('dept-old', 'closed').error).toBe('department-closed');
    expect(to('dept-nope', 'unknown').error).toBe('department-unknown');
    expect(to('dept-noc', 'open').error).toBe('same-department');
  });
  it('refuses a transfer of someone who has left or never joined', () => {
    const cmd: EmployeeCommand = { type: 'TransferEmployee', data: { employeeId: 'emp-1', departmentId: 'dept-eng' }, department: 'open' };
    expect(refusal(employee([joined, left]).when(cmd)).error).toBe('employee-left');
    expect(refusal(employee([]).when(cmd)).error).toBe('employee-unknown');
  });

  it('grants a role once; granting it again changes nothing', () => {
    expect(employee([joined]).when({ type: 'GrantRole', data: { employeeId: 'emp-1', role: 'curator' } })).toEqual([
      { type: 'EmployeeRoleGranted', data: { employeeId: 'emp-1', role: 'curator' } },
    ]);
    expect(employee([joined, admin]).when({ type: 'GrantRole', data: { employeeId: 'emp-1', role: 'admin' } })).toEqual([]);
  });
  it('revokes a held role; revoking one not held changes nothing', () => {
    expect(employee([joined, admin]).when({ type: 'RevokeRole', data: { employeeId: 'emp-1', role: 'admin' }, otherAdmins: 1 })).toEqual([
      { type: 'EmployeeRoleRevoked', data: { employeeId: 'emp-1', role: 'admin' } },
    ]);
    expect(employee([joined]).when({ type: 'RevokeRole', data: { employeeId: 'emp-1', role: 'leader' }, otherAdmins: 0 })).toEqual([]);
  });
  it('refuses revoking the last admin, so the archive is never without one', () => {
    expect(refusal(employee([joined, admin]).when({ type: 'RevokeRole', data: { employeeId: 'emp-1', role: 'admin' }, otherAdmins: 0 })).error).toBe('last-admin');
  });

  it('marks a current employee as left, once', () => {
    expect(employee([joined]).when({ type: 'MarkLeft', data: { employeeId: 'emp-1' }, otherAdmins: 0 })).toEqual([left]);
    expect(refusal(employee([joined, left]).when({ type: 'MarkLeft', data: { employeeId: 'emp-1' }, otherAdmins: 0 })).error).toBe('employee-left');
  });
  it('refuses marking the last admin as left', () => {
    expect(refusal(employee([joined, admin]).when({ type: 'MarkLeft', data: { employeeId: 'emp-1' }, otherAdmins: 0 })).error).toBe('last-admin');
  });
});
