import { Hono } from 'hono';
import type { Context } from 'hono';
import { parseEvent } from '../../events/catalogue.ts';
import { Id } from '../../events/common.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import { handle } from '../command.ts';
import { curationDecider, START_HERE_STREAM } from '../domain/curation.ts';
import { themeDecider, themeStream } from '../domain/themes.ts';
import { getTheme, isCurator, listThemes, pickableStories, startHerePicks, storyRefs } from '../read/stories.ts';
import { ConcurrencyError } from '../store/port.ts';
import { CurationPage } from '../../views/pages/curation.tsx';
import type { CurationProps } from '../../views/pages/curation.tsx';
import type { FieldErrors } from '../../views/fragments/story-form.tsx';
import type { AppContext, AppEnv, CurrentUser } from './env.ts';
import { statusOf } from './refusal.ts';
import type { RefusalStatus } from './refusal.ts';

type C = Context<AppEnv>;
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

function issuesToErrors(issues: { path: string; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const i of issues) (errors[i.path.split('.')[0] || 'form'] ??= []).push(i.message);
  return errors;
}

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
  if (verb === 'add') return add && !list.includes(add) ? [...list, add] : list;
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
    return c.render(
      <CurationPage
        themes={listThemes(db, { includeRetired: true })}
        picks={startHerePicks(db)}
        picksRevision={await ctx.store.streamRevision(START_HERE_STREAM)}
        pickable={pickableStories(db)}
        {...extra}
      />,
      { title: 'Curation' },
    );
  };
  const conflictMessage = 'Another curator changed this at the same time. The page now shows their change; nothing of yours was saved, try again.';

  app.get('/curation', (c) => page(c));

  app.post('/curation/themes', async (c) => {
    const user = me(c);
    const form = (await c.req.parseBody({ all: true })) as Form;
    const name = one(form, 'name');
    const description = one(form, 'description');
    const given = one(form, 'themeId').trim();
    const themeId = given || slugFor(name) || ctx.newId();
    const back = (errors: FieldErrors, status: RefusalStatus) => page(c, { define: { themeId: given, name, description, errors } }, status);
    const parsed = parseEvent('ThemeDefined', { themeId, name, description });
    if (!parsed.ok || parsed.event.type !== 'ThemeDefined') return back(parsed.ok ? {} : issuesToErrors(parsed.issues), 422);
    const d = parsed.event.data;
    const result = await handle(ctx, themeStream(d.themeId), themeDecider, { type: 'DefineTheme', ...d }, { actor: user.employeeId }).catch((err: unknown) => {
      if (err instanceof ConcurrencyError) return { error: 'exists', kind: 'conflict', field: 'themeId', message: 'a theme with this id already exists' } as DomainError;
      throw err;
    });
    if (isDomainError(result)) return back({ [result.field ?? 'form']: [result.message] }, statusOf(result));
    return c.redirect('/curation', 303);
  });

  app.post('/curation/themes/:id', async (c) => {
    const user = me(c);
    const themeId = c.req.param('id');
    if (!Id.safeParse(themeId).success || !getTheme(db, themeId)) return c.notFound();
    const form = (await c.req.parseBody({ all: true })) as Form;
    const name = one(form, 'name');
    const description = one(form, 'description');
    const back = (errors: FieldErrors, status: RefusalStatus) => page(c, { describe: { themeId, name, description, errors } }, status);
    const parsed = parseEvent('ThemeDescribed', { themeId, name, description });
    if (!parsed.ok || parsed.event.type !== 'ThemeDescribed') return back(parsed.ok ? {} : issuesToErrors(parsed.issues), 422);
    const expected = revisionOf(one(form, 'expectedRevision'));
    const d = parsed.event.data;
    const result = await handle(ctx, themeStream(themeId), themeDecider, { type: 'DescribeTheme', themeId, description: d.description, ...(d.name !== undefined ? { name: d.name } : {}) }, {
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
    return c.redirect('/curation', 303);
  });

  app.post('/curation/themes/:id/retire', async (c) => {
    const user = me(c);
    const themeId = c.req.param('id');
    if (!Id.safeParse(themeId).success || !getTheme(db, themeId)) return c.notFound();
    const result = await handle(ctx, themeStream(themeId), themeDecider, { type: 'RetireTheme', themeId }, { actor: user.employeeId });
    if (isDomainError(result)) return page(c, { message: result.message }, statusOf(result));
    return c.redirect('/curation', 303);
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
    return c.redirect('/curation', 303);
  });

  return app;
}
