import type { AuditEntry } from '../../src/projections/audit.ts';
import { AdminShell } from '../fragments/admin-shell.tsx';
import { TableScroll } from '../components/table-scroll.tsx';
import { When } from '../components/when.tsx';

const KIND: Record<string, string> = {
  'signed-in': 'signed in',
  'signed-out': 'signed out',
  'session-revoked': 'session ended by an admin (or on leaving)',
  'session-expired': 'session expired',
  'role-granted': 'role granted',
  'role-revoked': 'role revoked',
  left: 'marked as left',
  invited: 'invitation issued',
  'password-set': 'password set',
  'api-token-issued': 'API token issued',
  'api-token-revoked': 'API token revoked',
};

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p class="muted">Nothing yet.</p>;
  return (
    <TableScroll label="Audit trail">
    <table class="audit">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col">Who</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr data-kind={e.kind}>
            <td>
              <When at={e.at} />
            </td>
            <td>
              {KIND[e.kind] ?? e.kind}
              {e.detail ? `: ${e.detail}` : ''}
            </td>
            <td>{e.employeeId ? <a href={`/admin/people/${encodeURIComponent(e.employeeId)}`}>{e.employeeName ?? e.employeeId}</a> : '—'}</td>
            <td>{e.actor === e.employeeId ? 'themselves' : e.actorName ?? e.actor ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </TableScroll>
  );
}

export function AuditPage({ entries, next }: { entries: AuditEntry[]; next: number | null }) {
  return (
    <AdminShell heading="Audit trail">
      <p class="muted">Sign-ins, sign-outs, role changes and revocations, newest first, from the events.</p>
      <AuditTable entries={entries} />
      {next ? (
        <p>
          <a href={`/admin/audit?before=${next}`}>Older</a>
        </p>
      ) : null}
    </AdminShell>
  );
}
