import { expect } from 'vitest';
import { keepDate } from '../../src/http/as-of.tsx';
import type { testHallway } from '../helpers.ts';
import type { LogEvent } from './as-of-log.ts';

/** What the as-of tests compare: a live Hallway's page as of a date against a fresh Hallway holding only the log before that date. */
export type TestHallway = Awaited<ReturnType<typeof testHallway>>;

/** Appends the log an event at a time, each seen by the read models before the next. */
export async function appendAll(h: TestHallway, events: LogEvent[]): Promise<void> {
  for (const e of events) {
    const { stream, ...ev } = e;
    const r = await h.store.append(stream, [ev]);
    await h.runtime.waitFor(r.position);
  }
}

export const getPage = async (h: TestHallway, path: string, cookie: string): Promise<{ status: number; html: string }> => {
  const res = await h.app.request(path, { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text() };
};

/** The as-of page without its banner (the fresh Hallway's page has none). */
export const withoutBanner = (html: string): string => html.replace(/<aside class="as-of-banner"[\s\S]*?<\/aside>/, '');
/**
 * The fresh Hallway's page without the teller's receipt: a receipt proves what the log holds now
 * (its position and chain link in today's log), so a page of the archive as it stood shows none.
 */
export const withoutReceipt = (html: string): string => html.replace(/<section class="story-receipt"[\s\S]*?<\/section>/, '');

/** Every as-of page of the random logs (src/http/as-of.tsx's list), for a log's stories; the story pages last (opening one today records a read). */
export function asOfPagesOf(events: LogEvent[]): string[] {
  const stories = events.filter((e) => e.type === 'StorySubmitted').map((e) => e.data['storyId'] as string);
  return [
    '/timelines', '/themes/th-care', '/themes/th-craft', '/leaders/Maren%20Holt', '/leaders/people/emp-a', '/departments/d-eng', '/departments/d-ops',
    '/search?q=leader', '/search?q=amended', '/search?q=imported&theme=th-care', '/dashboard?window=all', '/dashboard', '/dashboard?window=7',
    '/dashboard?from=2021-03-03&to=2021-03-20',
    ...['stories', 'flows', 'departments', 'themes'].map((t) => `/dashboard/export.csv?table=${t}&window=all`),
    '/dashboard/export.csv?table=stories&window=7',
    ...stories.flatMap((s) => [`/dashboard/stories/${s}`, `/stories/${s}`]),
  ];
}

/** Each page as of `date` on `live` equals the same page on `fresh` (status and HTML, banner and receipt aside). */
export async function expectSamePages(live: TestHallway, liveCookie: string, fresh: TestHallway, freshCookie: string, paths: string[], date: string): Promise<void> {
  for (const path of paths) {
    const sep = path.includes('?') ? '&' : '?';
    const asOf = await getPage(live, `${path}${sep}asOf=${date}`, liveCookie);
    const rebuilt = await getPage(fresh, path, freshCookie);
    expect({ path, status: asOf.status }).toEqual({ path, status: rebuilt.status });
    expect(withoutBanner(asOf.html), `${path} as of ${date}`).toBe(keepDate(withoutReceipt(rebuilt.html), date));
  }
}
