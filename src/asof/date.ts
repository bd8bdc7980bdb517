/**
 * The `asOf` date of "the archive as it stood on a date": a calendar date, YYYY-MM-DD, read as
 * the end of that UTC day. The cutoff is the next UTC midnight: the archive as it stood on
 * 2021-03-04 is built from the events whose `metadata.at` is before 2021-03-05T00:00:00Z.
 */

const DAY = 86_400_000;
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface AsOfDate {
  /** YYYY-MM-DD, as given */
  date: string;
  /** milliseconds since the epoch of the next UTC midnight: events at or after it are left out */
  cutoffMs: number;
  /** "4 March 2021" */
  label: string;
}

export type AsOfParse = { ok: true; asOf: AsOfDate } | { ok: false; problem: 'invalid' | 'future'; message: string };

const labelFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The UTC calendar date of an instant, YYYY-MM-DD. */
export const utcDate = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Reads an `asOf` value. Not a real calendar date (2021-02-30, 4/3/2021, 2021-3-4): invalid.
 * A date after today (UTC, by the app's clock): refused as "future" with a clear message rather
 * than quietly showing today's archive, so nobody mistakes today's figures for a later date's.
 * Today itself is allowed: the archive as it stands so far today.
 */
export function parseAsOf(value: string, now: Date): AsOfParse {
  const m = SHAPE.exec(value.trim());
  const shown = JSON.stringify(value.slice(0, 40));
  if (!m) return { ok: false, problem: 'invalid', message: `${shown} is not a date: give it as YYYY-MM-DD, for example 2021-03-04.` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 2021-02-30 over to 2 March: a real date reads back the same
  if (y < 1970 || utcDate(new Date(start)) !== m[0]) return { ok: false, problem: 'invalid', message: `${shown} is not a date on the calendar (from 1970 on, as YYYY-MM-DD).` };
  if (m[0] > utcDate(now)) {
    return { ok: false, problem: 'future', message: `${labelFormat.format(start)} has not happened yet: the archive can be shown as it stood on any day up to today (${labelFormat.format(now)}).` };
  }
  return { ok: true, asOf: { date: m[0], cutoffMs: start + DAY, label: labelFormat.format(start) } };
}
