import type { JSX } from 'hono/jsx/jsx-runtime';
import { raw } from 'hono/html';
import { escapeToBuffer } from 'hono/utils/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { randomUUID } from 'node:crypto';
import { keptUntilViewsChangeAsync } from '../read/kept.ts';
import type { Views } from '../projections/runtime.ts';
import type { CurrentUser } from './env.ts';

/**
 * Parts of pages that many people see alike, rendered once and kept until the read models change
 * (src/read/kept.ts), so that a busy page renders only what is personal to each request (the
 * layout's menu and name) around them.
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

export function perspectiveOf(viewer: CurrentUser, involved: Iterable<string>, opts: { nameSlot?: boolean } = {}): Perspective {
  let isInvolved = false;
  for (const id of involved) if (id === viewer.employeeId) isInvolved = true;
  const roles = [...viewer.roles].sort();
  const employeeId = isInvolved ? viewer.employeeId : '';
  return {
    key: `${roles.join('+')}|${viewer.via}|${employeeId}${opts.nameSlot ? '|name-slot' : ''}`,
    viewer: { employeeId, name: opts.nameSlot ? slot('name') : '', departmentId: '', joinedOn: '', roles, via: viewer.via },
  };
}

/**
 * Slots: marks in a shared part where each request puts its own text (the viewer's name, escaped
 * as hono escapes text) or markup (a personal fragment). The mark holds a random id made at start,
 * so no text a person types can be taken for one.
 */
const SLOT_ID = randomUUID();
export type SlotName = 'name' | 'personal';
export const slot = (name: SlotName): string => `\uE000${SLOT_ID}:${name}\uE000`;
const SLOTS = new RegExp(`\uE000${SLOT_ID}:(name|personal)\uE000`, 'g');

const escapeText = (text: string): string => {
  const buffer: [string] = [''];
  escapeToBuffer(text, buffer);
  return buffer[0];
};

/** The part with its slots filled for this request: the name escaped, the personal markup as it is. */
export function fillSlots(part: HtmlEscapedString, fill: { name: string; personal: string }): HtmlEscapedString {
  // one pass: what is put in is never searched for slots again
  return raw(String(part).replace(SLOTS, (_, which: SlotName) => (which === 'name' ? escapeText(fill.name) : fill.personal)));
}

/** The part under `key`, rendered by `render` at most once per version of the read models. */
export async function sharedPart(db: Views, key: string, render: () => JSX.Element): Promise<HtmlEscapedString> {
  const html = await keptUntilViewsChangeAsync(db, key, async () => String(await render().toString()));
  return raw(html);
}
