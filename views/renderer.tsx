import { jsxRenderer, useRequestContext } from 'hono/jsx-renderer';
import type { Child } from 'hono/jsx';
import { Layout } from './layout.tsx';
import type { AppEnv } from '../src/http/env.ts';

declare module 'hono' {
  interface ContextRenderer {
    (content: string | Promise<string>, props: { title: string }): Response | Promise<Response>;
  }
}

function Page({ children, title }: { children?: Child; title: string }) {
  const c = useRequestContext<AppEnv>();
  return (
    <Layout title={title} user={c.get('user') ?? null} path={c.req.path}>
      {children}
    </Layout>
  );
}

/** Full pages go through `c.render(<Page/>, { title })`; htmx fragments through `c.html(...)`. */
export const renderer = jsxRenderer(({ children, title }) => <Page title={title}>{children}</Page>, { docType: true });
