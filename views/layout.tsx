import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../src/http/env.ts';

export interface LayoutProps {
  title: string;
  user: CurrentUser | null;
  children?: Child;
}

/** The page frame. htmx and the stylesheet are served from /static: the archive needs no internet. */
export function Layout({ title, user, children }: LayoutProps) {
  const roles = user?.roles ?? [];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* no injected indicator <style>: the CSP allows no inline style; hallway.css has it */}
        <meta name="htmx-config" content='{"includeIndicatorCSS": false}' />
        <title>{`${title} · Hallway`}</title>
        <link rel="stylesheet" href="/static/hallway.css" />
        <script src="/static/htmx.min.js" defer></script>
        <script src="/static/hallway.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">Hallway</a>
          {user ? (
            <nav aria-label="Main">
              <a href="/">Home</a>
              <a href="/timelines">Timelines</a>
              <a href="/search">Search</a>
              <a href="/stories/new">Tell a story</a>
              {roles.includes('curator') ? <a href="/curation">Curation</a> : null}
              {roles.includes('leader') ? <a href="/dashboard">Dashboard</a> : null}
              {roles.includes('admin') ? <a href="/admin">Admin</a> : null}
              <form method="post" action="/sign-out" class="inline">
                <button type="submit" class="link">Sign out ({user.name})</button>
              </form>
            </nav>
          ) : null}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
