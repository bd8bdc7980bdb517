import { FORMER_COLLEAGUE, REMOVED_TEXT } from './markers.ts';

/** docs/trust.md, "What is sealed": the personal fields of each type, everything else stays clear. */
export const SEALED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  EmployeeJoined: ['name', 'email'],
  StorySubmitted: ['title', 'body', 'leader'],
  StoryAmended: ['title', 'body'],
};

/**
 * The marker an erased field reads as; `undefined` drops the field (an email is optional, and an
 * address-shaped marker would only mislead).
 */
export const MARKER_OF: Readonly<Record<string, string | undefined>> = {
  name: FORMER_COLLEAGUE,
  email: undefined,
  title: REMOVED_TEXT,
  body: REMOVED_TEXT,
  leader: REMOVED_TEXT,
};

/** The person whose key seals a StorySubmitted (version 1 had an optional `teller`). */
export function tellerOf(data: Record<string, unknown>): string {
  const teller = data['tellerId'] ?? data['teller'];
  return typeof teller === 'string' ? teller : `story:${String(data['storyId'])}`;
}
