/**
 * What admins (and first-run setup, CSV import, `hallway demo`) do to people and departments:
 * look up the facts the deciders need in the read model, decide, append, wait for the
 * projections (so the next page shows the change). Every refusal is a DomainError.
 */
import type { HallwayEvent } from '../../events/catalogue.ts';
import type { Role } from '../../events/org.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import { handle, loadState } from '../domain/handle.ts';
import type { Handled } from '../domain/handle.ts';
import { departmentDecider, employeeDecider } from '../domain/org.ts';
import type { DepartmentLookup } from '../domain/org.ts';
import type { AppContext } from '../http/env.ts';
import { orgQueries } from '../read/org.ts';
import type { BatchAppend, NewEvent } from '../store/port.ts';
import { credentialDecider } from './credentials.ts';
import { endAllSessions, endSession, generateSecureRandomString, sha256Hex } from './sessions.ts';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

// ---------------------------------------------------------------- read-model facts

export function departmentLookup(ctx: AppContext, departmentId: string): DepartmentLookup {
  const d = orgQueries(ctx.runtime.db).department(departmentId);
  return !d ? 'unknown' : d.open ? 'open' : 'closed';
}

/** The current employee using this email (case-insensitive), if any. */
export function emailInUseBy(ctx: AppContext, email: string): string | null {
  const row = ctx.runtime.db
    .prepare<[string], { employee_id: string }>('SELECT employee_id FROM org_employees WHERE email = ? AND left_at IS NULL LIMIT 1')
    .get(email.trim().toLowerCase());
  return row?.employee_id ?? null;
}

export function otherAdmins(ctx: AppContext, employeeId: string): number {
  const row = ctx.runtime.db
    .prepare<[string], { n: number }>("SELECT count(*) AS n FROM org_employees WHERE left_at IS NULL AND employee_id <> ? AND (',' || roles || ',') LIKE '%,admin,%'")
    .get(employeeId);
  return row?.n ?? 0;
}

export function currentMembers(ctx: AppContext, departmentId: string): number {
  return ctx.runtime.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM org_employees WHERE left_at IS NULL AND department_id = ?').get(departmentId)?.n ?? 0;
}

// ---------------------------------------------------------------- helpers

const opts = (ctx: AppContext, actor: string) => ({ actor, at: ctx.clock(), ids: ctx.newId });

async function settled(ctx: AppContext, r: Handled | DomainError): Promise<Handled | DomainError> {
  if (!isDomainError(r) && r.position) await ctx.runtime.waitFor(r.position);
  return r;
}

const newEvent = (ctx: AppContext, actor: string, e: HallwayEvent): NewEvent => ({
  id: ctx.newId(),
  type: e.type,
  data: e.data,
  metadata: { at: ctx.clock().toISOString(), actor },
});

/** A fresh invitation: the token for the link (shown once) and the event holding only its hash. */
export function newInvitation(ctx: AppContext, employeeId: string): { token: string; expiresAt: Date; event: HallwayEvent } {
  // two of the guide's 120-bit strings: 240 bits, lower-case letters and digits (URL-safe)
  const token = generateSecureRandomString() + generateSecureRandomString();
  const expiresAt = new Date(ctx.clock().getTime() + INVITATION_TTL_MS);
  return { token, expiresAt, event: { type: 'InvitationIssued', data: { employeeId, tokenHash: sha256Hex(token), expiresAt: expiresAt.toISOString() } } };
}

// ---------------------------------------------------------------- departments

export const openDepartment = async (ctx: AppContext, actor: string, departmentId: string, name: string) =>
  settled(ctx, await handle(ctx.store, `department-${departmentId}`, departmentDecider, { type: 'OpenDepartment', data: { departmentId, name } }, opts(ctx, actor)));

export const renameDepartment = async (ctx: AppContext, actor: string, departmentId: string, name: string) =>
  settled(ctx, await handle(ctx.store, `department-${departmentId}`, departmentDecider, { type: 'RenameDepartment', data: { departmentId, name } }, opts(ctx, actor)));

export const closeDepartment = async (ctx: AppContext, actor: string, departmentId: string) =>
  settled(
    ctx,
    await handle(ctx.store, `department-${departmentId}`, departmentDecider, { type: 'CloseDepartment', data: { departmentId }, members: currentMembers(ctx, departmentId) }, opts(ctx, actor)),
  );

// ---------------------------------------------------------------- employees

export interface NewPerson {
  employeeId: string;
  name: string;
  email: string;
  departmentId: string;
  joinedOn: string;
}

/**
 * Decides what adding one person appends (pure apart from the read-model facts passed in):
 * EmployeeJoined, any roles, and either a password hash or an invitation.
 */
export function decideJoin(
  p: NewPerson,
  facts: { department: DepartmentLookup; emailInUseBy: string | null; exists: boolean },
): HallwayEvent[] | DomainError {
  const state = facts.exists ? employeeDecider.evolve(employeeDecider.initialState(), { type: 'EmployeeJoined', data: p }) : employeeDecider.initialState();
  return employeeDecider.decide({ type: 'JoinEmployee', data: p, department: facts.department, emailInUseBy: facts.emailInUseBy }, state);
}

/**
 * Adds people in one atomic batch (embedded store: one transaction), each with their invitation
 * (or, for first-run setup and the demo, a password hash) and roles. The employee streams must not
 * exist yet, so a concurrent add of the same id is a ConcurrencyError (409), never a double join.
 */
export async function addPeople(
  ctx: AppContext,
  actor: string,
  people: { person: NewPerson; roles?: Role[]; passwordHash?: string; invite?: boolean }[],
): Promise<{ invitations: Map<string, { token: string; expiresAt: Date }>; position: number }> {
  const items: BatchAppend[] = [];
  const invitations = new Map<string, { token: string; expiresAt: Date }>();
  for (const { person, roles = [], passwordHash, invite = true } of people) {
    const employeeEvents: HallwayEvent[] = [
      { type: 'EmployeeJoined', data: person },
      ...roles.map((role): HallwayEvent => ({ type: 'EmployeeRoleGranted', data: { employeeId: person.employeeId, role } })),
    ];
    items.push({ stream: `employee-${person.employeeId}`, events: employeeEvents.map((e) => newEvent(ctx, actor, e)), expectedRevision: 'no_stream' });
    const credential: HallwayEvent[] = [];
    if (passwordHash) credential.push({ type: 'PasswordSet', data: { employeeId: person.employeeId, passwordHash } });
    else if (invite) {
      const inv = newInvitation(ctx, person.employeeId);
      invitations.set(person.employeeId, { token: inv.token, expiresAt: inv.expiresAt });
      credential.push(inv.event);
    }
    if (credential.length) items.push({ stream: `credential-${person.employeeId}`, events: credential.map((e) => newEvent(ctx, actor, e)), expectedRevision: 'any' });
  }
  const r = await ctx.store.appendBatch(items);
  await ctx.runtime.waitFor(r.position);
  return { invitations, position: r.position };
}

const peopleLocks = new WeakMap<AppContext, Promise<unknown>>();

/**
 * Runs checks-then-append of new people one at a time in this process, so two admins adding the
 * same email at once cannot both pass the email check (which reads the read model). Across
 * several processes the race remains (see README).
 */
export function withPeopleLock<T>(ctx: AppContext, fn: () => Promise<T>): Promise<T> {
  const before = peopleLocks.get(ctx) ?? Promise.resolve();
  const run = before.then(fn, fn);
  peopleLocks.set(ctx, run.catch(() => undefined));
  return run;
}

/** Adds one person after checking them with the decider; the invitation token is returned once. */
export function addEmployee(ctx: AppContext, actor: string, person: NewPerson): Promise<{ token: string; expiresAt: Date } | DomainError> {
  return withPeopleLock(ctx, () => addEmployeeNow(ctx, actor, person));
}

async function addEmployeeNow(ctx: AppContext, actor: string, person: NewPerson): Promise<{ token: string; expiresAt: Date } | DomainError> {
  const decided = decideJoin(person, {
    department: departmentLookup(ctx, person.departmentId),
    emailInUseBy: emailInUseBy(ctx, person.email),
    exists: (await ctx.store.streamRevision(`employee-${person.employeeId}`)) >= 0,
  });
  if (isDomainError(decided)) return decided;
  const { invitations } = await addPeople(ctx, actor, [{ person }]);
  return invitations.get(person.employeeId)!;
}

export const transferEmployee = async (ctx: AppContext, actor: string, employeeId: string, departmentId: string) =>
  settled(
    ctx,
    await handle(ctx.store, `employee-${employeeId}`, employeeDecider, { type: 'TransferEmployee', data: { employeeId, departmentId }, department: departmentLookup(ctx, departmentId) }, opts(ctx, actor)),
  );

export const grantRole = async (ctx: AppContext, actor: string, employeeId: string, role: Role) =>
  settled(ctx, await handle(ctx.store, `employee-${employeeId}`, employeeDecider, { type: 'GrantRole', data: { employeeId, role } }, opts(ctx, actor)));

export const revokeRole = async (ctx: AppContext, actor: string, employeeId: string, role: Role) =>
  settled(
    ctx,
    await handle(ctx.store, `employee-${employeeId}`, employeeDecider, { type: 'RevokeRole', data: { employeeId, role }, otherAdmins: otherAdmins(ctx, employeeId) }, opts(ctx, actor)),
  );

/** Marks someone as left and ends every session they have (their stories stay). */
export async function markLeft(ctx: AppContext, actor: string, employeeId: string): Promise<(Handled & { sessionsEnded: number }) | DomainError> {
  // listed before leaving: the auth projection closes them as soon as EmployeeLeft lands, and each
  // still needs its own SessionEnded (revoked) in the log
  const open = openSessionIds(ctx, employeeId);
  const r = await settled(
    ctx,
    await handle(ctx.store, `employee-${employeeId}`, employeeDecider, { type: 'MarkLeft', data: { employeeId }, otherAdmins: otherAdmins(ctx, employeeId) }, opts(ctx, actor)),
  );
  if (isDomainError(r)) return r;
  for (const id of open) await endSession(ctx, id, 'revoked', actor);
  // and any started between the listing and the append
  return { ...r, sessionsEnded: open.length + (await endAllSessions(ctx, employeeId, actor)) };
}

const openSessionIds = (ctx: AppContext, employeeId: string): string[] =>
  ctx.runtime.db
    .prepare<[string], { session_id: string }>('SELECT session_id FROM auth_sessions WHERE employee_id = ? AND ended_at IS NULL')
    .all(employeeId)
    .map((r) => r.session_id);

// ---------------------------------------------------------------- credentials

/** A new invitation for a current employee (the old one stops working); the token is returned once. */
export async function reissueInvitation(ctx: AppContext, actor: string, employeeId: string): Promise<{ token: string; expiresAt: Date } | DomainError> {
  const { state } = await loadState(ctx.store, `employee-${employeeId}`, employeeDecider);
  if (state.status !== 'current') return { error: 'employee-not-current', message: 'only current employees can be invited', kind: 'invalid' };
  const inv = newInvitation(ctx, employeeId);
  const r = await handle(ctx.store, `credential-${employeeId}`, credentialDecider, { type: 'IssueInvitation', data: inv.event.data as { employeeId: string; tokenHash: string; expiresAt: string } }, {
    ...opts(ctx, actor),
    expectedRevision: 'any',
  });
  await settled(ctx, r);
  return { token: inv.token, expiresAt: inv.expiresAt };
}

/** The current employee an invitation token belongs to, if it is open and not expired. */
export function invitationHolder(ctx: AppContext, token: string): { employeeId: string; name: string } | null {
  if (!/^[a-z2-9]{48}$/.test(token)) return null;
  const row = ctx.runtime.db
    .prepare<[string], { employee_id: string; invitation_expires_at: string | null }>(
      'SELECT employee_id, invitation_expires_at FROM auth_credentials WHERE invitation_hash = ?',
    )
    .get(sha256Hex(token));
  if (!row?.invitation_expires_at || Date.parse(row.invitation_expires_at) <= ctx.clock().getTime()) return null;
  const e = orgQueries(ctx.runtime.db).employee(row.employee_id);
  if (!e || e.leftAt) return null;
  return { employeeId: e.employeeId, name: e.name };
}

/** Sets the password from an invitation; the credential decider re-checks the token and expiry. */
export async function acceptInvitation(ctx: AppContext, employeeId: string, token: string, passwordHash: string): Promise<Handled | DomainError> {
  const r = await handle(
    ctx.store,
    `credential-${employeeId}`,
    credentialDecider,
    { type: 'AcceptInvitation', data: { employeeId, passwordHash }, tokenHash: sha256Hex(token), now: ctx.clock().toISOString() },
    opts(ctx, employeeId),
  );
  return settled(ctx, r);
}

/** Sets a password directly (the demo's accounts). */
export async function setPassword(ctx: AppContext, actor: string, employeeId: string, passwordHash: string): Promise<Handled | DomainError> {
  return settled(
    ctx,
    await handle(ctx.store, `credential-${employeeId}`, credentialDecider, { type: 'SetPassword', data: { employeeId, passwordHash } }, { ...opts(ctx, actor), expectedRevision: 'any' }),
  );
}
