import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { existsSync } from 'node:fs';
import { Role } from '../../events/org.ts';
import { grantRole, reissueInvitation, revokeRole } from '../auth/people.ts';
import { endAllSessions } from '../auth/sessions.ts';
import { loadConfig, mailFile, viewsFile } from '../config.ts';
import type { Config } from '../config.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import type { AppContext } from '../http/env.ts';
import { authProjection } from '../projections/auth.ts';
import { orgProjection } from '../projections/org.ts';
import { openViews, startProjections, truncateWal } from '../projections/runtime.ts';
import { allProjections } from '../projections/index.ts';
import { erasePerson } from '../privacy/erase.ts';
import { openOutbox } from '../mail/outbox.ts';
import { orgQueries } from '../read/org.ts';
import type { Employee } from '../read/org.ts';
import { openStore } from '../store/open.ts';
import { resolve } from 'node:path';
import { createSealKeyFiles } from '../chain/seal.ts';

/**
 * `hallway admin …`: what an operator does from the shell, without a browser (for instance when
 * every admin is locked out). Each subcommand calls the same functions as the admin pages
 * (src/auth/people.ts, src/auth/sessions.ts), so the same deciders and rules apply; the events
 * carry the actor `cli:<os user>`. It works while `hallway serve` runs: the server picks the
 * appends up from the log.
 *
 * Output: results on standard output (an invitation link alone, so `$(…)` captures it), notes
 * and refusals on standard error. Exit codes: 0 done, 1 refused (nothing appended), 2 usage.
 */

export const ADMIN_USAGE = `usage:
  hallway admin list-admins                  current admins, one ID<TAB>NAME<TAB>EMAIL line each
  hallway admin grant PERSON ROLE            ROLE: curator, leader or admin
  hallway admin revoke PERSON ROLE           refused for the last admin
  hallway admin invite PERSON                print a fresh invitation link (to set a new password)
  hallway admin end-sessions PERSON          sign PERSON out everywhere
  hallway admin erase PERSON                 erase someone who has left, at their request (docs/trust.md):
                                             their key is destroyed; cannot be undone
  hallway admin setup-link                   explains where the first admin's setup link comes from
  hallway admin seal-key init FILE           a new Ed25519 key pair for seals: FILE (private, 0600)
                                             and FILE.pub; FILE must be outside the data directory
PERSON is an employee id or an email address.
`;

/** `cli:<os user>`: the audit trail shows who acted from the shell. */
export function cliActor(): string {
  let name = '';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry for this uid (some containers): fall back to the environment
    name = process.env['USER'] ?? process.env['LOGNAME'] ?? '';
  }
  return `cli:${name || 'unknown'}`;
}

/** Finds a person by employee id or (case-insensitive) email; a current employee wins over one who left. */
export function findPerson(ctx: AppContext, who: string): Employee | undefined {
  const q = orgQueries(ctx.runtime.db);
  const key = who.trim();
  return q.employee(key) ?? (key.includes('@') ? q.employeeByEmail(key) : undefined);
}

const label = (e: Employee): string => `${e.name} (${e.employeeId}${e.email ? `, ${e.email}` : ''})`;

class Refused extends Error {}
class Usage extends Error {}

/**
 * A context with only the org and auth read models caught up (all this command reads). Their
 * apply is idempotent (upserts, sets, "where not ended"), so a running server applying the same
 * events again to the shared views.db is harmless; the counting projections (spread, stories) are
 * left to the server, which would otherwise count events this process had already counted.
 */
async function openAdminContext(config: Config): Promise<AppContext & { close(): Promise<void> }> {
  const store = await openStore(config);
  const views = openViews(viewsFile(config));
  const runtime = await startProjections({ store, views, projections: [orgProjection, authProjection], log: (m) => process.stderr.write(`${m}\n`) });
  await runtime.caughtUp;
  return {
    store,
    runtime,
    config,
    clock: () => new Date(),
    newId: randomUUID,
    setup: { token: null, expiresAt: 0 },
    async close() {
      await runtime.close();
      views.close();
      await store.close();
    },
  };
}

interface Sub {
  /** the arguments it takes, checked before anything is opened */
  arity: number;
  check?: (args: string[]) => void;
  run(ctx: AppContext, args: string[], actor: string): Promise<void>;
}

function person(ctx: AppContext, who: string): Employee {
  const p = findPerson(ctx, who);
  if (!p) throw new Refused(`no employee with the id or email ${JSON.stringify(who)}`);
  return p;
}

function role(given: string): Role {
  const r = Role.safeParse(given);
  if (!r.success) throw new Usage(`ROLE must be curator, leader or admin, got ${JSON.stringify(given)}`);
  return r.data;
}

const refuse = (p: Employee, e: DomainError): never => {
  throw new Refused(`${label(p)}: ${e.message}`);
};

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const note = (line: string): void => void process.stderr.write(`${line}\n`);

const SUBCOMMANDS: Record<string, Sub> = {
  'list-admins': {
    arity: 0,
    async run(ctx) {
      const admins = orgQueries(ctx.runtime.db)
        .employees()
        .filter((e) => !e.leftAt && e.roles.includes('admin'));
      if (admins.length === 0) note('there is no admin: see `hallway admin setup-link`');
      for (const a of admins) out(`${a.employeeId}\t${a.name}\t${a.email ?? ''}`);
    },
  },

  grant: {
    arity: 2,
    check: (args) => void role(args[1]!),
    async run(ctx, args, actor) {
      const r0 = role(args[1]!);
      const p = person(ctx, args[0]!);
      const r = await grantRole(ctx, actor, p.employeeId, r0);
      if (isDomainError(r)) return refuse(p, r);
      out(r.events.length ? `granted ${r0} to ${label(p)}` : `${label(p)} already is ${r0}: nothing changed`);
    },
  },

  revoke: {
    arity: 2,
    check: (args) => void role(args[1]!),
    async run(ctx, args, actor) {
      const r0 = role(args[1]!);
      const p = person(ctx, args[0]!);
      const r = await revokeRole(ctx, actor, p.employeeId, r0);
      if (isDomainError(r)) return refuse(p, r);
      out(r.events.length ? `revoked ${r0} from ${label(p)}` : `${label(p)} is not ${r0}: nothing changed`);
    },
  },

  invite: {
    arity: 1,
    async run(ctx, args, actor) {
      const p = person(ctx, args[0]!);
      const r = await reissueInvitation(ctx, actor, p.employeeId);
      if (isDomainError(r)) return refuse(p, r);
      // only the token's hash is in the log: this is the one time the link is shown
      out(`${ctx.config.publicUrl.replace(/\/$/, '')}/invitation/${r.token}`);
      note(`invitation for ${label(p)}, valid until ${r.expiresAt.toISOString()}; any earlier link no longer works`);
    },
  },

  'end-sessions': {
    arity: 1,
    async run(ctx, args, actor) {
      const p = person(ctx, args[0]!);
      const n = await endAllSessions(ctx, p.employeeId, actor);
      out(`ended ${n} session${n === 1 ? '' : 's'} of ${label(p)}`);
    },
  },

  erase: {
    arity: 1,
    async run(ctx, args, actor) {
      const p = person(ctx, args[0]!);
      const shown = label(p);
      const r = await erasePerson(ctx, actor, p.employeeId);
      if (isDomainError(r)) return refuse(p, r);
      if (r.events.length === 0) {
        out(`${p.employeeId} was already erased: nothing changed`);
        return;
      }
      // every read model now, not at the server's next look: views.db must not keep their words
      const views = openViews(viewsFile(ctx.config));
      try {
        const all = await startProjections({ store: ctx.store, views, projections: allProjections(), log: note });
        await all.caughtUp;
        await all.close();
        truncateWal(views, note);
      } finally {
        views.close();
      }
      // nor may the email outbox keep their address, or anything addressed to them
      if (existsSync(mailFile(ctx.config))) {
        const outbox = openOutbox(mailFile(ctx.config));
        try {
          outbox.forgetPerson(p.employeeId);
        } finally {
          outbox.close();
        }
      }
      out(`erased ${shown}: their key is destroyed; Hallway now shows "a former colleague" and their stories' text as removed`);
    },
  },

  'setup-link': {
    arity: 0,
    async run(ctx) {
      const admins = orgQueries(ctx.runtime.db).adminCount();
      if (admins > 0) {
        throw new Refused(
          `there ${admins === 1 ? 'is 1 admin' : `are ${admins} admins`} already, so there is no setup link (see \`hallway admin list-admins\`). ` +
            'For someone locked out: `hallway admin invite PERSON`.',
        );
      }
      // the setup token lives only in the memory of the serving process (src/auth/setup.ts)
      throw new Refused(
        'there is no admin yet. The one-time setup link is printed by `hallway serve` when it starts (valid for an hour; ' +
          'restart `hallway serve` for a fresh one). Or, for an employee already in the archive: ' +
          '`hallway admin grant PERSON admin`, then `hallway admin invite PERSON`.',
      );
    },
  },
};

/**
 * `hallway admin seal-key init FILE`: makes the key pair `serve` signs seals with
 * (HALLWAY_SEAL_KEY_FILE=FILE). Needs no archive; never overwrites a key.
 */
function sealKeyCommand(args: string[]): number {
  if (args.length !== 2 || args[0] !== 'init') {
    process.stderr.write(`hallway admin seal-key: expected \`init FILE\`\n${ADMIN_USAGE}`);
    return 2;
  }
  const file = resolve(args[1]!);
  // the same rule serve applies to HALLWAY_SEAL_KEY_FILE: a copy of the data must not carry the key
  loadConfig({ ...process.env, HALLWAY_SEAL_KEY_FILE: file });
  const { keyId, publicFile } = createSealKeyFiles(file);
  out(publicFile);
  note(`seal key ${keyId} written: the private key to ${file} (keep it out of backups of the data), the public key to ${publicFile}.`);
  note(`Set HALLWAY_SEAL_KEY_FILE=${file} for \`hallway serve\`; \`hallway verify\` reads ${publicFile} (or HALLWAY_SEAL_PUBLIC_KEY).`);
  return 0;
}

export async function adminCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(ADMIN_USAGE);
    return name ? 0 : 2;
  }
  if (name === 'seal-key') return sealKeyCommand(rest);
  const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!sub) {
    process.stderr.write(`hallway admin: unknown subcommand ${JSON.stringify(name)}\n${ADMIN_USAGE}`);
    return 2;
  }
  try {
    if (rest.length !== sub.arity) throw new Usage(`expected ${sub.arity} argument${sub.arity === 1 ? '' : 's'}, got ${rest.length}`);
    sub.check?.(rest);
  } catch (e) {
    if (e instanceof Usage) {
      process.stderr.write(`hallway admin ${name}: ${e.message}\n${ADMIN_USAGE}`);
      return 2;
    }
    throw e;
  }
  const ctx = await openAdminContext(loadConfig());
  try {
    await sub.run(ctx, rest, cliActor());
    return 0;
  } catch (e) {
    if (e instanceof Refused) {
      process.stderr.write(`hallway admin ${name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await ctx.close();
  }
}
