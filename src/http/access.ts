import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../events/org.ts';
import type { AppEnv, CurrentUser } from './env.ts';
import { html } from 'hono/html';
import { Layout } from '../../views/layout.tsx';

/**
 * Who may use which route: the one table. The access middleware enforces it for every request
 * and test/http/access.test.ts walks it with no session and with each role. A route that is not
 * in the table is refused (fail closed).
 *
 * `public`: anyone; `employee`: anyone signed in; roles: any one of them.
 */
export type Audience = 'public' | 'employee' | Role[];

export interface AccessRule {
  method: 'GET' | 'POST';
  path: string;
  allow: Audience;
  /** what the route is for, shown in the README table */
  what: string;
}

export const ACCESS: AccessRule[] = [
  // static files and health
  { method: 'GET', path: '/static/*', allow: 'public', what: 'stylesheet, htmx, fonts, icons and the web manifest' },
  { method: 'GET', path: '/favicon.ico', allow: 'public', what: 'the favicon browsers ask for at the root' },
  { method: 'GET', path: '/metrics', allow: 'public', what: 'Prometheus metrics: from the addresses in HALLWAY_METRICS_ALLOW (loopback by default), or with an admin\'s API token; 401 or 403 otherwise' },
  { method: 'GET', path: '/healthz', allow: 'public', what: 'liveness: 200 {ok:true}, or 503 when a read model has stopped' },
  { method: 'GET', path: '/readyz', allow: 'public', what: 'readiness: 200 {ready:true} once the read models have caught up and while the event store answers, 503 otherwise' },

  // --- sign-in, setup, invitations (src/http/auth.ts) ---
  { method: 'GET', path: '/sign-in', allow: 'public', what: 'sign-in form' },
  { method: 'POST', path: '/sign-in', allow: 'public', what: 'sign in' },
  { method: 'POST', path: '/sign-out', allow: 'employee', what: 'sign out' },
  { method: 'GET', path: '/sign-in/sso', allow: 'public', what: "single sign-on: off to the company's OpenID provider (404 when HALLWAY_OIDC_ISSUER is not set)" },
  { method: 'GET', path: '/sign-in/sso/callback', allow: 'public', what: "single sign-on: the provider's answer (the redirect URI); signs in the employee with that verified email, or says why not" },
  { method: 'GET', path: '/setup/:token', allow: 'public', what: 'first-run form for the first admin' },
  { method: 'POST', path: '/setup/:token', allow: 'public', what: 'create the first admin' },
  { method: 'GET', path: '/invitation/:token', allow: 'public', what: 'set a password from an invitation' },
  { method: 'POST', path: '/invitation/:token', allow: 'public', what: 'set a password from an invitation' },
  { method: 'GET', path: '/unsubscribe/:token', allow: 'public', what: "an email's unsubscribe link: says what it stops, changes nothing (the signed token names the person and the kind)" },
  { method: 'POST', path: '/unsubscribe/:token', allow: 'public', what: 'stop that kind of email, without signing in (the page\'s button, or a mail client\'s one-click List-Unsubscribe-Post): NotificationPreferenceChanged' },
  { method: 'GET', path: '/me/email', allow: 'employee', what: 'your email settings: "sent to you" emails and the weekly digest, each on or off' },
  { method: 'POST', path: '/me/email', allow: 'employee', what: 'change your email settings (NotificationPreferenceChanged)' },

  // --- administration (src/http/admin.ts) ---
  { method: 'GET', path: '/admin', allow: ['admin'], what: 'administration home' },
  { method: 'GET', path: '/admin/departments', allow: ['admin'], what: 'departments, with open, rename and close forms' },
  { method: 'POST', path: '/admin/departments', allow: ['admin'], what: 'open a department' },
  { method: 'POST', path: '/admin/departments/:departmentId/rename', allow: ['admin'], what: 'rename a department' },
  { method: 'POST', path: '/admin/departments/:departmentId/close', allow: ['admin'], what: 'close an empty department' },
  { method: 'GET', path: '/admin/people', allow: ['admin'], what: 'people (?q=), with the add form' },
  { method: 'POST', path: '/admin/people', allow: ['admin'], what: 'add a person and show their invitation link once' },
  { method: 'GET', path: '/admin/people/:employeeId', allow: ['admin'], what: 'one person: transfer, roles, sessions, invitation, leaving' },
  { method: 'POST', path: '/admin/people/:employeeId/transfer', allow: ['admin'], what: 'transfer to another department' },
  { method: 'POST', path: '/admin/people/:employeeId/roles', allow: ['admin'], what: 'grant or revoke curator, leader, admin' },
  { method: 'POST', path: '/admin/people/:employeeId/left', allow: ['admin'], what: 'mark as left (ends their sessions)' },
  { method: 'POST', path: '/admin/people/:employeeId/sessions/end', allow: ['admin'], what: 'end every session of the person' },
  { method: 'POST', path: '/admin/people/:employeeId/invitation', allow: ['admin'], what: 'a new invitation link (shown once)' },
  { method: 'GET', path: '/admin/people/:employeeId/erase', allow: ['admin'], what: 'confirm erasing a person who has left (what goes, what stays)' },
  { method: 'POST', path: '/admin/people/:employeeId/erase', allow: ['admin'], what: 'erase a person who has left (after the confirm step: confirm=yes): PersonErased, their key destroyed' },
  { method: 'GET', path: '/admin/import', allow: ['admin'], what: 'CSV import form' },
  { method: 'POST', path: '/admin/import', allow: ['admin'], what: 'import employees from CSV, all or nothing' },
  { method: 'GET', path: '/admin/audit', allow: ['admin'], what: 'audit trail, newest first (?before=position)' },
  { method: 'GET', path: '/admin/settings', allow: ['admin'], what: 'archive settings: review before publishing on or off' },
  { method: 'POST', path: '/admin/settings', allow: ['admin'], what: 'turn review before publishing on or off (ArchiveSettingsChanged)' },
  { method: 'POST', path: '/admin/settings/email', allow: ['admin'], what: 'turn the weekly email digest on or off (EmailSettingsChanged)' },
  { method: 'POST', path: '/admin/email/:id/retry', allow: ['admin'], what: 'try a failed email again (the admin home\'s Email panel)' },

  // --- stories, timelines, themes, search (src/http/stories.ts, timelines.ts, search.ts) ---
  { method: 'GET', path: '/', allow: 'employee', what: 'home page' },
  { method: 'GET', path: '/stories/new', allow: 'employee', what: 'the form to tell a story (?retellingOf=ID to retell one)' },
  { method: 'POST', path: '/stories', allow: 'employee', what: 'tell a story' },
  { method: 'GET', path: '/stories/:id', allow: 'employee', what: 'a story, its retellings and history' },
  { method: 'GET', path: '/stories/:id/receipt', allow: 'employee', what: "the teller's receipt for their story, as JSON (404 for anyone else)" },
  { method: 'GET', path: '/verify', allow: 'employee', what: 'check a story receipt: the form' },
  { method: 'POST', path: '/verify', allow: 'employee', what: 'check a story receipt: in the log unchanged, changed or missing' },
  { method: 'GET', path: '/stories/:id/lineage', allow: 'employee', what: 'how a story changed as it was retold: its family of tellings, word by word' },
  { method: 'GET', path: '/stories/:id/amend', allow: 'employee', what: 'amend form (teller or curator)' },
  { method: 'POST', path: '/stories/:id/amend', allow: 'employee', what: 'amend a story (teller or curator)' },
  { method: 'GET', path: '/stories/:id/retract', allow: 'employee', what: 'retract form (teller or curator)' },
  { method: 'POST', path: '/stories/:id/retract', allow: 'employee', what: 'retract a story (teller or curator)' },
  { method: 'POST', path: '/stories/:id/themes', allow: ['curator'], what: 'add a theme to a story' },
  { method: 'POST', path: '/stories/:id/themes/remove', allow: ['curator'], what: 'remove a theme from a story' },
  { method: 'GET', path: '/timelines', allow: 'employee', what: 'all stories by when they happened, and links to every timeline' },
  { method: 'GET', path: '/themes', allow: 'employee', what: 'the themes' },
  { method: 'GET', path: '/themes/:id', allow: 'employee', what: "a theme's timeline" },
  { method: 'GET', path: '/leaders', allow: 'employee', what: 'leaders named in stories' },
  { method: 'GET', path: '/leaders/:name', allow: 'employee', what: "a leader's timeline, as tellers wrote the name" },
  { method: 'GET', path: '/leaders/people/:employeeId', allow: 'employee', what: "a leader's timeline: the stories linked to that person" },
  { method: 'POST', path: '/leaders/link', allow: ['curator'], what: 'link a leader named as free text to a person (LeaderLinked)' },
  { method: 'GET', path: '/stories/new/leaders', allow: 'employee', what: "current and former colleagues matching the leader's name as typed (htmx)" },
  { method: 'GET', path: '/departments/:id', allow: 'employee', what: "a department's timeline" },
  { method: 'GET', path: '/curation', allow: ['curator', 'admin'], what: "themes and Start here picks (an admin defines themes here; picks stay the curators')" },
  { method: 'POST', path: '/curation/themes', allow: ['curator', 'admin'], what: 'define a theme' },
  { method: 'POST', path: '/curation/themes/:id', allow: ['curator', 'admin'], what: "describe a theme (name, description)" },
  { method: 'GET', path: '/curation/themes/:id/retire', allow: ['curator', 'admin'], what: 'confirm retiring a theme' },
  { method: 'POST', path: '/curation/themes/:id/retire', allow: ['curator', 'admin'], what: 'retire a theme (after the confirm step: confirm=yes)' },
  { method: 'GET', path: '/curation/stories', allow: ['curator'], what: 'story search for the picks (?pickq=); htmx gets the suggestions, a browser the curation page' },
  { method: 'POST', path: '/curation/start-here', allow: ['curator'], what: "set and order Start here's picks" },
  { method: 'GET', path: '/review', allow: ['curator'], what: 'the review queue: stories awaiting review, longest waiting first' },
  { method: 'POST', path: '/review/:id/approve', allow: ['curator'], what: 'publish a story awaiting review (StoryApproved)' },
  { method: 'POST', path: '/review/:id/return', allow: ['curator'], what: 'return a story to its teller with a note (StoryReturned)' },
  { method: 'GET', path: '/search', allow: 'employee', what: 'search stories (?q=, theme=, dept=, page=); htmx gets the results fragment' },

  // --- circulation, dashboard, API (src/http/circulation.ts, dashboard.ts, api.ts) ---
  { method: 'GET', path: '/dashboard', allow: ['leader'], what: 'leadership dashboard' },
  { method: 'GET', path: '/dashboard/stories/:id', allow: ['leader'], what: "one story's spread: figures, cascade by department, arrivals" },
  { method: 'GET', path: '/dashboard/export.csv', allow: ['leader'], what: "CSV of a dashboard table (?table=stories|flows|departments|themes)" },
  { method: 'POST', path: '/stories/:id/heard', allow: 'employee', what: "record \"I've heard this one\" (StoryHeard)" },
  { method: 'POST', path: '/stories/:id/share', allow: 'employee', what: 'send a story to a colleague (StoryShared)' },
  { method: 'GET', path: '/colleagues', allow: 'employee', what: 'colleague picker search (?q=)' },
  { method: 'GET', path: '/api/stories/:id/spread', allow: ['leader'], what: "a story's spread figures as JSON (session or API token)" },
  { method: 'GET', path: '/admin/api-tokens', allow: ['admin'], what: "leaders' API tokens" },
  { method: 'POST', path: '/admin/api-tokens', allow: ['admin'], what: 'issue an API token for a leader' },
  { method: 'POST', path: '/admin/api-tokens/:id/revoke', allow: ['admin'], what: 'revoke an API token' },
];

const compile = (path: string): RegExp =>
  new RegExp(
    '^' +
      path
        .split('/')
        .map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/') +
      '/?$',
  );

const compiled = ACCESS.map((r) => ({ ...r, re: compile(r.path) }));

/** A path's first segment (`/stories/x` → `stories`, `/` → ``). */
const firstSegment = (path: string): string => {
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
};
/** a rule whose first segment is a literal can only match paths with that first segment */
const literalFirst = (rulePath: string): string | null => {
  const seg = firstSegment(rulePath);
  return seg === '*' || seg.startsWith(':') ? null : seg;
};
/**
 * The table's rules by method and first segment, in the table's order (a rule with a parameter or
 * wildcard first would be in every list): a request is checked against the few rules that can
 * match it instead of walking the whole table with a regular expression each.
 */
const byFirst = new Map<string, typeof compiled>();
const anyFirst = new Map<string, typeof compiled>();
for (const r of compiled) {
  if (!anyFirst.has(r.method)) anyFirst.set(r.method, compiled.filter((x) => x.method === r.method && literalFirst(x.path) === null));
  const seg = literalFirst(r.path);
  const key = `${r.method} ${seg}`;
  if (seg !== null && !byFirst.has(key)) byFirst.set(key, compiled.filter((x) => x.method === r.method && (literalFirst(x.path) === seg || literalFirst(x.path) === null)));
}

/** The rule by walking the whole table in order: what ruleFor must always agree with (test/http/access.test.ts). */
export function ruleByScan(method: string, path: string): AccessRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return compiled.find((r) => r.method === m && r.re.test(path));
}

export function ruleFor(method: string, path: string): AccessRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  const rules = byFirst.get(`${m} ${firstSegment(path)}`) ?? anyFirst.get(m) ?? [];
  return rules.find((r) => r.re.test(path));
}

const wantsJson = (path: string, accept: string | undefined): boolean =>
  path.startsWith('/api/') || (!!accept && accept.includes('application/json') && !accept.includes('text/html'));

/** Enforces ACCESS. Runs after the session middleware has set `user`. */
export const enforceAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  const rule = ruleFor(c.req.method, c.req.path);
  if (!rule) {
    return c.text('Not found', 404);
  }
  if (rule.allow === 'public') return next();
  const user = c.get('user');
  if (!user) {
    if (wantsJson(c.req.path, c.req.header('accept'))) return c.json({ error: 'sign in first' }, 401);
    const target = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : '/';
    if (c.req.header('hx-request')) {
      c.header('HX-Redirect', `/sign-in?next=${encodeURIComponent(target)}`);
      return c.body(null, 401);
    }
    return c.redirect(`/sign-in?next=${encodeURIComponent(target)}`, 303);
  }
  if (rule.allow === 'employee' || rule.allow.some((r) => user.roles.includes(r))) return next();
  if (wantsJson(c.req.path, c.req.header('accept'))) return c.json({ error: `this needs the ${rule.allow.join(' or ')} role` }, 403);
  return c.html(await forbiddenPage(user, rule.allow), 403);
};

/** The 403 page, in the site's layout (the renderer runs after this middleware, so it is built here). */
async function forbiddenPage(user: CurrentUser, roles: Role[]): Promise<string> {
  const body = html`<section class="narrow"><h1>Not allowed</h1><p>This page is for the ${roles.join(' or ')} role, and you are signed in without it.</p><p><a href="/">Back to the home page</a></p></section>`;
  return '<!DOCTYPE html>' + (await Layout({ title: 'Not allowed', user, children: body }).toString());
}
