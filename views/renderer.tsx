import type { MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import { escapeToBuffer, HtmlEscapedCallbackPhase, resolveCallback } from 'hono/utils/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { randomUUID } from 'node:crypto';
import { Layout } from './layout.tsx';
import type { AppEnv, CurrentUser } from '../src/http/env.ts';
import { sendPage } from '../src/http/compressed-pages.ts';

declare module 'hono' {
  interface ContextRenderer {
    (content: string | Promise<string>, props: { title: string }): Response | Promise<Response>;
  }
}

const render = async (node: Child): Promise<string> =>
  String(await resolveCallback(await (<>{node}</>).toString(), HtmlEscapedCallbackPhase.Stringify, false, {}));

/**
 * The page frame (views/layout.tsx) is the same for everyone with the same name and roles on the
 * same section of the site: it is rendered once for them, with marks where the page's title and
 * content go, and kept. Layout is a pure function of the title, the user's name and roles and which
 * menu link the path makes current, so a kept frame is exactly what rendering it again would give.
 */
const MARK_ID = randomUUID();
const TITLE_MARK = `\uE000${MARK_ID}:title\uE000`;
const CONTENT_MARK = `\uE000${MARK_ID}:content\uE000`;
const MARKS = new RegExp(`\uE000${MARK_ID}:(title|content)\uE000`, 'g');
/** frames kept; past this many, all are dropped (a rare reset is cheaper than an LRU here) */
const MAX_FRAMES = 2000;
/** a frame cut at its marks: text, then the mark's name ('title' or 'content'), then text, and so on */
type Frame = string[];
const frames = new Map<string, Frame>();

/** The menu's links: read once from the frame of someone with every role. */
const everyone: CurrentUser = { employeeId: '', name: 'Menu', departmentId: '', joinedOn: '', roles: ['curator', 'leader', 'admin'], via: 'session' };
const menuLinks: Promise<string[]> = render(<Layout title="" user={everyone} path="">{''}</Layout>).then((html) => {
  const nav = /<nav[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
});

/** The menu links a path makes current, by the rule of views/layout.tsx's NavLink (test/http/page-frame.test.ts checks they agree). */
const currentLinks = (links: string[], path: string): string[] =>
  links.filter((href) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)));

async function frameFor(user: CurrentUser | null, path: string): Promise<{ key: string; frame: Frame }> {
  const key = JSON.stringify(user ? [user.name, user.roles, currentLinks(await menuLinks, path)] : [null, currentLinks(await menuLinks, path)]);
  let frame = frames.get(key);
  if (frame === undefined) {
    // split with the mark's name captured: [text, name, text, name, text]
    frame = (await render(<Layout title={TITLE_MARK} user={user} path={path}>{CONTENT_MARK}</Layout>)).split(MARKS);
    if (frames.size >= MAX_FRAMES) frames.clear();
    frames.set(key, frame);
  }
  return { key, frame };
}

/** A kept string handed over as it is (`raw(kept)`, the dashboard's body): the same string, not a copy, so a kept compressed page is found by it at once. */
const isPlainRaw = (node: Child): node is HtmlEscapedString =>
  node instanceof String && (node as HtmlEscapedString).isEscaped === true && !(node as HtmlEscapedString).callbacks?.length;

const escapeText = (text: string): string => {
  const buffer: [string] = [''];
  escapeToBuffer(text, buffer);
  return buffer[0];
};

/**
 * Full pages go through `c.render(<Page/>, { title })`; htmx fragments through `c.html(...)`.
 * The page is handed to `c.html` as a plain string (hono's jsxRenderer hands it a String object),
 * so @hono/node-server writes it straight to the socket instead of through a fetch Response stream;
 * a large one gzip-compressed when the browser takes it (src/http/compressed-pages.ts).
 */
export const renderer: MiddlewareHandler<AppEnv> = (c, next) => {
  c.setRenderer(async (content, { title }) => {
    const { key, frame } = await frameFor(c.get('user') ?? null, c.req.path);
    const body = isPlainRaw(content as Child) ? String(content) : await render(content as Child);
    // the title and the content go between the frame's pieces: never searched for marks themselves
    const html = (): string => {
      let page = '<!DOCTYPE html>';
      for (let i = 0; i < frame.length; i++) page += i % 2 === 0 ? frame[i] : frame[i] === 'title' ? escapeText(title) : body;
      return page;
    };
    // the page is a function of the frame (its key), the title and the body: kept compressed under them
    return sendPage(c, { key: `${key}\u0000${title}`, body, html });
  });
  return next();
};
