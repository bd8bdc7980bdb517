import type { AppContext } from '../http/env.ts';
import { preparedPer } from '../projections/prepared.ts';
import type { Views } from '../projections/runtime.ts';
import { wantsEmail, weeklyDigestOn } from '../projections/email.ts';
import { orgQueries } from '../read/org.ts';
import { getStory, awaitingReview } from '../read/stories.ts';
import { sha256Hex } from '../ids.ts';
import { digestEmail, invitationEmail, sharedEmail } from './compose.ts';
import type { DigestStory } from './compose.ts';
import { unsubscribeUrl } from './unsubscribe.ts';
import type { ClaimedMail } from './outbox.ts';

/**
 * What Hallway emails, and to whom: invitations (when an admin adds or re-invites someone), "sent
 * to you" (when a colleague sends someone a story, unless they turned it off) and the weekly
 * digest (when the admins turned it on, unless the person turned it off). Each only queues in the
 * outbox (src/mail/outbox.ts); nothing here waits for SMTP. Without HALLWAY_SMTP_URL (`ctx.mail`
 * absent) every function does nothing and says so, and Hallway works as it did.
 */
type Ctx = AppContext;

const base = (ctx: Ctx): string => ctx.config.publicUrl.replace(/\/$/, '');
export const emailSettingsUrl = (ctx: Ctx): string => `${base(ctx)}/me/email`;

/** The address an email to this person goes to, if they are a current employee with one. */
function addressOf(ctx: Ctx, employeeId: string): { name: string; email: string; departmentId: string } | null {
  const e = orgQueries(ctx.runtime.db).employee(employeeId);
  if (!e || e.leftAt || !e.email) return null;
  return { name: e.name, email: e.email, departmentId: e.departmentId };
}

/** Queues the invitation email; true when queued (the admin's page then says so instead of showing the link). */
export function emailInvitation(ctx: Ctx, employeeId: string, invitation: { token: string; url: string; expiresAt: Date }): boolean {
  if (!ctx.mail) return false;
  const to = addressOf(ctx, employeeId);
  if (!to) return false;
  const unsubscribe = unsubscribeUrl(ctx, employeeId, 'all');
  return ctx.mail.queue({
    // one mail per invitation: the token's hash names it (the token itself is only in the text)
    key: `invitation:${sha256Hex(invitation.token)}`,
    kind: 'invitation',
    employeeId,
    to: to.email,
    ...invitationEmail({ name: to.name, url: invitation.url, expiresAt: invitation.expiresAt, unsubscribeUrl: unsubscribe }),
    unsubscribeUrl: unsubscribe,
    fallbackUrl: invitation.url,
  });
}

/**
 * "Sent to you": one email per story, recipient and UTC day, however many times it is sent to
 * them that day (and by whom the first time).
 */
export function emailShared(ctx: Ctx, share: { storyId: string; fromId: string; toId: string }): boolean {
  if (!ctx.mail) return false;
  const db = ctx.runtime.db;
  if (!wantsEmail(db, share.toId, 'shared')) return false;
  const to = addressOf(ctx, share.toId);
  const story = getStory(db, share.storyId);
  if (!to || !story || story.retracted || awaitingReview(story)) return false;
  const from = orgQueries(db).employee(share.fromId)?.name ?? 'A colleague';
  const unsubscribe = unsubscribeUrl(ctx, share.toId, 'shared');
  const day = ctx.clock().toISOString().slice(0, 10);
  return ctx.mail.queue({
    key: `shared:${share.storyId}:${share.toId}:${day}`,
    kind: 'shared',
    employeeId: share.toId,
    to: to.email,
    ...sharedEmail({
      fromName: from,
      title: story.title,
      storyUrl: `${base(ctx)}/stories/${encodeURIComponent(story.storyId)}`,
      unsubscribeUrl: unsubscribe,
      settingsUrl: emailSettingsUrl(ctx),
    }),
    unsubscribeUrl: unsubscribe,
  });
}

const DAY_MS = 86_400_000;

/**
 * The digest sent during the week that starts on Monday `sentIn` (UTC) covers the 7 days before
 * it, from Monday `weekOf` [from, to).
 */
export function digestWeekOf(now: Date): { sentIn: string; weekOf: string; from: number; to: number } {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = midnight - ((now.getUTCDay() + 6) % 7) * DAY_MS;
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return { sentIn: day(monday), weekOf: day(monday - 7 * DAY_MS), from: monday - 7 * DAY_MS, to: monday };
}

/** Stories that reached people during [from, to): in one department, or anywhere. */
const circulating = preparedPer((db: Views) => ({
  inDepartment: db.prepare<[string, number, number, number], { story_id: string; n: number }>(
    `SELECT n.story_id, count(*) AS n FROM spread_nodes n JOIN spread_stories s ON s.story_id = n.story_id
     WHERE n.department_id = ? AND n.at_ms >= ? AND n.at_ms < ? AND s.retracted = 0 AND s.awaiting = 0
     GROUP BY n.story_id ORDER BY n DESC, n.story_id LIMIT ?`,
  ),
  anywhere: db.prepare<[number, number, number], { story_id: string; n: number }>(
    `SELECT n.story_id, count(*) AS n FROM spread_nodes n JOIN spread_stories s ON s.story_id = n.story_id
     WHERE n.at_ms >= ? AND n.at_ms < ? AND s.retracted = 0 AND s.awaiting = 0
     GROUP BY n.story_id ORDER BY n DESC, n.story_id LIMIT ?`,
  ),
}));

const PER_LIST = 5;

function digestStories(ctx: Ctx, rows: { story_id: string; n: number }[]): DigestStory[] {
  const out: DigestStory[] = [];
  for (const r of rows) {
    const story = getStory(ctx.runtime.db, r.story_id);
    if (!story || story.retracted || awaitingReview(story)) continue;
    out.push({ title: story.title, url: `${base(ctx)}/stories/${encodeURIComponent(story.storyId)}`, people: r.n });
  }
  return out;
}

/** The stories of a digest week: the company's and each department's (what `queueDigests` sends). */
export function digestContent(ctx: Ctx, week: { from: number; to: number }, departmentId: string): { department: DigestStory[]; company: DigestStory[] } {
  const q = circulating(ctx.runtime.db);
  return {
    department: digestStories(ctx, q.inDepartment.all(departmentId, week.from, week.to, PER_LIST)),
    company: digestStories(ctx, q.anywhere.all(week.from, week.to, PER_LIST)),
  };
}

/**
 * Queues this week's digests, once per week (whichever process gets there first; the week is
 * marked in the outbox in the same transaction): to every current employee with an address who
 * has not turned the digest off, when the admins have turned it on. A week with nothing going
 * around, in the person's department or the company, sends them nothing. Returns how many were
 * queued, or null when the week's digests had been queued already (or the digest is off).
 */
export function queueDigests(ctx: Ctx): number | null {
  const mail = ctx.mail;
  if (!mail) return null;
  const db = ctx.runtime.db;
  if (!weeklyDigestOn(db)) return null;
  const now = ctx.clock();
  const week = digestWeekOf(now);
  // serve asks every few seconds: most of the time the week is done, and nothing is worked out
  if (mail.outbox.digestWeekQueued(week.sentIn)) return null;
  let queued = 0;
  const org = orgQueries(db);
  const departments = new Map(org.departments().map((d) => [d.departmentId, d.name]));
  const company = digestStories(ctx, circulating(db).anywhere.all(week.from, week.to, PER_LIST));
  const perDepartment = new Map<string, DigestStory[]>();
  const done = mail.outbox.digestWeek(week.sentIn, now.getTime(), () => {
    for (const e of org.employees()) {
      if (e.leftAt || !e.email || !wantsEmail(db, e.employeeId, 'digest')) continue;
      let department = perDepartment.get(e.departmentId);
      if (!department) perDepartment.set(e.departmentId, (department = digestStories(ctx, circulating(db).inDepartment.all(e.departmentId, week.from, week.to, PER_LIST))));
      if (department.length === 0 && company.length === 0) continue;
      const unsubscribe = unsubscribeUrl(ctx, e.employeeId, 'digest');
      const added = mail.outbox.add(
        {
          key: `digest:${e.employeeId}:${week.sentIn}`,
          kind: 'digest',
          employeeId: e.employeeId,
          to: e.email,
          ...digestEmail({
            name: e.name,
            departmentName: departments.get(e.departmentId) ?? 'your department',
            weekOf: week.weekOf,
            department,
            company,
            unsubscribeUrl: unsubscribe,
            settingsUrl: emailSettingsUrl(ctx),
          }),
          unsubscribeUrl: unsubscribe,
        },
        now.getTime(),
      );
      if (added) queued += 1;
    }
  });
  return done ? queued : null;
}

/**
 * Whether a due mail should still go (the worker asks just before sending): not to someone who has
 * left since it was queued, nor a kind they have turned off since. An invitation goes to a
 * current employee whatever they chose (an admin asked for it).
 */
export function stillWanted(ctx: Pick<AppContext, 'runtime'>, mail: Pick<ClaimedMail, 'employeeId' | 'kind'>): string | null {
  const e = orgQueries(ctx.runtime.db).employee(mail.employeeId);
  if (!e || e.leftAt) return 'the recipient is no longer an employee';
  if (mail.kind !== 'invitation' && !wantsEmail(ctx.runtime.db, mail.employeeId, mail.kind)) return 'the recipient turned these emails off';
  return null;
}
