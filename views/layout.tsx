import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../src/http/env.ts';
import { Avatar } from './components/avatar.tsx';
import { Icon } from './components/icon.tsx';
import type { IconName } from './components/icon.tsx';

export interface LayoutProps {
  title: string;
  user: CurrentUser | null;
  /** the request path, to mark the current section in the menu */
  path?: string;
  children?: Child;
}

/** Hallway's mark: a doorway, the hallway's way in. Also public/favicon.svg. */
function Mark() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#9a3b26" />
      <path d="M19 52V29a13 13 0 0 1 26 0v23" fill="none" stroke="#faf7f2" stroke-width="6" stroke-linecap="round" />
      <circle cx="38.5" cy="41" r="3" fill="#faf7f2" />
    </svg>
  );
}

function NavLink({ href, icon, path, children }: { href: string; icon: IconName; path: string; children: Child }) {
  const current = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
  return (
    <a href={href} {...(current ? { 'aria-current': 'page' } : {})}>
      <Icon name={icon} />
      {children}
    </a>
  );
}

/** The page frame. Everything is served from /static: the archive needs no internet. */
export function Layout({ title, user, path = '', children }: LayoutProps) {
  const roles = user?.roles ?? [];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* no injected indicator <style>: the CSP allows no inline style; hallway.css has it */}
        <meta name="htmx-config" content='{"includeIndicatorCSS": false}' />
        <meta name="description" content="Hallway: the stories employees tell about their leaders." />
        <meta name="theme-color" content="#faf7f2" media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content="#1a1614" media="(prefers-color-scheme: dark)" />
        <title>{`${title} · Hallway`}</title>
        <link rel="icon" href="/favicon.ico" sizes="48x48" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="apple-touch-icon" href="/static/apple-touch-icon.png" />
        <link rel="manifest" href="/static/hallway.webmanifest" />
        <link rel="preload" href="/static/inter.woff2" as="font" type="font/woff2" crossorigin="anonymous" />
        <link rel="preload" href="/static/fraunces.woff2" as="font" type="font/woff2" crossorigin="anonymous" />
        <link rel="stylesheet" href="/static/hallway.css" />
        <script src="/static/htmx.min.js" defer></script>
        <script src="/static/hallway.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">
            <Mark />
            <span class="word">Hallway</span>
          </a>
          {user ? (
            <nav aria-label="Main">
              <NavLink href="/" icon="house" path={path}>Home</NavLink>
              <NavLink href="/timelines" icon="clock" path={path}>Timelines</NavLink>
              <NavLink href="/search" icon="search" path={path}>Search</NavLink>
              <NavLink href="/stories/new" icon="pen-line" path={path}>Tell a story</NavLink>
              {roles.includes('curator') ? <NavLink href="/curation" icon="sparkles" path={path}>Curation</NavLink> : null}
              {roles.includes('curator') ? <NavLink href="/review" icon="list-checks" path={path}>Review</NavLink> : null}
              {roles.includes('leader') ? <NavLink href="/dashboard" icon="chart-line" path={path}>Dashboard</NavLink> : null}
              {roles.includes('admin') ? <NavLink href="/admin" icon="shield" path={path}>Admin</NavLink> : null}
              <span class="me">
                <Avatar name={user.name} size="sm" />
                <form method="post" action="/sign-out" class="inline">
                  <button type="submit" class="link">
                    <Icon name="log-out" />
                    Sign out<span class="name"> ({user.name})</span>
                  </button>
                </form>
              </span>
            </nav>
          ) : null}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
