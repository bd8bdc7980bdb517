import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import { Reason } from '../../events/stories.ts';
import { handle } from '../command.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import { settingsDecider, settingsStream } from '../domain/settings.ts';
import { storyDecider, storyStream } from '../domain/stories.ts';
import { awaitingReview, getStory, isCurator, reviewBeforePublishing, reviewQueue } from '../read/stories.ts';
import { ReviewQueuePage } from '../../views/pages/review-queue.tsx';
import type { ReviewQueueProps } from '../../views/pages/review-queue.tsx';
import { SettingsPage } from '../../views/pages/admin-settings.tsx';
import { digestNotice, digestSetting } from './email.tsx';
import type { AppContext, AppEnv, CurrentUser } from './env.ts';
import { statusOf } from './refusal.ts';
import type { RefusalStatus } from './refusal.ts';

type C = Context<AppEnv>;

/**
 * Review before publishing (issue 12): the admin's setting (`/admin/settings`) and the curators'
 * queue (`/review`), where a story awaiting review is approved or returned to its teller with a
 * note. Who may use each route is in the access table (admins; curators).
 */
const NOTICES: Record<string, string> = {
  approved: 'Approved: the story is published.',
  returned: 'Returned to its teller with your note.',
  on: 'Review before publishing is on: stories told from now on wait for a curator.',
  off: 'Review before publishing is off: stories told from now on are published at once.',
};

const me = (c: C): CurrentUser => {
  const user = c.get('user');
  if (!user) throw new Error('the access table lets no anonymous request reach this route');
  return user;
};

const Note = z.string().pipe(Reason);

export function reviewRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = ctx.runtime.db;

  // ---- the admin's setting ----

  app.get('/admin/settings', (c) => {
    c.header('Cache-Control', 'private, no-store');
    return c.render(<SettingsPage reviewOn={reviewBeforePublishing(db)} waiting={reviewQueue(db).length} notice={NOTICES[c.req.query('done') ?? ''] ?? digestNotice(c.req.query('done'))} digest={digestSetting(ctx)} />, { title: 'Settings' });
  });

  app.post('/admin/settings', async (c) => {
    const form = await c.req.parseBody();
    const value = form['reviewBeforePublishing'];
    if (value !== 'on' && value !== 'off') {
      c.status(422);
      return c.render(
        <SettingsPage reviewOn={reviewBeforePublishing(db)} waiting={reviewQueue(db).length} notice="Choose on or off: nothing was changed." digest={digestSetting(ctx)} />,
        { title: 'Settings' },
      );
    }
    const result = await handle(ctx, settingsStream, settingsDecider, { type: 'ChangeSettings', reviewBeforePublishing: value === 'on' }, { actor: me(c).employeeId });
    if (isDomainError(result)) return c.text(result.message, statusOf(result));
    return c.redirect(`/admin/settings?done=${value}`, 303);
  });

  // ---- the curators' queue ----

  const queuePage = (c: C, extra: Pick<ReviewQueueProps, 'notice' | 'failed'> = {}, status: 200 | RefusalStatus = 200) => {
    c.status(status);
    c.header('Cache-Control', 'private, no-store');
    return c.render(
      <ReviewQueuePage queue={reviewQueue(db)} viewer={me(c)} now={ctx.clock()} reviewOn={reviewBeforePublishing(db)} {...extra} />,
      { title: 'Review queue' },
    );
  };

  app.get('/review', (c) => queuePage(c, { notice: NOTICES[c.req.query('done') ?? ''] }));

  const refused = (c: C, e: DomainError) => queuePage(c, { notice: e.message }, statusOf(e));

  const review = (kind: 'approve' | 'return') => async (c: C) => {
    const user = me(c);
    const storyId = c.req.param('id') ?? '';
    const story = getStory(db, storyId);
    if (!story) return refused(c, { error: 'not-found', kind: 'not-found', message: 'There is no such story.' });
    const actor = { employeeId: user.employeeId, curator: isCurator(user) };
    const awaiting = awaitingReview(story);
    let note = '';
    if (kind === 'return') {
      const typed = (await c.req.parseBody())['note'];
      const parsed = Note.safeParse(typeof typed === 'string' ? typed : '');
      note = typeof typed === 'string' ? typed : '';
      if (!parsed.success) {
        return queuePage(c, { failed: { storyId, note, message: `The note ${parsed.error.issues[0]?.message ?? 'is not valid'}.` } }, 422);
      }
      note = parsed.data;
    }
    const result = await handle(
      ctx,
      storyStream(storyId),
      storyDecider,
      kind === 'approve' ? { type: 'ApproveStory', storyId, actor, awaiting } : { type: 'ReturnStory', storyId, actor, awaiting, note },
      { actor: user.employeeId },
    );
    if (isDomainError(result)) {
      if (result.field === 'note') return queuePage(c, { failed: { storyId, note, message: result.message } }, statusOf(result));
      return refused(c, result);
    }
    return c.redirect(`/review?done=${kind === 'approve' ? 'approved' : 'returned'}`, 303);
  };
  app.post('/review/:id/approve', review('approve'));
  app.post('/review/:id/return', review('return'));

  return app;
}
