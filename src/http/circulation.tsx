import { Hono } from 'hono';
import type { Context } from 'hono';
import { Id } from '../../events/common.ts';
import { Setting } from '../../events/circulation.ts';
import { recordHeard, recordShare } from '../circulation/record.ts';
import type { DomainError } from '../domain/decider.ts';
import { orgQueries } from '../read/org.ts';
import { getStory, maySee } from '../read/stories.ts';
import { panelFor, renderStoryPage } from './story-page.tsx';
import type { AppContext, AppEnv, CurrentUser } from './env.ts';
import { statusOf } from './refusal.ts';
import type { RefusalStatus } from './refusal.ts';
import type { PanelState } from '../../views/fragments/circulation-panel.tsx';
import type { Colleague } from '../../views/fragments/colleague-picker.tsx';
import { ColleagueResults } from '../../views/fragments/colleague-picker.tsx';

/**
 * Recording circulation from the story page: "I've heard this one" (StoryHeard), "Send to a
 * colleague" (StoryShared), and the colleague picker's live search. Each post answers with the
 * whole circulation panel (htmx swaps it in place); without htmx it redirects back to the story.
 */
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** Current colleagues whose name contains `q` (not the person asking), with their department. */
function searchColleagues(ctx: AppContext, q: string, self: string, limit = 8): Colleague[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return [];
  const org = orgQueries(ctx.runtime.db);
  const names = new Map(org.departments().map((d) => [d.departmentId, d.name]));
  return org
    .employees()
    .filter((e) => !e.leftAt && e.employeeId !== self && e.name.toLowerCase().includes(needle))
    .slice(0, limit)
    .map((e) => ({ employeeId: e.employeeId, name: e.name, department: names.get(e.departmentId) ?? '' }));
}

type Resolved = { ok: true; id: string | undefined } | { ok: false; error: string; matches: Colleague[] };

/** A chosen id wins; otherwise a typed name that matches exactly one colleague. */
function resolveColleague(ctx: AppContext, user: CurrentUser, chosen: string, typed: string, required: boolean): Resolved {
  if (chosen) return Id.safeParse(chosen).success ? { ok: true, id: chosen } : { ok: false, error: 'choose a colleague from the list', matches: [] };
  if (!typed) return required ? { ok: false, error: 'choose a colleague', matches: [] } : { ok: true, id: undefined };
  const matches = searchColleagues(ctx, typed, user.employeeId);
  if (matches.length === 1) return { ok: true, id: matches[0]!.employeeId };
  return { ok: false, error: matches.length === 0 ? `nobody here matches “${typed}”` : 'several colleagues match: choose one', matches };
}

export function circulationRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /**
   * htmx: the whole panel, swapped in place. Without JavaScript: back to the story when it worked;
   * when it was refused, the whole story page again with the panel holding the message (once).
   */
  const answer = async (c: Context<AppEnv>, storyId: string, state: PanelState, status: 200 | RefusalStatus) => {
    const viewer = c.get('user')!;
    const story = getStory(ctx.runtime.db, storyId);
    if (!story || story.retracted) return c.text('No such story', 404);
    // awaiting review and not theirs to see: the refusal (422) without the story page
    if (!maySee(story, viewer)) return c.text('This story is awaiting review: nothing can be recorded for it.', status === 200 ? 404 : status);
    if (c.req.header('hx-request')) return c.html(panelFor(ctx, viewer, story, state), status);
    if (status === 200) return c.redirect(`/stories/${encodeURIComponent(storyId)}`, 303);
    return renderStoryPage(ctx, c, viewer, story, { status: status === 409 || status === 403 ? status : 422, panel: state });
  };

  const refused = (c: Context<AppEnv>, storyId: string, form: 'heard' | 'share', r: DomainError, values: PanelState['values']) => {
    const status = statusOf(r);
    if (status === 404) return c.text('No such story', status);
    const field = r.field === 'fromId' || r.field === 'toId' ? r.field : 'form';
    return answer(c, storyId, { form, errors: { [field]: r.message }, values }, status);
  };

  app.get('/colleagues', (c) => {
    const field = c.req.query('fromIdQ') !== undefined ? 'fromId' : 'toId';
    const q = str(c.req.query(`${field}Q`) ?? c.req.query('q'));
    return c.html(<ColleagueResults field={field} matches={searchColleagues(ctx, q, c.get('user')!.employeeId)} query={q} />);
  });

  app.post('/stories/:id/heard', async (c) => {
    const storyId = c.req.param('id');
    if (!Id.safeParse(storyId).success) return c.text('No such story', 404);
    const user = c.get('user')!;
    const form = await c.req.parseBody();
    const values = { setting: str(form['setting']), fromId: str(form['fromId']), fromIdQ: str(form['fromIdQ']) };
    const setting = Setting.safeParse(values.setting);
    const from = resolveColleague(ctx, user, values.fromId, values.fromIdQ, false);
    const errors: Record<string, string> = {};
    if (!setting.success) errors['setting'] = 'choose where you heard it';
    if (!from.ok) errors['fromId'] = from.error;
    if (!setting.success || !from.ok) return answer(c, storyId, { form: 'heard', errors, values, matches: from.ok ? [] : from.matches }, 422);
    const r = await recordHeard(ctx, { storyId, listenerId: user.employeeId, setting: setting.data, ...(from.id !== undefined ? { fromId: from.id } : {}) });
    if ('error' in r) return refused(c, storyId, 'heard', r, values);
    const message = r.recorded ? 'Thank you: noted that you had heard it.' : 'You had already said you heard it today: nothing new was recorded.';
    return answer(c, storyId, { message }, 200);
  });

  app.post('/stories/:id/share', async (c) => {
    const storyId = c.req.param('id');
    if (!Id.safeParse(storyId).success) return c.text('No such story', 404);
    const user = c.get('user')!;
    const form = await c.req.parseBody();
    const values = { toId: str(form['toId']), toIdQ: str(form['toIdQ']) };
    const to = resolveColleague(ctx, user, values.toId, values.toIdQ, true);
    if (!to.ok) return answer(c, storyId, { form: 'share', errors: { toId: to.error }, values, matches: to.matches }, 422);
    const r = await recordShare(ctx, { storyId, fromId: user.employeeId, toId: to.id! });
    if ('error' in r) return refused(c, storyId, 'share', r, values);
    return answer(c, storyId, { message: 'Sent: it will be on their home page.' }, 200);
  });

  return app;
}
