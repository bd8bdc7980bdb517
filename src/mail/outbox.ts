import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from '../store/sqlite-driver.ts';
import type { SqliteDatabase } from '../store/sqlite-driver.ts';

/**
 * The email outbox: a small SQLite file of its own (mail.db in the data directory), not the log.
 * A request only adds a row; a background worker (src/mail/worker.ts) claims due rows and sends
 * them. Claiming is one IMMEDIATE transaction that marks the rows `sending` with a lease, so of
 * several processes sharing the file only one sends each mail; a lease that runs out (the sender
 * died mid-send) makes the row due again. A row's `key` says what it is about (one invitation, one
 * story sent to one person on one day, one person's digest of one week): adding the same key
 * twice adds nothing. What was sent stays `sent` across restarts (its text is cleared: the
 * outbox keeps no copy of what people wrote once it is delivered); what keeps failing ends
 * `failed`, with the reason, for the admins' Email panel. Never deleted silently.
 */
export type MailKind = 'invitation' | 'shared' | 'digest';
/** `cancelled`: not sent because, by the time it was due, its recipient had left or turned that kind off */
export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface NewMail {
  key: string;
  kind: MailKind;
  employeeId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** the one-click unsubscribe URL (List-Unsubscribe); every kind has one */
  unsubscribeUrl: string;
  /** what an admin can pass on by hand if sending fails (an invitation's link) */
  fallbackUrl?: string;
}

export interface ClaimedMail extends NewMail {
  id: number;
  attempts: number;
}

export interface FailedMail {
  id: number;
  kind: MailKind;
  employeeId: string;
  to: string;
  attempts: number;
  error: string;
  failedAt: number;
  fallbackUrl: string | null;
}

/** Sends tried before a temporary failure becomes a failed send (about 3 hours in all). */
export const MAX_ATTEMPTS = 6;
/** How long a claimed row is left to its sender before another process may take it over. */
export const LEASE_MS = 5 * 60_000;

/** Wait before attempt n + 1 after n failed ones: 30 s, 2 min, 8 min, 32 min, 2 h 8 min. */
export const backoffMs = (failedAttempts: number): number => Math.min(30_000 * 4 ** Math.max(0, failedAttempts - 1), 6 * 3600_000);

interface Row {
  id: number;
  key: string;
  kind: MailKind;
  employee_id: string;
  to_addr: string;
  subject: string;
  text: string;
  html: string;
  unsubscribe_url: string;
  fallback_url: string | null;
  attempts: number;
  last_error: string | null;
  done_at: number | null;
}

export type Outbox = ReturnType<typeof openOutbox>;

export function openOutbox(file: string) {
  mkdirSync(dirname(file), { recursive: true });
  const db: SqliteDatabase = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  // an erased person's address must not linger in freed pages (as in views.db and keys.db)
  db.pragma('secure_delete = ON');
  db.exec(`CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      employee_id TEXT NOT NULL,
      to_addr TEXT NOT NULL,
      subject TEXT NOT NULL,
      text TEXT NOT NULL,
      html TEXT NOT NULL,
      unsubscribe_url TEXT NOT NULL,
      fallback_url TEXT,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER NOT NULL,
      lease_until INTEGER,
      last_error TEXT,
      created_at INTEGER NOT NULL,
      done_at INTEGER);
    CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_at);
    CREATE TABLE IF NOT EXISTS digest_weeks (week TEXT PRIMARY KEY, queued_at INTEGER NOT NULL);`);

  const insert = db.prepare(
    `INSERT OR IGNORE INTO outbox (key, kind, employee_id, to_addr, subject, text, html, unsubscribe_url, fallback_url, status, next_at, created_at)
     VALUES (@key, @kind, @employeeId, @to, @subject, @text, @html, @unsubscribeUrl, @fallbackUrl, 'queued', @now, @now)`,
  );
  const due = db.prepare<[number, number, number], Row>(
    `SELECT * FROM outbox WHERE (status = 'queued' AND next_at <= ?) OR (status = 'sending' AND lease_until < ?) ORDER BY next_at, id LIMIT ?`,
  );
  const take = db.prepare<[number, number]>(`UPDATE outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1 WHERE id = ?`);
  // delivered: what people wrote leaves the outbox
  const sent = db.prepare<[number, number]>(
    `UPDATE outbox SET status = 'sent', done_at = ?, lease_until = NULL, last_error = NULL, text = '', html = '', subject = '', fallback_url = NULL WHERE id = ? AND status = 'sending'`,
  );
  const retry = db.prepare<[number, string, number]>(`UPDATE outbox SET status = 'queued', next_at = ?, lease_until = NULL, last_error = ? WHERE id = ? AND status = 'sending'`);
  const fail = db.prepare<[number, string, number]>(`UPDATE outbox SET status = 'failed', done_at = ?, lease_until = NULL, last_error = ? WHERE id = ? AND status = 'sending'`);
  const cancel = db.prepare<[number, string, number]>(
    `UPDATE outbox SET status = 'cancelled', done_at = ?, lease_until = NULL, last_error = ?, text = '', html = '', subject = '', fallback_url = NULL WHERE id = ? AND status = 'sending'`,
  );
  const forget = db.prepare<[string]>('DELETE FROM outbox WHERE employee_id = ?');
  const again = db.prepare<[number, number]>(`UPDATE outbox SET status = 'queued', attempts = 0, next_at = ?, last_error = NULL, done_at = NULL WHERE id = ? AND status = 'failed'`);
  const failed = db.prepare<[number], Row>(`SELECT * FROM outbox WHERE status = 'failed' ORDER BY done_at DESC, id DESC LIMIT ?`);
  const counts = db.prepare<[], { status: MailStatus; n: number }>(`SELECT status, count(*) AS n FROM outbox GROUP BY status`);
  const byKey = db.prepare<[string], { id: number; status: MailStatus; attempts: number; last_error: string | null }>(
    'SELECT id, status, attempts, last_error FROM outbox WHERE key = ?',
  );
  const weekDone = db.prepare<[string], number>('SELECT 1 FROM digest_weeks WHERE week = ?').pluck();
  const markWeek = db.prepare<[string, number]>('INSERT OR IGNORE INTO digest_weeks (week, queued_at) VALUES (?, ?)');

  const toClaimed = (r: Row): ClaimedMail => ({
    id: r.id,
    key: r.key,
    kind: r.kind,
    employeeId: r.employee_id,
    to: r.to_addr,
    subject: r.subject,
    text: r.text,
    html: r.html,
    unsubscribeUrl: r.unsubscribe_url,
    ...(r.fallback_url ? { fallbackUrl: r.fallback_url } : {}),
    attempts: r.attempts,
  });

  const claimTx = db.transaction((now: number, limit: number): ClaimedMail[] => {
    const rows = due.all(now, now, limit);
    for (const r of rows) take.run(now + LEASE_MS, r.id);
    return rows.map((r) => ({ ...toClaimed(r), attempts: r.attempts + 1 }));
  });

  return {
    /** Queues a mail; false when a mail with this key was queued before (whatever became of it). */
    add(mail: NewMail, now: number): boolean {
      return insert.run({ ...mail, fallbackUrl: mail.fallbackUrl ?? null, now }).changes === 1;
    },
    /** Claims up to `limit` due mails for this process (one IMMEDIATE transaction). */
    claim(now: number, limit = 20): ClaimedMail[] {
      return claimTx.immediate(now, limit);
    },
    markSent(id: number, now: number): void {
      sent.run(now, id);
    },
    /** A failed attempt: due again after the backoff, or failed for good when `final`. */
    markFailed(mail: ClaimedMail, error: string, final: boolean, now: number): void {
      if (final) fail.run(now, error, mail.id);
      else retry.run(now + backoffMs(mail.attempts), error, mail.id);
    },
    /** Not sent, and never will be: its recipient left, or turned this kind of email off, before it went. */
    markCancelled(id: number, reason: string, now: number): void {
      cancel.run(now, reason, id);
    },
    /** Erasure (docs/trust.md): nothing addressed to this person stays in the outbox, sent or not. */
    forgetPerson(employeeId: string): number {
      const n = forget.run(employeeId).changes;
      // and not in the WAL either: its page images still hold the rows until a checkpoint truncates it
      if (n > 0) db.pragma('wal_checkpoint(TRUNCATE)');
      return n;
    },
    /** An admin asks for a failed mail to be tried again (from the start of the backoff). */
    requeue(id: number, now: number): boolean {
      return again.run(now, id).changes === 1;
    },
    failed(limit = 50): FailedMail[] {
      return failed.all(limit).map((r) => ({
        id: r.id,
        kind: r.kind,
        employeeId: r.employee_id,
        to: r.to_addr,
        attempts: r.attempts,
        error: r.last_error ?? '',
        failedAt: r.done_at ?? 0,
        fallbackUrl: r.fallback_url,
      }));
    },
    counts(): Record<MailStatus, number> {
      const c: Record<MailStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };
      for (const r of counts.all()) c[r.status] = r.n;
      return c;
    },
    /** One mail's state by its key (tests, and the admin's notice after an invitation). */
    byKey(key: string) {
      return byKey.get(key);
    },
    /** Whether the digests of this week were queued (a cheap check before working them out). */
    digestWeekQueued(week: string): boolean {
      return weekDone.get(week) === 1;
    },
    /**
     * The week's digests, at most once per week whichever process gets there first: `queue` adds
     * the rows, and the week is marked in the same transaction.
     */
    digestWeek(week: string, now: number, queue: () => void): boolean {
      return db.transaction(() => {
        if (weekDone.get(week) === 1) return false;
        queue();
        markWeek.run(week, now);
        return true;
      }).immediate();
    },
    close(): void {
      db.close();
    },
  };
}
