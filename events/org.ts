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

export const orgEvents = [
  DepartmentOpened,
  DepartmentRenamed,
  DepartmentClosed,
  EmployeeJoined,
  EmployeeTransferred,
  EmployeeRoleGranted,
  EmployeeRoleRevoked,
  EmployeeLeft,
] as const;
