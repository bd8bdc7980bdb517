import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import { mailFile } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { MAX_ATTEMPTS, openOutbox } from './outbox.ts';
import type { ClaimedMail, NewMail, Outbox } from './outbox.ts';

/**
 * Email for one process: the outbox (mail.db) and the worker that sends from it over SMTP
 * (nodemailer, HALLWAY_SMTP_URL). Requests only queue (`queue`); `serve` runs the worker on a
 * timer (`start`), and a queued mail nudges it so it goes out within moments, never on the
 * request's path. Tests call `runOnce` and get what it did.
 *
 * A 5xx answer is permanent (the address does not exist, the message is refused): failed at once.
 * Anything else (a 4xx, a server that is down, a timeout) is tried again with backoff, and failed
 * after MAX_ATTEMPTS. Logs carry the outbox id, kind, attempt and the SMTP code: never an address,
 * a token or what anyone wrote.
 */
export interface RunResult {
  sent: number;
  retrying: number;
  failed: number;
  /** not sent: the recipient left or turned that kind off after it was queued */
  cancelled: number;
}

export interface Mail {
  readonly outbox: Outbox;
  /** queues a mail (false: one with its key was queued before) and nudges a started worker */
  queue(mail: NewMail): boolean;
  /** claims what is due now and sends it; runs one after another, never two at once in a process */
  runOnce(): Promise<RunResult>;
  /** the timer of `serve`: `beforeEach` runs first each time (it queues the week's digests) */
  start(beforeEach?: () => void, everyMs?: number): void;
  close(): Promise<void>;
}

export interface MailDeps {
  config: Config;
  clock: () => Date;
  metrics?: () => Metrics | undefined;
  logger?: () => Logger | undefined;
  /**
   * Asked just before each send: a reason not to send it any more (the recipient left, or turned
   * this kind off since it was queued), or null to send. Absent: everything due is sent.
   */
  stillWanted?: (mail: ClaimedMail) => string | null;
}

const describe = (err: unknown): { code: string; reason: string; permanent: boolean } => {
  const e = err as { responseCode?: unknown; code?: unknown; response?: unknown; message?: unknown };
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = status !== undefined ? String(status) : typeof e.code === 'string' ? e.code : 'error';
  const text = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(err);
  return { code, reason: `${code}: ${text}`.slice(0, 500), permanent: status !== undefined && status >= 500 && status < 600 };
};

export function openMail(deps: MailDeps): Mail {
  const { config } = deps;
  if (!config.smtpUrl || !config.mailFrom) throw new Error('email needs HALLWAY_SMTP_URL and HALLWAY_MAIL_FROM');
  const outbox = openOutbox(mailFile(config));
  // short timeouts: a server that does not answer is a failed attempt, tried again later
  const transport: Transporter = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
  const now = (): number => deps.clock().getTime();
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let nudge: NodeJS.Timeout | undefined;
  let closed = false;
  let tick: (() => void) | undefined;

  async function send(mail: ClaimedMail): Promise<'sent' | 'retrying' | 'failed' | 'cancelled'> {
    const unwanted = deps.stillWanted?.(mail) ?? null;
    if (unwanted !== null) {
      outbox.markCancelled(mail.id, unwanted, now());
      deps.logger?.()?.info({ mail: mail.id, kind: mail.kind }, 'email cancelled');
      return 'cancelled';
    }
    try {
      await transport.sendMail({
        from: config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: {
          // RFC 2369 and RFC 8058: mail clients offer "unsubscribe", and may POST to it in one click
          'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'Auto-Submitted': 'auto-generated',
        },
      });
      outbox.markSent(mail.id, now());
      deps.metrics?.()?.emailsSent.inc({ kind: mail.kind });
      deps.logger?.()?.info({ mail: mail.id, kind: mail.kind, attempt: mail.attempts }, 'email sent');
      return 'sent';
    } catch (err) {
      const { code, reason, permanent } = describe(err);
      const final = permanent || mail.attempts >= MAX_ATTEMPTS;
      outbox.markFailed(mail, reason, final, now());
      const outcome = final ? 'failed' : 'retrying';
      deps.metrics?.()?.emailsFailed.inc({ kind: mail.kind, outcome });
      deps.logger?.()?.warn({ mail: mail.id, kind: mail.kind, attempt: mail.attempts, code, outcome }, 'email not sent');
      return outcome;
    }
  }

  async function run(): Promise<RunResult> {
    const result: RunResult = { sent: 0, retrying: 0, failed: 0, cancelled: 0 };
    if (closed) return result;
    // claimed in batches until nothing is due: a large digest week goes out in one run
    for (;;) {
      const batch = outbox.claim(now(), 20);
      if (batch.length === 0) return result;
      for (const mail of batch) result[await send(mail)] += 1;
    }
  }

  const runOnce = (): Promise<RunResult> => {
    const next = chain.then(run, run);
    chain = next.catch(() => {});
    return next;
  };

  const work = (): void => {
    try {
      tick?.();
    } catch (err) {
      deps.logger?.()?.error({ err }, 'queueing email failed');
    }
    void runOnce().catch((err: unknown) => deps.logger?.()?.error({ err }, 'sending email failed'));
  };

  return {
    outbox,
    queue(mail) {
      const added = outbox.add(mail, now());
      if (added && timer && !nudge) {
        nudge = setTimeout(() => {
          nudge = undefined;
          work();
        }, 50);
        nudge.unref();
      }
      return added;
    },
    runOnce,
    start(beforeEach, everyMs = 15_000) {
      tick = beforeEach;
      if (timer) return;
      timer = setInterval(work, everyMs);
      timer.unref();
      work();
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      if (nudge) clearTimeout(nudge);
      await chain;
      transport.close();
      outbox.close();
    },
  };
}
