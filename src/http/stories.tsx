import { keptUntilViewsChange } from '../read/kept.ts';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { parseEvent } from '../../events/catalogue.ts';
import type { DataOf } from '../../events/catalogue.ts';
import { z } from 'zod';
import { Body, Reason, Title } from '../../events/stories.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import { handle } from '../command.ts';
import { nameUuid, sha256Hex } from '../ids.ts';
import { storyDecider, storyRefErrors, storyStream } from '../domain/stories.ts';
import type { Actor, StoryCommand } from '../domain/stories.ts';
import { recordRead } from '../circulation/record-read.ts';
import { orgQueries } from '../read/org.ts';
import { getStory, isCurator, listThemes, maySee, storyRefs } from '../read/stories.ts';
import { renderStoryPage } from './story-page.tsx';
import { colleagueNames, leaderCandidates, peopleStanding, resolveLeader } from './leaders.tsx';
import type { Story } from '../read/stories.ts';
import { ConcurrencyError } from '../store/port.ts';
import { emptyStoryForm, StoryForm } from '../../views/fragments/story-form.tsx';
import type { FieldErrors, StoryFormValues } from '../../views/fragments/story-form.tsx';
import { StoryNewPage } from '../../views/pages/story-new.tsx';
import { StoryGonePage } from '../../views/pages/story.tsx';
import { AmendPage, RetractPage } from '../../views/pages/story-amend.tsx';
import type { AmendValues } from '../../views/pages/story-amend.tsx';
import type { AppContext, AppEnv, CurrentUser } from './env.ts';
import { formStrings, text, validForm } from './forms.ts';
import type { FormValues } from './forms.ts';
import { statusOf } from './refusal.ts';
import type { RefusalStatus } from './refusal.ts';

type C = Context<AppEnv>;
type Form = Record<string, string | File | (string | File)[]>;

/** The amend form: a missing or malformed revision means the form was not one Hallway served. */
const AmendForm = z.object({
  title: text(Title),
  body: text(Body),
  reason: text(Reason),
  expectedRevision: text(z.string().regex(/^\d{1,9}$/)).transform(Number),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one idempotency mechanism for telling a story: its id comes from the teller, the form's
 * idempotency key and what was typed, and it is appended with no_stream under an event id derived
 * from it. The same form sent twice (a double click, a retry) is a no-op on both stores; a form
 * brought back with the browser's Back button, edited and sent again is a new story.
 */
export const storyIdFor = (tellerId: string, key: string, content: string): string => nameUuid(`hallway-story:${tellerId}:${key}:${sha256Hex(content)}`);
const eventIdFor = (storyId: string): string => nameUuid(`hallway-story-event:${storyId}`);

const all = (form: Form, name: string): string[] => {
  const v = form[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string');
};
const one = (form: Form, name: string): string => all(form, name)[0] ?? '';

/** Zod issues keyed by the form field they belong to (`themes.2` belongs to `themes`). */
function fieldErrors(issues: { path: string; message: string }[], messages: Record<string, string> = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const i of issues) {
    const field = i.path.split('.')[0] || 'form';
    (errors[field] ??= []).push(messages[field] ?? i.message);
  }
  return errors;
}

const addError = (errors: FieldErrors, e: DomainError): void => {
  (errors[e.field ?? 'form'] ??= []).push(e.message);
};

const me = (c: C): CurrentUser => {
  const user = c.get('user');
  if (!user) throw new Error('the access table lets no anonymous request reach this route');
  return user;
};
const actorOf = (user: CurrentUser): Actor => ({ employeeId: user.employeeId, curator: isCurator(user) });

const isHtmx = (c: C): boolean => c.req.header('hx-request') === 'true';

/** 303 for a plain form post; for htmx, an HX-Redirect (a fetch would follow a 303 and swap the page into the form). */
function redirectTo(c: C, url: string): Response {
  if (isHtmx(c)) {
    c.header('HX-Redirect', url);
    return c.body(null, 200);
  }
  return c.redirect(url, 303);
}

function refusal(c: C, e: DomainError) {
  const status = statusOf(e);
  c.status(status);
  return c.render(
    <section class="narrow">
      <h1>{status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'That did not work'}</h1>
      <p role="alert">{e.message}</p>
      <p><a href="/">Home</a></p>
    </section>,
    { title: 'Not done' },
  );
}

export function storyRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = ctx.runtime.db;
  const org = () => orgQueries(db);

  const readable = (storyId: string, viewer: CurrentUser | null): Story | undefined => {
    const s = getStory(db, storyId);
    return s && (!s.retracted || isCurator(viewer)) && maySee(s, viewer) ? s : undefined;
  };

  const formProps = (values: StoryFormValues, errors: FieldErrors, viewer: CurrentUser) => {
    const retold = values.retellingOf ? readable(values.retellingOf, viewer) : undefined;
    return {
      values,
      errors,
      themes: listThemes(db),
      departments: org().departments().filter((d) => d.open),
      retelling: retold ? { storyId: retold.storyId, title: retold.title } : undefined,
      original: retold,
      leaderNames: colleagueNames(ctx),
      leaderMatches: values.leader ? leaderCandidates(ctx, values.leader) : [],
    };
  };

  // ---- tell a story ----

  app.get('/stories/new', (c) => {
    const retellingOf = c.req.query('retellingOf') ?? '';
    const values = emptyStoryForm(ctx.newId(), retellingOf);
    // a retelling starts from the original: its leader, date, place and (still active) themes
    const original = retellingOf ? readable(retellingOf, me(c)) : undefined;
    if (original) {
      const active = new Set(listThemes(db).map((t) => t.themeId));
      const open = new Set(org().departments().filter((d) => d.open).map((d) => d.departmentId));
      values.leader = original.leader;
      values.leaderId = original.leaderId ?? '';
      values.occurredOn = original.occurredOn;
      values.themes = original.themes.map((t) => t.themeId).filter((t) => active.has(t));
      values.happenedIn = original.happenedIn && open.has(original.happenedIn) ? original.happenedIn : '';
      values.relation = 'heard';
    }
    return c.render(<StoryNewPage {...formProps(values, {}, me(c))} />, { title: 'Tell a story' });
  });

  app.post('/stories', async (c) => {
    const user = me(c);
    const form = (await c.req.parseBody({ all: true })) as Form;
    const keyIn = one(form, 'idempotencyKey');
    const key = UUID.test(keyIn) ? keyIn.toLowerCase() : ctx.newId();
    const values: StoryFormValues = {
      title: one(form, 'title'),
      body: one(form, 'body'),
      leader: one(form, 'leader'),
      leaderId: one(form, 'leaderId'),
      happenedIn: one(form, 'happenedIn'),
      occurredOn: one(form, 'occurredOn').trim(),
      themes: all(form, 'themes'),
      relation: one(form, 'relation'),
      retellingOf: one(form, 'retellingOf'),
      anonymous: ['true', 'on', '1'].includes(one(form, 'anonymous')),
      idempotencyKey: key,
    };
    const { idempotencyKey: _key, ...typed } = values;
    const storyId = storyIdFor(user.employeeId, key, JSON.stringify(typed));

    const leader = resolveLeader(ctx, values.leader, values.leaderId);
    const candidate = {
      storyId,
      title: values.title,
      body: values.body,
      tellerId: user.employeeId,
      leader: leader.leader,
      ...(leader.leaderId !== undefined ? { leaderId: leader.leaderId } : {}),
      ...(values.happenedIn ? { happenedIn: values.happenedIn } : {}),
      occurredOn: values.occurredOn,
      themes: values.themes,
      relation: values.relation,
      ...(values.retellingOf ? { retellingOf: values.retellingOf } : {}),
      anonymous: values.anonymous,
    };
    const parsed = parseEvent('StorySubmitted', candidate);
    const errors = parsed.ok ? {} : fieldErrors(parsed.issues, { relation: 'choose how you know it', leaderId: 'choose the person from the suggestions' });
    // the person chosen for the leader is answered beside the leader's field
    if (errors['leaderId']) {
      (errors['leader'] ??= []).push(...errors['leaderId']);
      delete errors['leaderId'];
    }
    const refs = storyRefs(db, {
      themes: values.themes,
      departments: values.happenedIn ? [values.happenedIn] : [],
      stories: values.retellingOf ? [values.retellingOf] : [],
    });
    refs.people = peopleStanding(ctx, leader.leaderId !== undefined ? [leader.leaderId] : []);
    let data: DataOf<'StorySubmitted'> | undefined;
    if (parsed.ok && parsed.event.type === 'StorySubmitted') {
      data = parsed.event.data;
      for (const e of storyRefErrors(data, refs)) addError(errors, e);
    }

    const refuse = (status: RefusalStatus) => {
      const props = formProps(values, errors, user);
      if (isHtmx(c)) return c.html(<StoryForm {...props} />, status);
      c.status(status);
      return c.render(<StoryNewPage {...props} />, { title: 'Tell a story' });
    };
    if (!data || Object.keys(errors).length > 0) return refuse(422);

    const command: StoryCommand = { type: 'TellStory', data, refs };
    const result = await handle(ctx, storyStream(storyId), storyDecider, command, { actor: user.employeeId, expected: 'new', ids: [eventIdFor(storyId)] });
    if (isDomainError(result)) {
      addError(errors, result);
      return refuse(statusOf(result));
    }
    // the story page with its thank-you and what happens next (shown to the teller only)
    return redirectTo(c, `/stories/${storyId}?told=1`);
  });

  // ---- the story page ----

  const renderStory = (c: C, story: Story, notice?: string, status: 200 | 409 | 422 = 200) =>
    renderStoryPage(ctx, c, me(c), story, { ...(notice ? { notice } : {}), status });

  const gone = (c: C, status: 404 | 410) => {
    c.status(status);
    return c.render(<StoryGonePage status={status} />, { title: status === 410 ? 'Retracted' : 'Not found' });
  };

  /** The story if this viewer may see it, else the 404/410 response. */
  const storyOr = (c: C, storyId: string): Story | Response | Promise<Response> => {
    // read once per version of the read models (a busy story page reads it for every request)
    const story = keptUntilViewsChange(db, `story-row:${storyId}`, () => getStory(db, storyId) ?? null) ?? undefined;
    // awaiting review: only its teller and curators know it is there
    if (!story || !maySee(story, me(c))) return gone(c, 404);
    if (story.retracted && !isCurator(me(c))) return gone(c, 410);
    return story;
  };

  app.get('/stories/:id', async (c) => {
    const user = me(c);
    const found = storyOr(c, c.req.param('id'));
    if (!('storyId' in found)) return found;
    // queued, not awaited: the page does not wait for the read's append (src/circulation/record-read.ts)
    // the archive as it stood on a date is not today's story: looking at it is not a read
    if (!found.retracted && !ctx.asOf) recordRead(ctx, user, found.storyId, found.tellerId);
    const thanks = c.req.query('told') === '1' && found.tellerId === user.employeeId && !found.retracted;
    return renderStoryPage(ctx, c, user, found, { thanks });
  });

  // ---- amend ----

  const mayChange = (story: Story, user: CurrentUser): boolean => isCurator(user) || story.tellerId === user.employeeId;
  const forbidden: DomainError = { error: 'forbidden', kind: 'forbidden', message: 'Only the teller of a story and curators may change it.' };

  app.get('/stories/:id/amend', async (c) => {
    const found = storyOr(c, c.req.param('id'));
    if (!('storyId' in found)) return found;
    if (!mayChange(found, me(c))) return refusal(c, forbidden);
    if (found.retracted) return refusal(c, { error: 'retracted', kind: 'conflict', message: 'A retracted story cannot be amended.' });
    const values: AmendValues = { title: found.title, body: found.body, reason: '', expectedRevision: String(found.revision) };
    return c.render(<AmendPage story={found} values={values} errors={{}} />, { title: `Amend ${found.title}` });
  });

  const amendValues = (form: FormValues): AmendValues => ({
    title: form['title'] ?? '',
    body: form['body'] ?? '',
    reason: form['reason'] ?? '',
    expectedRevision: form['expectedRevision'] ?? '',
  });
  // <form method="post" action="/stories/ID/amend"> title, body, reason, expectedRevision (hidden)
  const amendForm = validForm(AmendForm, (c, { expectedRevision, ...errors }, values) => {
    const found = storyOr(c, c.req.param('id') ?? '');
    if (!('storyId' in found)) return found;
    if (!mayChange(found, me(c))) return refusal(c, forbidden);
    if (expectedRevision) (errors['form'] ??= []).push('The form is missing the revision it was based on; open it again.');
    return c.render(<AmendPage story={found} values={amendValues(values)} errors={errors} />, { title: `Amend ${found.title}` });
  });

  app.post('/stories/:id/amend', amendForm, async (c) => {
    const user = me(c);
    const found = storyOr(c, c.req.param('id'));
    if (!('storyId' in found)) return found;
    if (!mayChange(found, user)) return refusal(c, forbidden);
    const { title, body, reason, expectedRevision: expected } = c.req.valid('form');
    const values = amendValues(formStrings(await c.req.parseBody()));
    const errors: FieldErrors = {};
    const refuse = (status: RefusalStatus, story: Story, conflict = false) => {
      c.status(status);
      return c.render(<AmendPage story={story} values={values} errors={errors} conflict={conflict} />, { title: `Amend ${story.title}` });
    };

    let result;
    try {
      result = await handle(
        ctx,
        storyStream(found.storyId),
        storyDecider,
        { type: 'AmendStory', storyId: found.storyId, actor: actorOf(user), title, body, reason },
        { actor: user.employeeId, expected },
      );
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      // Someone else amended first: show the story as it is now and keep this person's text,
      // now based on the current revision so sending it again is a deliberate choice.
      await ctx.runtime.waitFor(await ctx.store.headPosition());
      const now = getStory(db, found.storyId) ?? found;
      values.expectedRevision = String(now.revision);
      return refuse(statusOf(err), now, true);
    }
    if (isDomainError(result)) {
      if (result.kind === 'invalid') {
        addError(errors, result);
        return refuse(statusOf(result), found);
      }
      return refusal(c, result);
    }
    return redirectTo(c, `/stories/${found.storyId}`);
  });

  // ---- retract ----

  app.get('/stories/:id/retract', async (c) => {
    const found = storyOr(c, c.req.param('id'));
    if (!('storyId' in found)) return found;
    if (!mayChange(found, me(c))) return refusal(c, forbidden);
    return c.render(<RetractPage story={found} reason="" errors={{}} />, { title: `Retract ${found.title}` });
  });

  // <form method="post" action="/stories/ID/retract"> reason
  const retractForm = validForm(z.object({ reason: text(Reason) }), (c, errors, values) => {
    const found = storyOr(c, c.req.param('id') ?? '');
    if (!('storyId' in found)) return found;
    if (!mayChange(found, me(c))) return refusal(c, forbidden);
    return c.render(<RetractPage story={found} reason={values['reason'] ?? ''} errors={errors} />, { title: `Retract ${found.title}` });
  });

  app.post('/stories/:id/retract', retractForm, async (c) => {
    const user = me(c);
    const found = storyOr(c, c.req.param('id'));
    if (!('storyId' in found)) return found;
    if (!mayChange(found, user)) return refusal(c, forbidden);
    const reason = { data: c.req.valid('form').reason };
    const result = await handle(
      ctx,
      storyStream(found.storyId),
      storyDecider,
      { type: 'RetractStory', storyId: found.storyId, actor: actorOf(user), reason: reason.data },
      { actor: user.employeeId },
    );
    if (isDomainError(result)) return refusal(c, result);
    // curators keep seeing a retracted story; for everyone else it is gone
    return redirectTo(c, isCurator(user) ? `/stories/${found.storyId}` : '/timelines');
  });

  // ---- re-theme (curators) ----

  const retheme = (add: boolean) => async (c: C) => {
    const user = me(c);
    const storyId = c.req.param('id') ?? '';
    const found = storyOr(c, storyId);
    if (!('storyId' in found)) return found;
    const form = (await c.req.parseBody({ all: true })) as Form;
    const themeId = one(form, 'themeId');
    const command: StoryCommand = add
      ? { type: 'ThemeStory', storyId, actor: actorOf(user), themeId, refs: storyRefs(db, { themes: [themeId] }) }
      : { type: 'UnthemeStory', storyId, actor: actorOf(user), themeId };
    const result = await handle(ctx, storyStream(storyId), storyDecider, command, { actor: user.employeeId });
    if (isDomainError(result)) {
      if (result.kind === undefined || result.kind === 'invalid') return renderStory(c, found, `Theme ${themeId || '(none)'} ${result.message}.`, 422);
      return refusal(c, result);
    }
    return redirectTo(c, `/stories/${storyId}?themed=${add ? 'added' : 'removed'}&theme=${encodeURIComponent(themeId)}#retheme-heading`);
  };
  app.post('/stories/:id/themes', retheme(true));
  app.post('/stories/:id/themes/remove', retheme(false));

  return app;
}
