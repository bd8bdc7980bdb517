import type { MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import { HtmlEscapedCallbackPhase, resolveCallback } from 'hono/utils/html';
import { Layout } from './layout.tsx';
import type { AppEnv } from '../src/http/env.ts';

declare module 'hono' {
  interface ContextRenderer {
    (content: string | Promise<string>, props: { title: string }): Response | Promise<Response>;
  }
}

/**
 * Full pages go through `c.render(<Page/>, { title })`; htmx fragments through `c.html(...)`.
 * The page is handed to `c.html` as a plain string (hono's jsxRenderer hands it a String object),
 * so @hono/node-server writes it straight to the socket instead of through a fetch Response stream.
 */
export const renderer: MiddlewareHandler<AppEnv> = (c, next) => {
  c.setRenderer(async (content, { title }) => {
    const page = <Layout title={title} user={c.get('user') ?? null} path={c.req.path}>{content as Child}</Layout>;
    const html = await resolveCallback(await page.toString(), HtmlEscapedCallbackPhase.Stringify, false, {});
    return c.html(`<!DOCTYPE html>${html}`);
  });
  return next();
};
