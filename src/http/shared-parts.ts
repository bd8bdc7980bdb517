import type { JSX } from 'hono/jsx/jsx-runtime';
import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { keptUntilViewsChangeAsync } from '../read/kept.ts';
import type { Views } from '../projections/runtime.ts';
import type { CurrentUser } from './env.ts';

/**
 * Parts of pages that many people see alike, rendered once and kept until the read models change
 * (src/read/kept.ts), so that a busy page renders only what is personal to each request (the
 * layout's menu and name; on the story page the circulation panel, reach, thanks and notices; on
 * home the greeting, Sent to you and Start here's progress) around them, in JSX, with the kept HTML
 * put in as it is (`raw`), so the page is character for character the page rendered whole
 * (test/http/personal-slots.test.tsx).
 *
 * A shared part is never rendered for a person: it is rendered for a perspective, the viewer
 * reduced to what the part may depend on (their roles; their id only where they are involved,
 * say as the teller of the story shown, since an anonymous teller sees their own name), with name,
 * department and start date left blank. So a kept part cannot hold anything personal to one
 * person that another would then be shown: a view that started using the viewer's name in a
 * shared part would show a blank, not someone else's name.
 */
export interface Perspective {
  /** says which perspective this is; part of the key under which a part is kept */
  key: string;
  /** the viewer as the part is rendered for */
  viewer: CurrentUser;
}

export function perspectiveOf(viewer: CurrentUser, involved: Iterable<string>): Perspective {
  let isInvolved = false;
  for (const id of involved) if (id === viewer.employeeId) isInvolved = true;
  const roles = [...viewer.roles].sort();
  const employeeId = isInvolved ? viewer.employeeId : '';
  return {
    key: `${roles.join('+')}|${viewer.via}|${employeeId}`,
    viewer: { employeeId, name: '', departmentId: '', joinedOn: '', roles, via: viewer.via },
  };
}

/** The part under `key`, rendered by `render` at most once per version of the read models. */
export async function sharedPart(db: Views, key: string, render: () => JSX.Element): Promise<HtmlEscapedString> {
  const html = await keptUntilViewsChangeAsync(db, key, async () => String(await render().toString()));
  return raw(html);
}

/** at most this many pure parts are kept; past it, all are dropped (a rare reset is cheaper than an LRU here) */
const PURE_MAX = 1000;
const pure = new Map<string, HtmlEscapedString>();

/**
 * A part whose HTML is a pure function of `key`: everything `render` shows is in the key (and
 * nothing of the read models beyond it), so a kept copy is exactly what rendering it again would
 * give, whatever changed since. Rendered once per key and kept (a bounded number of keys). A part
 * that renders asynchronously is not kept: its element is handed back to be rendered in place.
 */
export function pureHtml(key: string, render: () => JSX.Element): HtmlEscapedString | JSX.Element {
  const hit = pure.get(key);
  if (hit !== undefined) return hit;
  const node = render();
  const html = node.toString();
  if (typeof html !== 'string') return node;
  if (pure.size >= PURE_MAX) pure.clear();
  const kept = raw(html);
  pure.set(key, kept);
  return kept;
}
