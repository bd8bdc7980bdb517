import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import { Id } from '../../events/common.ts';
import { ThemeDefined, ThemeDescribed } from '../../events/stories.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import { handle } from '../command.ts';
import { curationDecider, START_HERE_STREAM } from '../domain/curation.ts';
import { themeDecider, themeNameKey, themeStream } from '../domain/themes.ts';
import { getTheme, isCurator, listThemes, pickableStories, startHerePicks, storyRefs } from '../read/stories.ts';
import { ConcurrencyError } from '../store/port.ts';
import { CurationPage, PickSuggestions, RetireConfirm } from '../../views/pages/curation.tsx';
import type { CurationNotice, CurationProps, PickSuggestion } from '../../views/pages/curation.tsx';
import type { FieldErrors } from '../../views/fragments/story-form.tsx';
import type { AppContext, AppEnv, CurrentUser } from './env.ts';
import { statusOf } from './refusal.ts';
import { formStrings, text, validForm } from './forms.ts';
import type { FormValues } from './forms.ts';
import type { RefusalStatus } from './refusal.ts';

type C = Context<AppEnv>;

/** how many stories the picks' search box suggests at once */
const PICK_SUGGESTIONS = 8;
type Form = Record<string, string | File | (string | File)[]>;

const all = (form: Form, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
};
const one = (form: Form, name: string): string => all(form, name)[0] ?? '';

const me = (c: C): CurrentUser => {
  const user = c.get('user');
  if (!user) throw new Error('the access table lets no anonymous request reach this route');
  return user;
};

/** A theme id made from its name (`Customer first` → `customer-first`), when the curator gives none. */
export function slugFor(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

const revisionOf = (s: string): number | undefined => (/^-?\d{1,9}$/.test(s) ? Number(s) : undefined);

/** Applies one button of the picks form (`up:ID`, `down:ID`, `remove:ID`, `add`) to the list it showed. */
export function applyPickOp(ids: string[], op: string, add: string): string[] {
  const list = [...ids];
  const [verb, id] = [op.split(':')[0], op.slice(op.indexOf(':') + 1)];
  const i = list.indexOf(id);
  // `add:ID` comes from a search suggestion's button, plain `add` with the `add` field
  if (verb === 'add') {
    const story = op.includes(':') ? id : add;
    return story && !list.includes(story) ? [...list, story] : list;
  }
  if (i < 0) return list;
  if (verb === 'remove') list.splice(i, 1);
  if (verb === 'up' && i > 0) [list[i - 1], list[i]] = [list[i]!, list[i - 1]!];
  if (verb === 'down' && i < list.length - 1) [list[i + 1], list[i]] = [list[i]!, list[i + 1]!];
  return list;
}

export function curationRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = ctx.runtime.db;

  const page = async (c: C, extra: Partial<CurationProps> = {}, status: 200 | RefusalStatus = 200) => {
    c.status(status);
    const user = me(c);
    const q = (c.req.query('pickq') ?? '').trim().slice(0, 200);
    const picks = startHerePicks(db);
    return c.render(
      <CurationPage
        themes={listThemes(db, { includeRetired: true })}
        picks={picks}
        picksRevision={await ctx.store.streamRevision(START_HERE_STREAM)}
        canPick={isCurator(user)}
        pickSearch={q ? { q, results: findPickable(q, picks) } : undefined}
        notice={noticeOf(c)}
        {...extra}
      />,
      { title: 'Curation' },
    );
  };
  const conflictMessage = 'Another curator changed this at the same time. The page now shows their change; nothing of yours was saved, try again.';

  /** Stories whose title holds `q` (ignoring case), not already picked: the picks' search box. */
  const findPickable = (q: string, picks: { storyId: string }[]): PickSuggestion[] => {
    const needle = q.toLowerCase();
    const picked = new Set(picks.map((p) => p.storyId));
    return pickableStories(db, 5000)
      .filter((s) => !picked.has(s.storyId) && s.title.toLowerCase().includes(needle))
      .slice(0, PICK_SUGGESTIONS);
  };

  /**
   * The confirmation after a redirect, shown beside what was changed: built from a code and the
   * id of the theme or story (looked up here), never from text in the query.
   */
  const noticeOf = (c: C): CurationNotice | undefined => {
    const done = c.req.query('done') ?? '';
    const themeId = c.req.query('theme') ?? '';
    const storyId = c.req.query('story') ?? '';
    const theme = themeId && Id.safeParse(themeId).success ? getTheme(db, themeId) : undefined;
    const story = storyId && Id.safeParse(storyId).success ? pickableStories(db, 5000).find((x) => x.storyId === storyId) : undefined;
    if (theme && done === 'defined') return { at: 'define', themeId: theme.themeId, text: `Theme “${theme.name}” defined. It can now be chosen for stories.` };
    if (theme && done === 'saved') return { at: theme.themeId, text: `Saved “${theme.name}”.` };
    if (theme && done === 'retired') return { at: theme.themeId, text: `Retired “${theme.name}”. Its stories keep it; new stories can no longer take it.` };
    if (done === 'picks-unchanged') return { at: 'picks', text: 'Nothing to change in the picks.' };
    if (story && done === 'pick-added') return { at: 'picks', text: `Added “${story.title}” to the picks.` };
    if (story && done === 'pick-removed') return { at: 'picks', text: `Removed “${story.title}” from the picks.` };
    if (story && (done === 'pick-up' || done === 'pick-down')) return { at: 'picks', text: `Moved “${story.title}” ${done === 'pick-up' ? 'up' : 'down'}.` };
    if (done === 'picks-saved') return { at: 'picks', text: 'Picks saved.' };
    return undefined;
  };

  app.get('/curation', (c) => page(c));

  // what the define form shows again: what was typed (the id as given, blank when it was made from the name)
  const defineValues = (v: FormValues, errors: FieldErrors) => ({ themeId: (v['themeId'] ?? '').trim(), name: v['name'] ?? '', description: v['description'] ?? '', errors });
  // <form method="post" action="/curation/themes"> name, description, themeId (optional: made from the name)
  const defineForm = validForm(
    z
      .object({ themeId: text(z.string()), name: text(z.string()), description: text(z.string()) })
      .transform((f) => ({ ...f, themeId: f.themeId.trim() || slugFor(f.name) || ctx.newId() }))
      .pipe(ThemeDefined.schema),
    (c, errors, values) => page(c, { define: defineValues(values, errors) }, 422),
  );

  app.post('/curation/themes', defineForm, async (c) => {
    const user = me(c);
    const d = c.req.valid('form');
    const values = formStrings(await c.req.parseBody());
    const back = (errors: FieldErrors, status: RefusalStatus) => page(c, { define: defineValues(values, errors) }, status);
    const result = await handle(ctx, themeStream(d.themeId), themeDecider, { type: 'DefineTheme', ...d, nameHeldBy: nameHolder(d.name) }, { actor: user.employeeId }).catch((err: unknown) => {
      if (err instanceof ConcurrencyError) return { error: 'exists', kind: 'conflict', field: 'themeId', message: 'a theme with this id already exists' } as DomainError;
      throw err;
    });
    if (isDomainError(result)) return back({ [result.field ?? 'form']: [result.message] }, statusOf(result));
    return c.redirect(`/curation?done=defined&theme=${encodeURIComponent(d.themeId)}#define`, 303);
  });

  /** the theme (retired ones included) whose name equals `name` ignoring case */
  const nameHolder = (name: string): string | null =>
    listThemes(db, { includeRetired: true }).find((t) => themeNameKey(t.name) === themeNameKey(name))?.themeId ?? null;
  const known = (themeId: string | undefined): themeId is string => !!themeId && Id.safeParse(themeId).success && !!getTheme(db, themeId);
  // <form method="post" action="/curation/themes/ID"> name, description, expectedRevision (hidden)
  const describeForm = validForm(
    z.object({ name: text(ThemeDescribed.schema.shape.name), description: text(ThemeDescribed.schema.shape.description), expectedRevision: text(z.string()) }),
    (c, errors, values) => {
      const themeId = c.req.param('id');
      if (!known(themeId)) return c.notFound();
      return page(c, { describe: { themeId, name: values['name'] ?? '', description: values['description'] ?? '', errors } }, 422);
    },
  );

  app.post('/curation/themes/:id', describeForm, async (c) => {
    const user = me(c);
    const themeId = c.req.param('id');
    if (!known(themeId)) return c.notFound();
    const d = c.req.valid('form');
    const { name = '', description = '' } = formStrings(await c.req.parseBody());
    const back = (errors: FieldErrors, status: RefusalStatus) => page(c, { describe: { themeId, name, description, errors } }, status);
    const expected = revisionOf(d.expectedRevision);
    const result = await handle(ctx, themeStream(themeId), themeDecider, { type: 'DescribeTheme', themeId, description: d.description, ...(d.name !== undefined ? { name: d.name, nameHeldBy: nameHolder(d.name) } : {}) }, {
      actor: user.employeeId,
      ...(expected !== undefined ? { expected } : {}),
    }).catch((err: unknown) => {
      if (err instanceof ConcurrencyError) return { error: 'conflict', kind: 'conflict', message: conflictMessage } as DomainError;
      throw err;
    });
    if (isDomainError(result)) {
      if (result.kind === 'conflict') await ctx.runtime.waitFor(await ctx.store.headPosition());
      return back({ [result.field ?? 'form']: [result.message] }, statusOf(result));
    }
    return c.redirect(`/curation?done=saved&theme=${encodeURIComponent(themeId)}#theme-${encodeURIComponent(themeId)}`, 303);
  });

  /** The confirm step before retiring: a page of its own, or (htmx) the same form in place of the theme's row. */
  const confirmRetire = (c: C, themeId: string) => {
    const theme = getTheme(db, themeId)!;
    const node = <RetireConfirm theme={theme} />;
    if (c.req.header('hx-request')) return c.html(node);
    return c.render(<div class="curation narrow">{node}</div>, { title: `Retire ${theme.name}?` });
  };

  app.get('/curation/themes/:id/retire', (c) => {
    const themeId = c.req.param('id');
    if (!Id.safeParse(themeId).success || !getTheme(db, themeId)) return c.notFound();
    return confirmRetire(c, themeId);
  });

  app.post('/curation/themes/:id/retire', async (c) => {
    const user = me(c);
    const themeId = c.req.param('id');
    if (!Id.safeParse(themeId).success || !getTheme(db, themeId)) return c.notFound();
    // only the confirm step's button says yes: anything else shows the question, and retires nothing
    if (formStrings(await c.req.parseBody())['confirm'] !== 'yes') return confirmRetire(c, themeId);
    const result = await handle(ctx, themeStream(themeId), themeDecider, { type: 'RetireTheme', themeId }, { actor: user.employeeId });
    if (isDomainError(result)) return page(c, { message: result.message }, statusOf(result));
    return c.redirect(`/curation?done=retired&theme=${encodeURIComponent(themeId)}#theme-${encodeURIComponent(themeId)}`, 303);
  });

  // the picks' search box: htmx asks for the suggestions alone; a browser without it gets the page
  app.get('/curation/stories', async (c) => {
    const q = (c.req.query('pickq') ?? '').trim().slice(0, 200);
    if (!c.req.header('hx-request')) return c.redirect(`/curation?pickq=${encodeURIComponent(q)}#picks`, 303);
    const picks = startHerePicks(db);
    return c.html(<PickSuggestions q={q} results={q ? findPickable(q, picks) : []} picks={picks.map((p) => p.storyId)} revision={await ctx.store.streamRevision(START_HERE_STREAM)} />);
  });

  app.post('/curation/start-here', async (c) => {
    const user = me(c);
    const form = (await c.req.parseBody({ all: true })) as Form;
    const shown = all(form, 'storyIds');
    const op = one(form, 'op');
    const storyIds = op ? applyPickOp(shown, op, one(form, 'add')) : shown;
    const expected = revisionOf(one(form, 'expectedRevision'));
    const known = storyRefs(db, { stories: storyIds }).stories;
    const result = await handle(
      ctx,
      START_HERE_STREAM,
      curationDecider,
      { type: 'SetStartHerePicks', storyIds, known, curator: isCurator(user) },
      { actor: user.employeeId, ...(expected !== undefined ? { expected } : {}) },
    ).catch((err: unknown) => {
      if (err instanceof ConcurrencyError) return { error: 'conflict', kind: 'conflict', message: conflictMessage } as DomainError;
      throw err;
    });
    if (isDomainError(result)) {
      if (result.kind === 'conflict') await ctx.runtime.waitFor(await ctx.store.headPosition());
      return page(c, { message: `Start here: ${result.message}` }, statusOf(result));
    }
    const [verb, id] = op.includes(':') ? [op.slice(0, op.indexOf(':')), op.slice(op.indexOf(':') + 1)] : [op, one(form, 'add')];
    const done = result.events.length === 0 ? 'picks-unchanged' : verb === 'add' ? 'pick-added' : verb === 'remove' ? 'pick-removed' : verb === 'up' ? 'pick-up' : verb === 'down' ? 'pick-down' : 'picks-saved';
    return c.redirect(`/curation?done=${done}${id ? `&story=${encodeURIComponent(id)}` : ''}#picks`, 303);
  });

  return app;
}
