import { randomUUID } from 'node:crypto';
import { parseHTML } from 'linkedom';
import type { AppContext } from '../../src/http/env.ts';
import { formHeaders } from '../auth-helpers.ts';
import { flushReads } from '../../src/circulation/record-read.ts';

/** Shared "given" steps for the stories, timelines and curation tests (real store and projections). */

/**
 * The log's head once the story-page reads queued by earlier requests have been appended (they go
 * in off the request path), so a test that checks "nothing appended" counts only its own writes.
 */
export async function settledHead(ctx: AppContext): Promise<number> {
  await flushReads(ctx);
  return ctx.store.headPosition();
}

const meta = (ctx: AppContext, actor: string, v?: number) => ({ at: ctx.clock().toISOString(), actor, ...(v ? { v } : {}) });

export async function givenTheme(ctx: AppContext, themeId: string, name = themeId, description = `About ${name}`): Promise<void> {
  const r = await ctx.store.append(`theme-${themeId}`, [{ id: randomUUID(), type: 'ThemeDefined', data: { themeId, name, description }, metadata: meta(ctx, 'system') }], { expectedRevision: 'no_stream' });
  await ctx.runtime.waitFor(r.position);
}

export async function givenRetiredTheme(ctx: AppContext, themeId: string): Promise<void> {
  const r = await ctx.store.append(`theme-${themeId}`, [{ id: randomUUID(), type: 'ThemeRetired', data: { themeId }, metadata: meta(ctx, 'system') }]);
  await ctx.runtime.waitFor(r.position);
}

export interface GivenStory {
  storyId?: string;
  tellerId: string;
  title?: string;
  body?: string;
  leader?: string;
  happenedIn?: string;
  occurredOn?: string;
  themes?: string[];
  relation?: 'witnessed' | 'participated' | 'heard';
  retellingOf?: string;
  anonymous?: boolean;
}

/** Given: a story told (the StorySubmitted event appended as the form would). */
export async function givenStory(ctx: AppContext, s: GivenStory): Promise<string> {
  const storyId = s.storyId ?? randomUUID();
  const data = {
    storyId,
    title: s.title ?? `Story ${storyId.slice(0, 8)}`,
    body: s.body ?? 'Something a leader did.',
    tellerId: s.tellerId,
    leader: s.leader ?? 'Ada Leader',
    ...(s.happenedIn ? { happenedIn: s.happenedIn } : {}),
    occurredOn: s.occurredOn ?? '2020',
    themes: s.themes ?? [],
    relation: s.relation ?? 'witnessed',
    ...(s.retellingOf ? { retellingOf: s.retellingOf } : {}),
    anonymous: s.anonymous ?? false,
  };
  const r = await ctx.store.append(`story-${storyId}`, [{ id: randomUUID(), type: 'StorySubmitted', data, metadata: meta(ctx, s.tellerId, 2) }], { expectedRevision: 'no_stream' });
  await ctx.runtime.waitFor(r.position);
  return storyId;
}

/** Given: someone read a story (a StoryRead in its circulation stream). */
export async function givenRead(ctx: AppContext, storyId: string, readerId: string): Promise<void> {
  const r = await ctx.store.append(`circulation-${storyId}`, [{ id: randomUUID(), type: 'StoryRead', data: { storyId, readerId }, metadata: meta(ctx, readerId) }]);
  await ctx.runtime.waitFor(r.position);
}

/** A form body as a browser sends it (repeated fields repeated). */
export function formBody(fields: Record<string, string | string[] | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  }
  return p.toString();
}

type App = { request: (input: string, init?: RequestInit) => Response | Promise<Response> };

export const post = (app: App, path: string, cookie: string, fields: Record<string, string | string[] | undefined>, extra: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers: { ...formHeaders(cookie), ...extra }, body: formBody(fields) });

export const get = (app: App, path: string, cookie: string, extra: Record<string, string> = {}) =>
  app.request(path, { headers: { Cookie: cookie, ...extra } });

export const htmx = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

export const dom = (html: string) => parseHTML(html.startsWith('<!') || html.startsWith('<html') ? html : `<!doctype html><html><body>${html}</body></html>`).document;

export const storyFields = (over: Record<string, string | string[] | undefined> = {}) => ({
  idempotencyKey: randomUUID(),
  title: 'The open house',
  body: 'She listened.\n\nThen she acted.',
  leader: 'Grace Hopper',
  occurredOn: '2019-05',
  relation: 'witnessed',
  ...over,
});

/** How many events of a type the log holds. */
export async function countEvents(ctx: AppContext, type: string): Promise<number> {
  return (await ctx.store.readAll()).filter((e) => e.type === type).length;
}
