/**
 * Hallway's one style for dates, times and counts, through Intl (so a later locale setting
 * changes them in one place). Dates are shown in UTC: events carry UTC instants and the archive
 * has no per-person time zone yet.
 */
export const LOCALE = 'en-GB';

const day = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthYear = new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayShort = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
const relative = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });
const plurals = new Intl.PluralRules(LOCALE);

/** `2019` → "2019", `2019-03` → "March 2019", `2019-03-05` → "5 March 2019" (a story's own date, as precise as told). */
export function formatOccurredOn(occurredOn: string): string {
  return keptText(occurred, occurredOn, () => occurredText(occurredOn));
}
function occurredText(occurredOn: string): string {
  const [y, m, d] = occurredOn.split('-');
  if (!y || !m) return y ?? occurredOn;
  const at = new Date(Date.UTC(Number(y), Number(m) - 1, d ? Number(d) : 1));
  if (Number.isNaN(at.getTime())) return occurredOn;
  return d ? day.format(at) : monthYear.format(at);
}

/**
 * Intl formatting costs microseconds a call (a story page's "you said so 3 days ago" cost more
 * than the rest of its panel) and pages show the same instants and phrases again and again: the
 * text is kept per input, up to KEPT entries each (then all are dropped: a rare reset is cheaper
 * than an LRU here).
 */
const KEPT = 10_000;
function keptText<K>(map: Map<K, string>, key: K, format: () => string): string {
  let text = map.get(key);
  if (text === undefined) {
    if (map.size >= KEPT) map.clear();
    map.set(key, (text = format()));
  }
  return text;
}
const dates = new Map<number, string>();
const occurred = new Map<string, string>();
const phrases = new Map<string, string>();

/** A calendar date (`2026-11-02` or an instant) as "2 Nov 2026". */
export function formatDate(iso: string | Date): string {
  const at = typeof iso === 'string' ? new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso) : iso;
  const ms = at.getTime();
  return Number.isNaN(ms) ? String(iso) : keptText(dates, ms, () => dayShort.format(at));
}

/** An instant as "20 Nov 2026, 10:04 UTC", for history entries and audit lines. */
export function formatInstant(iso: string | Date): string {
  // Intl formatting costs microseconds and a page shows the same instants to everyone: kept per instant
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  if (Number.isNaN(ms)) return String(iso);
  return keptText(instants, ms, () => dateTime.format(ms));
}
const instants = new Map<number, string>();

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 days ago", "yesterday", "just now" for instants within `recentDays`; otherwise the date. */
export function formatRelative(iso: string | Date, now: Date = new Date(), recentDays = 30): string {
  const at = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(at.getTime())) return String(iso);
  const diff = at.getTime() - now.getTime();
  if (Math.abs(diff) > recentDays * 86_400_000) return formatDate(at);
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) {
      const n = Math.round(diff / ms);
      return keptText(phrases, `${n} ${unit}`, () => relative.format(n, unit));
    }
  }
  return 'just now';
}

/** "1 story", "3 stories": English plural forms picked by Intl.PluralRules. */
export function plural(n: number, one: string, other: string): string {
  return `${n.toLocaleString(LOCALE)} ${plurals.select(n) === 'one' ? one : other}`;
}
