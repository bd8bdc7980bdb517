import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { openMail } from '../../src/mail/mailer.ts';
import { MAX_ATTEMPTS, backoffMs, openOutbox } from '../../src/mail/outbox.ts';
import { queueDigests } from '../../src/mail/notify.ts';
import { wantsEmail } from '../../src/projections/email.ts';
import { ImportRefused, importLines } from '../../src/importer.ts';
import { freePort, tempDir, testHallway } from '../helpers.ts';
import { cookieFor, formHeaders, givenDepartment, givenEmployee, signedIn } from '../auth-helpers.ts';
import type { TestPerson } from '../auth-helpers.ts';
import { givenStory } from './stories-given.ts';

/**
 * Email (issue 14) against a real SMTP server in this process (smtp-server), read back with
 * mailparser: invitations, "sent to you", unsubscribe links, the weekly digest, and a server that
 * refuses or is down. The worker is run directly (`ctx.mail.runOnce()`), never waited for; the
 * clock is the test's, so backoff is walked by moving it.
 */
interface Arrived {
  to: string[];
  raw: string;
  mail: ParsedMail;
}

type Mode = 'ok' | 'temporary' | 'permanent';

async function smtpServer() {
  const arrived: Arrived[] = [];
  const state: { mode: Mode } = { mode: 'ok' };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (state.mode === 'ok') return callback();
      const err = Object.assign(new Error(state.mode === 'temporary' ? 'Mailbox busy, try again later' : 'No such user here'), {
        responseCode: state.mode === 'temporary' ? 451 : 550,
      });
      return callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((mail) => {
          arrived.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, mail });
          callback();
        }, callback);
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { arrived, state, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const to = (arrived: Arrived[], email: string): Arrived[] => arrived.filter((a) => a.to.includes(email));
const linkIn = (text: string, path: string): string => {
  const m = new RegExp(`http://localhost(/${path}/[^\\s<>"]+)`).exec(text);
  if (!m) throw new Error(`no /${path}/ link in:\n${text}`);
  return m[1]!;
};
const HOUR = 3600_000;

describe('email over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let h: Awaited<ReturnType<typeof testHallway>>;
  // a Wednesday: the digest of the week that follows covers it
  let now = Date.parse('2026-11-25T10:00:00Z');
  let admin: TestPerson & { cookie: string };
  let sender: TestPerson & { cookie: string };
  let bea: TestPerson & { cookie: string };
  let cas: TestPerson;
  let dee: TestPerson & { cookie: string };
  let storyId: string;
  const TITLE = 'The stand-up <img src="https://tracker.example/p.gif"> & "no" to <script>alert(1)</script>';
  const SENDER = 'Ada <b>Lovelace</b> & co';
  let mail: NonNullable<typeof h.mail>;
  const logLines: string[] = [];

  beforeAll(async () => {
    smtp = await smtpServer();
    h = await testHallway({
      clock: () => new Date(now),
      metrics: true,
      logger: createLogger('debug', { write: (l) => void logLines.push(l) }),
      env: { HALLWAY_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, HALLWAY_MAIL_FROM: 'Hallway <hallway@example.test>', HALLWAY_PUBLIC_URL: 'http://localhost' },
    });
    mail = h.mail!;
    await givenDepartment(h, 'eng', 'Engineering');
    await givenDepartment(h, 'sales', 'Sales');
    admin = await signedIn(h, { roles: ['admin'], departmentId: 'eng' });
    sender = await signedIn(h, { name: SENDER, departmentId: 'eng' });
    bea = await signedIn(h, { name: 'Bea Recipient', departmentId: 'eng' });
    cas = await givenEmployee(h, { name: 'Cas Sales', departmentId: 'sales' });
    dee = await signedIn(h, { name: 'Dee Nodigest', departmentId: 'sales' });
    storyId = await givenStory(h, { tellerId: sender.employeeId, title: TITLE, happenedIn: 'eng' });
  });
  afterAll(async () => {
    await h?.dispose();
    await smtp?.close();
  });

  const share = (from: { cookie: string }, toId: string, id = storyId) =>
    h.app.request(`/stories/${id}/share`, { method: 'POST', headers: formHeaders(from.cookie), body: new URLSearchParams({ toId }).toString() });
  /** an admin adds a person (which invites them) through the form */
  const addPerson = (name: string, email: string, departmentId: string) =>
    h.app.request('/admin/people', {
      method: 'POST',
      headers: formHeaders(admin.cookie),
      body: new URLSearchParams({ employeeId: '', name, email, departmentId, joinedOn: '2026-11-20' }).toString(),
    });
  const sentCount = async (kind: string) => (await h.metrics!.emailsSent.get()).values.find((v) => v.labels.kind === kind)?.value ?? 0;
  const failedCount = async (kind: string, outcome: string) =>
    (await h.metrics!.emailsFailed.get()).values.find((v) => v.labels.kind === kind && v.labels.outcome === outcome)?.value ?? 0;

  it('an invitation is emailed to the person with its link (the admin is told it was sent), and the link works', async () => {
    const email = 'newcomer@example.test';
    const res = await addPerson('Nell Newcomer', email, 'eng');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('An invitation email is on its way to <strong>Nell Newcomer</strong>');
    // the link went to the person only
    expect(page).not.toContain('/invitation/');
    // off the request path: nothing has arrived until the worker runs
    expect(to(smtp.arrived, email)).toHaveLength(0);
    expect(await mail.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0, cancelled: 0 });
    const [got] = to(smtp.arrived, email);
    expect(got!.mail.subject).toBe('You are invited to Hallway');
    expect(got!.mail.from?.text).toContain('hallway@example.test');
    const link = linkIn(got!.mail.text ?? '', 'invitation');
    const open = await h.app.request(link);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain('Welcome to Hallway, Nell Newcomer');
    expect(await sentCount('invitation')).toBe(1);
  });

  it('"sent to you": the recipient gets an email with a plain-text part, an unsubscribe link and header, no image, and the typed text escaped', async () => {
    const before = smtp.arrived.length;
    const res = await share(sender, bea.employeeId);
    expect(res.status).toBe(303);
    expect(await mail.runOnce()).toMatchObject({ sent: 1 });
    expect(smtp.arrived.length).toBe(before + 1);
    const [got] = to(smtp.arrived, bea.email);
    const m = got!.mail;
    // nobody else got it
    expect(got!.to).toEqual([bea.email]);
    expect(m.subject).toBe(`${SENDER} sent you a story on Hallway`);
    // the plain-text part, with the text as typed and the story's link
    expect(m.text).toContain(TITLE);
    expect(m.text).toContain(`http://localhost/stories/${storyId}`);
    expect(m.text).toMatch(/Stop emails about stories sent to you: http:\/\/localhost\/unsubscribe\//);
    // the HTML part: typed text escaped, no image of any kind, nothing fetched from elsewhere
    const html = typeof m.html === 'string' ? m.html : '';
    expect(html).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt; &amp; co');
    expect(html).toContain('&lt;img src=&quot;https://tracker.example/p.gif&quot;&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<img\b|<script\b|<b>|<link\b|<iframe\b|url\(|<[^>]*\ssrc\s*=/i);
    // List-Unsubscribe (RFC 2369) and one-click (RFC 8058)
    const unfolded = got!.raw.replace(/\r?\n[ \t]+/g, ' ');
    expect(unfolded).toMatch(/^List-Unsubscribe: <http:\/\/localhost\/unsubscribe\/[^>]+>$/m);
    expect(unfolded).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(await sentCount('shared')).toBe(1);
  });

  it('sending the same story again the same day queues no second email', async () => {
    expect((await share(sender, bea.employeeId)).status).toBe(303);
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0, cancelled: 0 });
    expect(to(smtp.arrived, bea.email)).toHaveLength(1);
  });

  it('a person who turned "sent to you" emails off on their own page gets none', async () => {
    const bad = await h.app.request('/me/email', { method: 'POST', headers: formHeaders(bea.cookie), body: 'shared=maybe&digest=on' });
    expect(bad.status).toBe(422);
    expect(wantsEmail(h.runtime.db, bea.employeeId, 'shared')).toBe(true);
    const res = await h.app.request('/me/email', { method: 'POST', headers: formHeaders(bea.cookie), body: 'shared=off&digest=on' });
    expect(res.status).toBe(303);
    const page = await (await h.app.request('/me/email', { headers: { Cookie: bea.cookie } })).text();
    expect(page).toMatch(/name="shared" value="off" checked/);
    const other = await givenStory(h, { tellerId: sender.employeeId, title: 'Another one' });
    expect((await share(sender, bea.employeeId, other)).status).toBe(303);
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0, cancelled: 0 });
    expect(to(smtp.arrived, bea.email)).toHaveLength(1);
    expect(mail.outbox.byKey(`shared:${other}:${bea.employeeId}:2026-11-25`)).toBeUndefined();
  });

  it('the unsubscribe link works without signing in, and a tampered one is refused and changes nothing', async () => {
    expect((await share(sender, cas.employeeId)).status).toBe(303);
    await mail.runOnce();
    const [got] = to(smtp.arrived, cas.email);
    const link = linkIn(got!.mail.text ?? '', 'unsubscribe');
    const token = link.slice('/unsubscribe/'.length);
    const [payload, mac] = token.split('.') as [string, string];
    // the same link naming someone else (Dee), with Cas's mac; and Cas's with one character of the mac changed
    const otherPayload = Buffer.from(JSON.stringify([dee.employeeId, 'shared'])).toString('base64url');
    const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    for (const forged of [`${otherPayload}.${mac}`, `${payload}.${flipped}`, payload]) {
      expect((await h.app.request(`/unsubscribe/${forged}`)).status).toBe(404);
      expect((await h.app.request(`/unsubscribe/${forged}`, { method: 'POST' })).status).toBe(404);
    }
    expect(wantsEmail(h.runtime.db, dee.employeeId, 'shared')).toBe(true);
    expect(wantsEmail(h.runtime.db, cas.employeeId, 'shared')).toBe(true);
    // opening the link changes nothing (mail scanners open links); it asks
    const ask = await h.app.request(link);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Stop emails when someone sends you a story');
    expect(wantsEmail(h.runtime.db, cas.employeeId, 'shared')).toBe(true);
    // a mail client's one-click POST: no cookie, no Origin
    const done = await h.app.request(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('You will get no more emails when someone sends you a story');
    expect(wantsEmail(h.runtime.db, cas.employeeId, 'shared')).toBe(false);
    // only that kind: the digest stays on
    expect(wantsEmail(h.runtime.db, cas.employeeId, 'digest')).toBe(true);
  });

  it('a server that answers 4xx: retried with backoff, then failed and listed on /admin with the reason and the link; counters move', async () => {
    smtp.state.mode = 'temporary';
    const email = 'unlucky@example.test';
    const res = await addPerson('Una Unlucky', email, 'sales');
    expect(res.status).toBe(200);
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0, cancelled: 0 });
    expect(await failedCount('invitation', 'retrying')).toBe(1);
    // not due again before its backoff
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0, cancelled: 0 });
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt += 1) {
      now += backoffMs(attempt - 1);
      expect(await mail.runOnce()).toEqual(attempt < MAX_ATTEMPTS ? { sent: 0, retrying: 1, failed: 0, cancelled: 0 } : { sent: 0, retrying: 0, failed: 1, cancelled: 0 });
    }
    expect(await failedCount('invitation', 'retrying')).toBe(MAX_ATTEMPTS - 1);
    expect(await failedCount('invitation', 'failed')).toBe(1);
    expect(to(smtp.arrived, email)).toHaveLength(0);
    const home = await (await h.app.request('/admin', { headers: { Cookie: await cookieFor(h, admin.employeeId) } })).text();
    expect(home).toContain('<h2 id="email-title">Email</h2>');
    expect(home).toMatch(/<strong>1 failed<\/strong>/);
    expect(home).toContain('Una Unlucky');
    expect(home).toContain(`after ${MAX_ATTEMPTS} attempts`);
    expect(home).toContain('451');
    // the invitation's link, to pass on by hand
    expect(home).toMatch(/value="http:\/\/localhost\/invitation\/[^"]+"/);
  });

  it('a 5xx is failed at once; "try again" on /admin sends it once the server accepts', async () => {
    smtp.state.mode = 'permanent';
    expect((await share(sender, dee.employeeId)).status).toBe(303);
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1, cancelled: 0 });
    expect(await failedCount('shared', 'failed')).toBe(1);
    const failed = mail.outbox.failed().find((f) => f.employeeId === dee.employeeId)!;
    expect(failed.error).toMatch(/^550/);
    smtp.state.mode = 'ok';
    const retry = await h.app.request(`/admin/email/${failed.id}/retry`, { method: 'POST', headers: formHeaders(await cookieFor(h, admin.employeeId)) });
    expect(retry.status).toBe(303);
    expect((await h.app.request('/admin/email/999999/retry', { method: 'POST', headers: formHeaders(await cookieFor(h, admin.employeeId)) })).status).toBe(404);
    expect(await mail.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0, cancelled: 0 });
    expect(to(smtp.arrived, dee.email)).toHaveLength(1);
  });

  it('a mail due after its recipient turned that kind off (or left) is not sent; erasing a person leaves nothing of theirs in the outbox', async () => {
    const other = await givenStory(h, { tellerId: sender.employeeId, title: 'Queued, then unwanted' });
    expect((await share(sender, dee.employeeId, other)).status).toBe(303);
    // Dee turns them off before the worker gets to it
    expect((await h.app.request('/me/email', { method: 'POST', headers: formHeaders(await cookieFor(h, dee.employeeId)), body: 'shared=off&digest=on' })).status).toBe(303);
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0, cancelled: 1 });
    expect(mail.outbox.byKey(`shared:${other}:${dee.employeeId}:${new Date(now).toISOString().slice(0, 10)}`)).toMatchObject({ status: 'cancelled' });
    expect(to(smtp.arrived, dee.email)).toHaveLength(1);
    expect((await h.app.request('/me/email', { method: 'POST', headers: formHeaders(await cookieFor(h, dee.employeeId)), body: 'shared=on&digest=on' })).status).toBe(303);

    // Una's failed invitation is listed until she is erased
    const una = mail.outbox.failed().find((f) => f.to === 'unlucky@example.test')!;
    expect(una).toBeDefined();
    const adminHeaders = formHeaders(await cookieFor(h, admin.employeeId));
    expect((await h.app.request(`/admin/people/${una.employeeId}/left`, { method: 'POST', headers: adminHeaders })).status).toBe(303);
    expect((await h.app.request(`/admin/people/${una.employeeId}/erase`, { method: 'POST', headers: adminHeaders, body: 'confirm=yes' })).status).toBe(303);
    expect(mail.outbox.failed().find((f) => f.employeeId === una.employeeId)).toBeUndefined();
    const home = await (await h.app.request('/admin', { headers: { Cookie: await cookieFor(h, admin.employeeId) } })).text();
    expect(home).not.toContain('unlucky@example.test');
  });

  it('the weekly digest: off until an admin turns it on; then once a week, per department, to whoever has not turned it off', async () => {
    // Dee turns the digest off on her own page
    expect((await h.app.request('/me/email', { method: 'POST', headers: formHeaders(await cookieFor(h, dee.employeeId)), body: 'shared=on&digest=off' })).status).toBe(303);
    // a story told in sales during the week, sent to Cas
    const salesStory = await givenStory(h, { tellerId: dee.employeeId, title: 'Quarter close <done>', happenedIn: 'sales' });
    expect((await share({ cookie: await cookieFor(h, dee.employeeId) }, cas.employeeId, salesStory)).status).toBe(303);
    await mail.runOnce();
    // Monday morning of the next week
    now = Date.parse('2026-11-30T07:00:00Z');
    expect(queueDigests(h)).toBeNull();
    const bad = await h.app.request('/admin/settings/email', { method: 'POST', headers: formHeaders(await cookieFor(h, admin.employeeId)), body: 'weeklyDigest=yes' });
    expect(bad.status).toBe(422);
    const on = await h.app.request('/admin/settings/email', { method: 'POST', headers: formHeaders(await cookieFor(h, admin.employeeId)), body: 'weeklyDigest=on' });
    expect(on.status).toBe(303);
    const settings = await (await h.app.request('/admin/settings', { headers: { Cookie: await cookieFor(h, admin.employeeId) } })).text();
    const audit = await (await h.app.request('/admin/audit?action=email', { headers: { Cookie: await cookieFor(h, admin.employeeId) } })).text();
    expect(audit).toContain('weekly email digest turned on');
    expect(settings).toMatch(/name="weeklyDigest" value="on" checked/);
    const before = smtp.arrived.length;
    const queued = queueDigests(h);
    expect(queued).toBeGreaterThan(0);
    // once a week, whichever process asks
    expect(queueDigests(h)).toBeNull();
    expect(await mail.runOnce()).toMatchObject({ sent: queued, failed: 0 });
    const digests = smtp.arrived.slice(before);
    expect(digests.every((d) => d.mail.subject === 'Hallway: the stories going around, week of 2026-11-23')).toBe(true);
    expect(to(digests, dee.email)).toHaveLength(0);
    const casDigest = to(digests, cas.email)[0]!.mail;
    const beaDigest = to(digests, bea.email)[0]!.mail;
    const section = (text: string, heading: string, next: string) => text.slice(text.indexOf(heading), text.indexOf(next));
    // Cas (sales): the sales story in the department list; the company's has both
    expect(section(casDigest.text ?? '', 'In Sales:', 'Across the company:')).toContain('Quarter close <done>');
    expect(section(casDigest.text ?? '', 'In Sales:', 'Across the company:')).toContain(TITLE);
    expect(section(beaDigest.text ?? '', 'In Engineering:', 'Across the company:')).toContain(TITLE);
    expect(section(beaDigest.text ?? '', 'In Engineering:', 'Across the company:')).not.toContain('Quarter close');
    expect(section(beaDigest.text ?? '', 'Across the company:', '-- ')).toContain('Quarter close <done>');
    const html = typeof casDigest.html === 'string' ? casDigest.html : '';
    expect(html).toContain('Quarter close &lt;done&gt;');
    expect(html).not.toMatch(/<img\b|<[^>]*\ssrc\s*=/i);
    expect(casDigest.text).toMatch(/Stop the weekly digest: http:\/\/localhost\/unsubscribe\//);
    expect(await sentCount('digest')).toBe(queued);
  });

  it('the new events import like the others: a preference of someone who never joined is refused, and nothing is appended', async () => {
    const head = await h.store.headPosition();
    const line = (employeeId: string) => JSON.stringify({ type: 'NotificationPreferenceChanged', data: { employeeId, kind: 'digest', enabled: false }, metadata: { at: new Date(now).toISOString() } });
    await expect(importLines(h.store, [line('emp-nobody')])).rejects.toThrow(ImportRefused);
    await expect(importLines(h.store, [line('emp-nobody')])).rejects.toThrow(/emp-nobody/);
    const bad = JSON.stringify({ type: 'NotificationPreferenceChanged', data: { employeeId: bea.employeeId, kind: 'sms', enabled: false }, metadata: { at: new Date(now).toISOString() } });
    await expect(importLines(h.store, [bad])).rejects.toThrow(/kind/);
    expect(await h.store.headPosition()).toBe(head);
    const r = await importLines(h.store, [line(bea.employeeId)]);
    expect(r.appended).toBe(1);
  });

  it('the log says what was sent and what failed, with no address, token or story text', () => {
    const log = logLines.join('');
    expect(log).toContain('"msg":"email sent"');
    expect(log).toContain('"msg":"email not sent"');
    expect(log).toContain('"code":"451"');
    const secrets = [
      ...smtp.arrived.flatMap((a) => a.to),
      'unlucky@example.test',
      ...smtp.arrived.flatMap((a) => [...(a.mail.text ?? '').matchAll(/\/(?:invitation|unsubscribe)\/([^\s]+)/g)].map((m) => m[1]!)),
      'The stand-up',
      'Quarter close',
      'Lovelace',
    ];
    expect(secrets.length).toBeGreaterThan(10);
    for (const s of secrets) expect(log, s).not.toContain(s);
  });
});

describe('the outbox across processes and restarts', () => {
  it('a server that is down is retried; after a restart nothing sent is sent again and nothing queued is lost; one process claims each mail', async () => {
    const tmp = tempDir('hallway-mail-');
    const smtp = await smtpServer();
    const downPort = await freePort();
    let now = Date.parse('2026-11-25T10:00:00Z');
    const clock = () => new Date(now);
    const env = (port: number) => loadConfig({ HALLWAY_DATA_DIR: tmp.dir, HALLWAY_SMTP_URL: `smtp://127.0.0.1:${port}`, HALLWAY_MAIL_FROM: 'hallway@example.test' });
    const mail = (n: number) => ({
      key: `test:${n}`, kind: 'shared' as const, employeeId: `emp-${n}`, to: `p${n}@example.test`, subject: `Mail ${n}`,
      text: `Text ${n}`, html: `<p>Text ${n}</p>`, unsubscribeUrl: `http://localhost/unsubscribe/x${n}`,
    });
    try {
      // nothing listens on downPort: connection refused, tried again later
      const first = openMail({ config: env(downPort), clock });
      expect(first.queue(mail(1))).toBe(true);
      expect(first.queue(mail(1))).toBe(false);
      expect(await first.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0, cancelled: 0 });
      expect(first.outbox.byKey('test:1')).toMatchObject({ status: 'queued', attempts: 1 });
      expect(first.outbox.byKey('test:1')!.last_error).toMatch(/ECONNREFUSED/);
      await first.close();

      // restarted, the server up: the queued mail goes; a second run sends nothing again
      const second = openMail({ config: env(smtp.port), clock });
      now += backoffMs(1);
      expect(await second.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0, cancelled: 0 });
      expect(second.queue(mail(2))).toBe(true);
      await second.close();
      const third = openMail({ config: env(smtp.port), clock });
      expect(await third.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0, cancelled: 0 });
      expect(await third.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0, cancelled: 0 });
      expect(smtp.arrived.map((a) => a.mail.subject)).toEqual(['Mail 1', 'Mail 2']);
      // delivered: the outbox keeps no copy of the text
      expect(third.outbox.byKey('test:1')!.status).toBe('sent');

      // two processes on one mail.db: each mail is claimed by one of them
      expect(third.queue(mail(3))).toBe(true);
      expect(third.queue(mail(4))).toBe(true);
      const other = openOutbox(join(tmp.dir, 'mail.db'));
      const a = other.claim(now);
      const b = third.outbox.claim(now);
      expect(a.map((m) => m.key).sort()).toEqual(['test:3', 'test:4']);
      expect(b).toEqual([]);
      other.close();
      await third.close();
    } finally {
      await smtp.close();
      tmp.remove();
    }
  });
});

describe('email configuration and the timer of serve', () => {
  it('HALLWAY_SMTP_URL and HALLWAY_MAIL_FROM: both or neither, checked at start (the message never repeats the URL, which can hold a password)', () => {
    const base = { HALLWAY_DATA_DIR: '/tmp/hallway-config-check' };
    expect(loadConfig(base).smtpUrl).toBeUndefined();
    expect(loadConfig({ ...base, HALLWAY_SMTP_URL: '', HALLWAY_MAIL_FROM: '' }).smtpUrl).toBeUndefined();
    const ok = loadConfig({ ...base, HALLWAY_SMTP_URL: 'smtps://u:p@mail.example.com:465', HALLWAY_MAIL_FROM: 'Hallway <hallway@example.com>' });
    expect(ok).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example.com:465', mailFrom: 'Hallway <hallway@example.com>' });
    expect(() => loadConfig({ ...base, HALLWAY_SMTP_URL: 'smtp://mail.example.com' })).toThrow(/needs HALLWAY_MAIL_FROM/);
    expect(() => loadConfig({ ...base, HALLWAY_SMTP_URL: 'https://secret-password@mail.example.com', HALLWAY_MAIL_FROM: 'a@example.com' })).toThrow(
      /^HALLWAY_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL \(smtp:\/\/user:password@host:587\)$/,
    );
    expect(() => loadConfig({ ...base, HALLWAY_SMTP_URL: 'smtp://mail.example.com', HALLWAY_MAIL_FROM: 'not an address' })).toThrow(/HALLWAY_MAIL_FROM must be an address/);
  });

  it('started (as serve does), a queued mail goes out without anyone running the worker', async () => {
    const tmp = tempDir('hallway-mail-timer-');
    const smtp = await smtpServer();
    const config = loadConfig({ HALLWAY_DATA_DIR: tmp.dir, HALLWAY_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, HALLWAY_MAIL_FROM: 'hallway@example.test' });
    const mail = openMail({ config, clock: () => new Date() });
    let ticks = 0;
    try {
      // a long interval: what sends it is the nudge a queued mail gives the started worker
      mail.start(() => void (ticks += 1), 3600_000);
      mail.queue({ key: 'timer:1', kind: 'digest', employeeId: 'emp-1', to: 'timer@example.test', subject: 'By the timer', text: 'Hi', html: '<p>Hi</p>', unsubscribeUrl: 'http://localhost/unsubscribe/x' });
      await vi.waitFor(() => expect(smtp.arrived.map((a) => a.mail.subject)).toEqual(['By the timer']), { timeout: 10_000, interval: 20 });
      // each run first lets serve queue the week's digests
      expect(ticks).toBeGreaterThanOrEqual(2);
    } finally {
      await mail.close();
      await smtp.close();
      tmp.remove();
    }
  });
});
