import { Hono } from 'hono';
import type { Context } from 'hono';
import type { EmailKind } from '../../events/mail.ts';
import { handle } from '../command.ts';
import { emailSettingsDecider, emailSettingsStream, preferencesDecider, preferencesStream } from '../domain/email.ts';
import { isDomainError } from '../domain/decider.ts';
import { wantsEmail, weeklyDigestOn } from '../projections/email.ts';
import { orgQueries } from '../read/org.ts';
import { readUnsubscribeToken } from '../mail/unsubscribe.ts';
import type { EmailOverview } from '../../views/fragments/email-panel.tsx';
import { EmailSettingsPage } from '../../views/pages/email-settings.tsx';
import { SettingsPage } from '../../views/pages/admin-settings.tsx';
import { reviewBeforePublishing, reviewQueue } from '../read/stories.ts';
import { UnsubscribeInvalidPage, UnsubscribePage } from '../../views/pages/unsubscribe.tsx';
import type { AppContext, AppEnv } from './env.ts';
import { statusOf } from './refusal.ts';

type C = Context<AppEnv>;

/**
 * Email's pages (issue 14): a person's own choices (/me/email), the unsubscribe links of every
 * email (public: the signed token is the permission), the admins' weekly digest switch (a form on
 * /admin/settings) and "try again" for a failed send (the admin home's Email panel). Who may use
 * each route is in the access table.
 */
const onOff = (v: unknown): boolean | null => (v === 'on' ? true : v === 'off' ? false : null);

/** Sets one person's choice; setting it to what it is records nothing. */
function setPreference(ctx: AppContext, employeeId: string, kind: EmailKind, enabled: boolean) {
  // 'any': two saves at once both decide from what they read, and the later one's choice stands
  return handle(ctx, preferencesStream(employeeId), preferencesDecider, { type: 'SetPreference', employeeId, kind, enabled }, { actor: employeeId, expected: 'any' });
}

export const digestSetting = (ctx: AppContext): { on: boolean; smtp: boolean } => ({ on: weeklyDigestOn(ctx.runtime.db), smtp: !!ctx.mail });

const DIGEST_NOTICES: Record<string, string> = {
  'digest-on': 'The weekly digest is on: it goes out every Monday.',
  'digest-off': 'The weekly digest is off.',
};
export const digestNotice = (code: string | undefined): string | undefined => DIGEST_NOTICES[code ?? ''];

/** The admin home's Email panel. */
export function emailOverview(ctx: AppContext): EmailOverview {
  if (!ctx.mail) return { smtp: false, counts: { queued: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 }, failed: [] };
  const org = orgQueries(ctx.runtime.db);
  return {
    smtp: true,
    counts: ctx.mail.outbox.counts(),
    failed: ctx.mail.outbox.failed().map((f) => ({ ...f, name: org.employee(f.employeeId)?.name ?? f.employeeId })),
  };
}

export function emailRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = ctx.runtime.db;

  // ---- a person's own choices ----

  const settingsPage = (c: C, extra: { notice?: string; error?: string } = {}, status: 200 | 422 = 200) => {
    const me = c.get('user')!;
    c.status(status);
    c.header('Cache-Control', 'private, no-store');
    return c.render(
      <EmailSettingsPage
        wants={{ shared: wantsEmail(db, me.employeeId, 'shared'), digest: wantsEmail(db, me.employeeId, 'digest') }}
        email={orgQueries(db).employee(me.employeeId)?.email ?? null}
        smtp={!!ctx.mail}
        digestOn={weeklyDigestOn(db)}
        {...extra}
      />,
      { title: 'Your email' },
    );
  };

  app.get('/me/email', (c) => settingsPage(c, c.req.query('done') === 'saved' ? { notice: 'Saved.' } : {}));

  app.post('/me/email', async (c) => {
    const me = c.get('user')!;
    const form = await c.req.parseBody();
    const shared = onOff(form['shared']);
    const digest = onOff(form['digest']);
    if (shared === null || digest === null) return settingsPage(c, { error: 'Choose on or off for each: nothing was changed.' }, 422);
    for (const [kind, enabled] of [['shared', shared], ['digest', digest]] as const) {
      const r = await setPreference(ctx, me.employeeId, kind, enabled);
      if (isDomainError(r)) return c.text(r.message, statusOf(r));
    }
    return c.redirect('/me/email?done=saved', 303);
  });

  // ---- unsubscribe links: no session; the token names the person and the kind ----

  app.get('/unsubscribe/:token', (c) => {
    const token = c.req.param('token');
    const named = readUnsubscribeToken(ctx, token);
    c.header('Cache-Control', 'no-store');
    if (!named) {
      c.status(404);
      return c.render(<UnsubscribeInvalidPage />, { title: 'Unsubscribe' });
    }
    return c.render(<UnsubscribePage token={token} kind={named.kind} done={false} />, { title: 'Unsubscribe' });
  });

  // the page's button, and a mail client's one-click unsubscribe (RFC 8058) both POST here
  app.post('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    const named = readUnsubscribeToken(ctx, token);
    c.header('Cache-Control', 'no-store');
    if (!named || !orgQueries(db).employee(named.employeeId)) {
      c.status(404);
      return c.render(<UnsubscribeInvalidPage />, { title: 'Unsubscribe' });
    }
    const kinds: EmailKind[] = named.kind === 'all' ? ['shared', 'digest'] : [named.kind];
    for (const kind of kinds) {
      const r = await setPreference(ctx, named.employeeId, kind, false);
      if (isDomainError(r)) return c.text(r.message, statusOf(r));
    }
    return c.render(<UnsubscribePage token={token} kind={named.kind} done={true} />, { title: 'Unsubscribe' });
  });

  // ---- the admins' side ----

  app.post('/admin/settings/email', async (c) => {
    const form = await c.req.parseBody();
    const on = onOff(form['weeklyDigest']);
    if (on === null) {
      c.status(422);
      return c.render(
        <SettingsPage reviewOn={reviewBeforePublishing(db)} waiting={reviewQueue(db).length} notice="Choose on or off for the weekly digest: nothing was changed." digest={digestSetting(ctx)} />,
        { title: 'Settings' },
      );
    }
    const r = await handle(ctx, emailSettingsStream, emailSettingsDecider, { type: 'ChangeEmailSettings', weeklyDigest: on }, { actor: c.get('user')!.employeeId });
    if (isDomainError(r)) return c.text(r.message, statusOf(r));
    return c.redirect(`/admin/settings?done=${on ? 'digest-on' : 'digest-off'}`, 303);
  });

  app.post('/admin/email/:id/retry', (c) => {
    const id = Number(c.req.param('id'));
    if (!ctx.mail || !Number.isSafeInteger(id) || !ctx.mail.outbox.requeue(id, ctx.clock().getTime())) return c.text('No such failed email', 404);
    return c.redirect('/admin', 303);
  });

  return app;
}
