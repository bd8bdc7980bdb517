import { AdminShell } from '../fragments/admin-shell.tsx';
import { plural } from '../components/format.ts';
import { FirstRunChecklist } from '../fragments/first-run-checklist.tsx';
import type { FirstRunState } from '../fragments/first-run-checklist.tsx';
import { CopyField } from '../components/copy-field.tsx';
import type { SealRow } from '../../src/chain/tables.ts';
import { EmailPanel } from '../fragments/email-panel.tsx';
import type { EmailOverview } from '../fragments/email-panel.tsx';

export interface SealOverview {
  /** a seal key is configured (HALLWAY_SEAL_KEY_FILE) */
  sealing: boolean;
  latest: SealRow | undefined;
}

/**
 * The latest seal, to be written down outside Hallway (a ticket, a board minute): a seal kept
 * elsewhere anchors the history up to it, even against someone holding the database and the key.
 */
function LatestSeal({ seals }: { seals: SealOverview }) {
  const s = seals.latest;
  return (
    <section class="admin-seal" aria-labelledby="seal-heading">
      <h2 id="seal-heading">Tamper evidence</h2>
      {seals.sealing ? null : (
        <p class="notice">
          Sealing is off: no seal key is configured, so the log is not sealed. Create one with <code>hallway admin seal-key init FILE</code>{' '}
          (outside the data directory) and set <code>HALLWAY_SEAL_KEY_FILE</code>.
        </p>
      )}
      {s ? (
        <>
          <p>
            The latest seal covers the log up to position {s.upToPosition} (sealed <time datetime={s.sealedAt}>{s.sealedAt.slice(0, 16).replace('T', ' ')} UTC</time>). Write its
            chain hash down outside Hallway: with it, anyone can later check with <code>hallway verify</code> that the history up to it was not rewritten.
          </p>
          <CopyField id="seal-chain-hash" value={`position ${s.upToPosition}: ${s.chainHash}`} label="Latest seal" />
        </>
      ) : (
        <p>No seal yet.</p>
      )}
    </section>
  );
}

export interface AdminOverview {
  people: number;
  left: number;
  departments: number;
  closedDepartments: number;
  admins: number;
  openSessions: number;
}

export function AdminHomePage({ o, firstRun, seals, email }: { o: AdminOverview; firstRun: FirstRunState; seals?: SealOverview; email?: EmailOverview }) {
  return (
    <AdminShell heading="Administration">
      <FirstRunChecklist state={firstRun} />
      <ul class="admin-figures">
        <li>
          <a href="/admin/people">{plural(o.people, 'current employee', 'current employees')}</a> ({o.left} {o.left === 1 ? 'has' : 'have'} left)
        </li>
        <li>
          <a href="/admin/departments">{plural(o.departments, 'open department', 'open departments')}</a> ({o.closedDepartments} closed)
        </li>
        <li>{plural(o.admins, 'admin', 'admins')}</li>
        <li>{plural(o.openSessions, 'open session', 'open sessions')}</li>
      </ul>
      <p>
        <a href="/admin/people#add">Add a person</a> · <a href="/admin/import">Import many from a CSV file</a> · <a href="/admin/audit">Audit trail</a>
      </p>
      {seals ? <LatestSeal seals={seals} /> : null}
      {email ? <EmailPanel email={email} /> : null}
    </AdminShell>
  );
}
