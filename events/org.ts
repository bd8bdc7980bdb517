import { z } from 'zod';
import { defineEvent, Id, IsoDate } from './common.ts';

export const ROLES = ['curator', 'leader', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

const Name = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');

export const DepartmentOpened = defineEvent({
  type: 'DepartmentOpened',
  version: 1,
  schema: z.object({ departmentId: Id, name: Name }),
  stream: (d) => `department-${d.departmentId}`,
});
export const DepartmentRenamed = defineEvent({
  type: 'DepartmentRenamed',
  version: 1,
  schema: z.object({ departmentId: Id, name: Name }),
  stream: (d) => `department-${d.departmentId}`,
});
export const DepartmentClosed = defineEvent({
  type: 'DepartmentClosed',
  version: 1,
  schema: z.object({ departmentId: Id }),
  stream: (d) => `department-${d.departmentId}`,
});

export const EmployeeJoined = defineEvent({
  type: 'EmployeeJoined',
  version: 1,
  schema: z.object({
    employeeId: Id,
    name: Name,
    email: z.email('must be an email address').max(320).optional(),
    departmentId: Id,
    joinedOn: IsoDate,
  }),
  stream: (d) => `employee-${d.employeeId}`,
});
export const EmployeeTransferred = defineEvent({
  type: 'EmployeeTransferred',
  version: 1,
  schema: z.object({ employeeId: Id, departmentId: Id }),
  stream: (d) => `employee-${d.employeeId}`,
});
export const EmployeeRoleGranted = defineEvent({
  type: 'EmployeeRoleGranted',
  version: 1,
  schema: z.object({ employeeId: Id, role: Role }),
  stream: (d) => `employee-${d.employeeId}`,
});
export const EmployeeRoleRevoked = defineEvent({
  type: 'EmployeeRoleRevoked',
  version: 1,
  schema: z.object({ employeeId: Id, role: Role }),
  stream: (d) => `employee-${d.employeeId}`,
});
export const EmployeeLeft = defineEvent({
  type: 'EmployeeLeft',
  version: 1,
  schema: z.object({ employeeId: Id }),
  stream: (d) => `employee-${d.employeeId}`,
});

/**
 * A person who has left asked to be erased (docs/trust.md): their key is destroyed, so their name,
 * email and stories' text can no longer be read anywhere, old copies of the log included. Only
 * after EmployeeLeft.
 */
export const PersonErased = defineEvent({
  type: 'PersonErased',
  version: 1,
  schema: z.object({ employeeId: Id }),
  stream: (d) => `employee-${d.employeeId}`,
});

/**
 * An email address is taken: its own stream `email-{emailHash}` (SHA-256 of the trimmed, lower-cased
 * address), appended with no_stream before the employee joins, so two admins (on two processes,
 * or on EventStoreDB) cannot both add one address. The address itself stays out of the event (it
 * is in EmployeeJoined); the claim names who holds it, so a person-add that stopped midway
 * completes when sent again. An address stays claimed when its holder leaves.
 */
export const EmailClaimed = defineEvent({
  type: 'EmailClaimed',
  version: 1,
  schema: z.object({ emailHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'), employeeId: Id }),
  stream: (d) => `email-${d.emailHash}`,
});

export const orgEvents = [
  DepartmentOpened,
  DepartmentRenamed,
  DepartmentClosed,
  EmployeeJoined,
  EmployeeTransferred,
  EmployeeRoleGranted,
  EmployeeRoleRevoked,
  EmployeeLeft,
  PersonErased,
  EmailClaimed,
] as const;
