import type { Role } from '../events/org.ts';
import { createSession, SESSION_COOKIE } from '../src/auth/sessions.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { emailHash, emailStream } from '../src/domain/org.ts';
import type { AppContext } from '../src/http/env.ts';
import type { NewEvent } from '../src/store/port.ts';

let counter = 0;

export interface TestPerson {
  employeeId: string;
  name: string;
  email: string;
  departmentId: string;
  roles: Role[];
  password?: string;
}

const ev = (ctx: AppContext, type: string, data: Record<string, unknown>, at?: string): NewEvent => ({
  id: ctx.newId(),
  type,
  data,
  metadata: { at: at ?? ctx.clock().toISOString(), actor: 'system' },
});

/** Given: a department is open (idempotent per id). */
export async function givenDepartment(ctx: AppContext, departmentId: string, name = departmentId): Promise<void> {
  if ((await ctx.store.streamRevision(`department-${departmentId}`)) >= 0) return;
  const r = await ctx.store.append(`department-${departmentId}`, [ev(ctx, 'DepartmentOpened', { departmentId, name })], { expectedRevision: 'no_stream' });
  await ctx.runtime.waitFor(r.position);
}

/**
 * Given: an employee has joined (with roles, and a password when one is given). Appends the same
 * events the admin pages append, through the real store and projections.
 */
export async function givenEmployee(
  ctx: AppContext,
  p: Partial<TestPerson> & { roles?: Role[]; joinedOn?: string } = {},
): Promise<TestPerson> {
  counter += 1;
  const person: TestPerson = {
    employeeId: p.employeeId ?? `emp-t${counter}-${Math.floor(Math.random() * 1e6)}`,
    name: p.name ?? `Test Person ${counter}`,
    email: p.email ?? `person${counter}-${Math.floor(Math.random() * 1e6)}@example.test`,
    departmentId: p.departmentId ?? 'dept-test',
    roles: p.roles ?? [],
    ...(p.password ? { password: p.password } : {}),
  };
  await givenDepartment(ctx, person.departmentId);
  const events: NewEvent[] = [
    ev(ctx, 'EmployeeJoined', {
      employeeId: person.employeeId,
      name: person.name,
      email: person.email,
      departmentId: person.departmentId,
      joinedOn: p.joinedOn ?? '2020-01-15',
    }),
    ...person.roles.map((role) => ev(ctx, 'EmployeeRoleGranted', { employeeId: person.employeeId, role })),
  ];
  // the email's claim first, as adding a person in the admin pages does
  const hash = emailHash(person.email);
  await ctx.store.append(emailStream(hash), [ev(ctx, 'EmailClaimed', { emailHash: hash, employeeId: person.employeeId })], { expectedRevision: 'no_stream' });
  let r = await ctx.store.append(`employee-${person.employeeId}`, events, { expectedRevision: 'no_stream' });
  if (person.password) {
    r = await ctx.store.append(`credential-${person.employeeId}`, [
      ev(ctx, 'PasswordSet', { employeeId: person.employeeId, passwordHash: await hashPassword(person.password) }),
    ]);
  }
  await ctx.runtime.waitFor(r.position);
  return person;
}

/** A session cookie header for this person, made by the real session code. */
export async function cookieFor(ctx: AppContext, employeeId: string): Promise<string> {
  const { token } = await createSession(ctx, employeeId);
  return `${SESSION_COOKIE}=${token}`;
}

/** Given an employee with these roles, signed in: returns the person and their Cookie header. */
export async function signedIn(ctx: AppContext, p: Partial<TestPerson> & { roles?: Role[]; joinedOn?: string } = {}) {
  const person = await givenEmployee(ctx, p);
  return { ...person, cookie: await cookieFor(ctx, person.employeeId) };
}

/** Headers a same-origin browser form post would send. */
export const formHeaders = (cookie: string): Record<string, string> => ({
  Cookie: cookie,
  Origin: 'http://localhost',
  'Content-Type': 'application/x-www-form-urlencoded',
});
