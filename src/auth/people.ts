/**
 * What admins (and first-run setup and CSV import) do to people and departments: look up the
 * facts the deciders need (the read model; an email's claim in the log), decide, and write
 * through the command path (src/command.ts), which waits for the projections so the next page
 * shows the change. Every refusal is a DomainError.
 */
import type { DataOf, HallwayEvent } from '../../events/catalogue.ts';
import type { Role } from '../../events/org.ts';
import { commit, handle, loadState } from '../command.ts';
import type { CommandContext, Handled, Write } from '../command.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import { departmentDecider, emailHash, emailStream, employeeDecider, joinEvents } from '../domain/org.ts';
import type { DepartmentLookup } from '../domain/org.ts';
import type { AppContext } from '../http/env.ts';
import { sha256Hex } from '../ids.ts';
import { orgQueries } from '../read/org.ts';
import { invitationByHash, openSessionIds } from '../read/auth.ts';
import { ConcurrencyError } from '../store/port.ts';
import { credentialDecider } from './credentials.ts';
import { parseCsv, planCsvImport } from './people-csv.ts';
import { endAllSessions, endSession, generateSecureRandomString } from './sessions.ts';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

// ---------------------------------------------------------------- facts

export function departmentLookup(ctx: AppContext, departmentId: string): DepartmentLookup {
  const d = orgQueries(ctx.runtime.db).department(departmentId);
  return !d ? 'unknown' : d.open ? 'open' : 'closed';
}

/** The employee whose claim holds this email (its own stream, read from the log, not a read model). */
export async function emailClaimHolder(ctx: CommandContext, email: string): Promise<string | null> {
  const [claim] = await ctx.store.readStream(emailStream(emailHash(email)));
  return claim ? (claim.data as DataOf<'EmailClaimed'>).employeeId : null;
}

export function otherAdmins(ctx: AppContext, employeeId: string): number {
  return orgQueries(ctx.runtime.db).otherAdmins(employeeId);
}

export function currentMembers(ctx: AppContext, departmentId: string): number {
  return orgQueries(ctx.runtime.db).currentMembers(departmentId);
}

/** A fresh invitation: the token for the link (shown once) and the event holding only its hash. */
export function newInvitation(ctx: AppContext, employeeId: string): { token: string; expiresAt: Date; event: HallwayEvent } {
  // two of the guide's 120-bit strings: 240 bits, lower-case letters and digits (URL-safe)
  const token = generateSecureRandomString() + generateSecureRandomString();
  const expiresAt = new Date(ctx.clock().getTime() + INVITATION_TTL_MS);
  return { token, expiresAt, event: { type: 'InvitationIssued', data: { employeeId, tokenHash: sha256Hex(token), expiresAt: expiresAt.toISOString() } } };
}

// ---------------------------------------------------------------- departments

export const openDepartment = (ctx: AppContext, actor: string, departmentId: string, name: string) =>
  handle(ctx, `department-${departmentId}`, departmentDecider, { type: 'OpenDepartment', data: { departmentId, name } }, { actor });

export const renameDepartment = (ctx: AppContext, actor: string, departmentId: string, name: string) =>
  handle(ctx, `department-${departmentId}`, departmentDecider, { type: 'RenameDepartment', data: { departmentId, name } }, { actor });

export const closeDepartment = (ctx: AppContext, actor: string, departmentId: string) =>
  handle(ctx, `department-${departmentId}`, departmentDecider, { type: 'CloseDepartment', data: { departmentId }, members: currentMembers(ctx, departmentId) }, { actor });

// ---------------------------------------------------------------- employees

export interface NewPerson {
  employeeId: string;
  name: string;
  email: string;
  departmentId: string;
  joinedOn: string;
}

export interface PersonToAdd {
  person: NewPerson;
  roles?: Role[];
  /** first-run setup: the admin's password; otherwise an invitation is issued */
  passwordHash?: string;
}

/**
 * Whether someone else already has this person's id. The employee stream of an earlier, identical
 * add (a request that stopped midway) starts with this add's derived event id: that is not someone else.
 */
export async function employeeIdTaken(ctx: CommandContext, p: PersonToAdd): Promise<boolean> {
  const [first] = await ctx.store.readStream(`employee-${p.person.employeeId}`);
  return first !== undefined && first.id !== joinEvents(p.person, p.roles ?? []).employeeIds[0];
}

const emailInUse: DomainError = { error: 'email-in-use', message: 'is already in use', field: 'email', kind: 'invalid' };

/**
 * Appends what adding people means, for each: the email's claim, the employee stream, and a
 * credential (a password hash for first-run setup, else an invitation; its token is returned once).
 * Claim and employee are appended with no_stream and ids derived from what is added, so the same
 * request sent again after it stopped midway (EventStoreDB appends stream after stream) completes,
 * and someone else's claim on the email is a refusal. The checks (department, id, email) are the
 * caller's, through the employee decider or the CSV plan.
 */
export async function addPeople(
  ctx: AppContext,
  actor: string,
  people: PersonToAdd[],
): Promise<{ invitations: Map<string, { token: string; expiresAt: Date }>; position: number } | DomainError> {
  const writes: Write[] = [];
  const invitations = new Map<string, { token: string; expiresAt: Date }>();
  for (const p of people) {
    const { employeeId } = p.person;
    const planned = joinEvents(p.person, p.roles ?? []);
    if (planned.claim?.type === 'EmailClaimed') {
      const holder = await emailClaimHolder(ctx, p.person.email);
      if (holder !== null && holder !== employeeId) return emailInUse;
      // a claim naming this person is this add's own, written before it stopped midway
      if (holder === null) writes.push({ stream: emailStream(planned.claim.data.emailHash), events: [planned.claim], expectedRevision: 'no_stream', ids: [planned.claimId] });
    }
    writes.push({ stream: `employee-${employeeId}`, events: planned.employee, expectedRevision: 'no_stream', ids: planned.employeeIds });
    let credential: HallwayEvent;
    if (p.passwordHash) credential = { type: 'PasswordSet', data: { employeeId, passwordHash: p.passwordHash } };
    else {
      const inv = newInvitation(ctx, employeeId);
      invitations.set(employeeId, { token: inv.token, expiresAt: inv.expiresAt });
      credential = inv.event;
    }
    // after an add that stopped midway the credential may be there already: a new one replaces it
    // (the earlier token was never shown to anyone)
    const revision = await ctx.store.streamRevision(`credential-${employeeId}`);
    writes.push({ stream: `credential-${employeeId}`, events: [credential], expectedRevision: revision === -1 ? 'no_stream' : revision });
  }
  try {
    const r = await commit(ctx, actor, writes);
    return { invitations, position: r.position };
  } catch (e) {
    // another admin's add claimed the address first (in this process or another)
    if (e instanceof ConcurrencyError && e.stream.startsWith('email-')) return emailInUse;
    throw e;
  }
}

/** Adds one person after checking them with the employee decider; the invitation token is returned once. */
export async function addEmployee(ctx: AppContext, actor: string, person: NewPerson): Promise<{ token: string; expiresAt: Date } | DomainError> {
  const decided = employeeDecider.decide(
    { type: 'JoinEmployee', data: person, department: departmentLookup(ctx, person.departmentId), emailClaimedBy: await emailClaimHolder(ctx, person.email) },
    // a retry of this very add is decided as the first time; someone else's id is taken
    (await employeeIdTaken(ctx, { person })) ? employeeDecider.evolve(employeeDecider.initialState(), { type: 'EmployeeJoined', data: person }) : employeeDecider.initialState(),
  );
  if (isDomainError(decided)) return decided;
  const added = await addPeople(ctx, actor, [{ person }]);
  return isDomainError(added) ? added : added.invitations.get(person.employeeId)!;
}

/**
 * Plans a CSV import (all or nothing; CsvRefused names the first bad line). The facts the plan
 * checks are read first: each row's email claim and employee stream, so a re-sent import that
 * stopped midway is not refused for what it wrote itself.
 */
export async function planPeopleImport(ctx: AppContext, text: string): Promise<NewPerson[]> {
  const rows = parseCsv(text).slice(1);
  const claims = new Map<string, string | null>();
  const firstIds = new Map<string, string | undefined>();
  for (const { fields } of rows) {
    const [id = '', , email = ''] = fields.map((f) => f.trim());
    if (email && !claims.has(email.toLowerCase())) claims.set(email.toLowerCase(), await emailClaimHolder(ctx, email));
    if (id && !firstIds.has(id)) firstIds.set(id, (await ctx.store.readStream(`employee-${id}`))[0]?.id);
  }
  return planCsvImport(text, {
    department: (id) => departmentLookup(ctx, id),
    emailClaimedBy: (email) => claims.get(email.trim().toLowerCase()) ?? null,
    employeeExists: (person) => {
      const first = firstIds.get(person.employeeId);
      return first !== undefined && first !== joinEvents(person, []).employeeIds[0];
    },
  });
}

export const transferEmployee = (ctx: AppContext, actor: string, employeeId: string, departmentId: string) =>
  handle(ctx, `employee-${employeeId}`, employeeDecider, { type: 'TransferEmployee', data: { employeeId, departmentId }, department: departmentLookup(ctx, departmentId) }, { actor });

export const grantRole = (ctx: AppContext, actor: string, employeeId: string, role: Role) =>
  handle(ctx, `employee-${employeeId}`, employeeDecider, { type: 'GrantRole', data: { employeeId, role } }, { actor });

export const revokeRole = (ctx: AppContext, actor: string, employeeId: string, role: Role) =>
  handle(ctx, `employee-${employeeId}`, employeeDecider, { type: 'RevokeRole', data: { employeeId, role }, otherAdmins: otherAdmins(ctx, employeeId) }, { actor });

/** Marks someone as left and ends every session they have (their stories stay). */
export async function markLeft(ctx: AppContext, actor: string, employeeId: string): Promise<(Handled & { sessionsEnded: number }) | DomainError> {
  // listed before leaving: the auth projection closes them as soon as EmployeeLeft lands, and each
  // still needs its own SessionEnded (revoked) in the log
  const open = openSessionIds(ctx.runtime.db, employeeId);
  const r = await handle(ctx, `employee-${employeeId}`, employeeDecider, { type: 'MarkLeft', data: { employeeId }, otherAdmins: otherAdmins(ctx, employeeId) }, { actor });
  if (isDomainError(r)) return r;
  for (const id of open) await endSession(ctx, id, 'revoked', actor);
  // and any started between the listing and the append
  return { ...r, sessionsEnded: open.length + (await endAllSessions(ctx, employeeId, actor)) };
}


// ---------------------------------------------------------------- credentials

/** A new invitation for a current employee (the old one stops working); the token is returned once. */
export async function reissueInvitation(ctx: AppContext, actor: string, employeeId: string): Promise<{ token: string; expiresAt: Date } | DomainError> {
  const { state } = await loadState(ctx.store, `employee-${employeeId}`, employeeDecider);
  if (state.status !== 'current') return { error: 'employee-not-current', message: 'only current employees can be invited', kind: 'invalid' };
  const inv = newInvitation(ctx, employeeId);
  const r = await handle(ctx, `credential-${employeeId}`, credentialDecider, { type: 'IssueInvitation', data: inv.event.data as DataOf<'InvitationIssued'> }, { actor, expected: 'any' });
  if (isDomainError(r)) return r;
  return { token: inv.token, expiresAt: inv.expiresAt };
}

/** The current employee an invitation token belongs to, if it is open and not expired. */
export function invitationHolder(ctx: AppContext, token: string): { employeeId: string; name: string } | null {
  if (!/^[a-z2-9]{48}$/.test(token)) return null;
  const row = invitationByHash(ctx.runtime.db, sha256Hex(token));
  if (!row?.expiresAt || Date.parse(row.expiresAt) <= ctx.clock().getTime()) return null;
  const e = orgQueries(ctx.runtime.db).employee(row.employeeId);
  if (!e || e.leftAt) return null;
  return { employeeId: e.employeeId, name: e.name };
}

/** Sets the password from an invitation; the credential decider re-checks the token and expiry. */
export async function acceptInvitation(ctx: AppContext, employeeId: string, token: string, passwordHash: string): Promise<Handled | DomainError> {
  return handle(
    ctx,
    `credential-${employeeId}`,
    credentialDecider,
    { type: 'AcceptInvitation', data: { employeeId, passwordHash }, tokenHash: sha256Hex(token), now: ctx.clock().toISOString() },
    { actor: employeeId },
  );
}

/** Sets a password directly (the demo's accounts; `hallway demo` has no read models to wait for). */
export const setPassword = (ctx: CommandContext, actor: string, employeeId: string, passwordHash: string): Promise<Handled | DomainError> =>
  handle(ctx, `credential-${employeeId}`, credentialDecider, { type: 'SetPassword', data: { employeeId, passwordHash } }, { actor, expected: 'any' });
