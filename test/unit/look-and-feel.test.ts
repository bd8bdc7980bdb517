import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDate, formatInstant, formatOccurredOn, formatRelative, plural } from '../../views/components/format.ts';
import { HUES, hueOf } from '../../views/components/theme-chip.tsx';
import { initials } from '../../views/components/avatar.tsx';

const css = readFileSync(new URL('../../public/hallway.css', import.meta.url), 'utf8');

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
}
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('a colour per theme', () => {
  const light = css.slice(0, css.indexOf('@media (prefers-color-scheme: dark) {\n  .hue-'));
  const dark = css.slice(css.indexOf('@media (prefers-color-scheme: dark) {\n  .hue-'));
  const pairs = (block: string) => new Map([...block.matchAll(/\.hue-(\d+) \{ --hue-bg: (#[0-9a-f]{6}); --hue-fg: (#[0-9a-f]{6}); \}/g)].map((m) => [Number(m[1]), [m[2]!, m[3]!] as const]));

  it('has a light and a dark pair for every slot, each with text contrast of at least 4.5:1', () => {
    for (const [scheme, block] of [['light', light], ['dark', dark]] as const) {
      const p = pairs(block);
      expect(p.size, scheme).toBe(HUES);
      for (const [n, [bg, fg]] of p) expect(contrast(bg, fg), `${scheme} hue-${n}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('derives the slot from the theme id alone, the same on every page and run', () => {
    expect(hueOf('theme-mistakes')).toBe(hueOf('theme-mistakes'));
    const slots = new Set(['a', 'b', 'customer-first', 'theme-mistakes', 'safety', 'growth', 'frugal', 'vision'].map(hueOf));
    for (const s of slots) expect(s).toBeGreaterThanOrEqual(0), expect(s).toBeLessThan(HUES);
    expect(slots.size).toBeGreaterThan(3);
  });
});

describe('dates and counts through Intl', () => {
  it('shows a story date as precisely as it was told', () => {
    expect(formatOccurredOn('2019')).toBe('2019');
    expect(formatOccurredOn('2019-03')).toBe('March 2019');
    expect(formatOccurredOn('2019-03-05')).toBe('5 March 2019');
  });

  it('says "3 days ago" for recent instants and the date for older ones', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(formatRelative('2026-11-27T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelative('2026-11-29T12:00:00Z', now)).toBe('yesterday');
    expect(formatRelative('2026-11-30T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelative('2026-11-30T11:59:40Z', now)).toBe('just now');
    expect(formatRelative('2026-01-02T08:00:00Z', now)).toBe('2 Jan 2026');
    expect(formatDate('2026-11-02')).toBe('2 Nov 2026');
    expect(formatInstant('2026-11-20T10:04:00Z')).toBe('20 Nov 2026, 10:04 UTC');
  });

  it('picks singular and plural through Intl.PluralRules', () => {
    expect(plural(1, 'story', 'stories')).toBe('1 story');
    expect(plural(0, 'story', 'stories')).toBe('0 stories');
    expect(plural(2, 'admin', 'admins')).toBe('2 admins');
    expect(plural(1200, 'person', 'people')).toBe('1,200 people');
  });
});

describe('initials avatars', () => {
  it('takes the first and last name, before any title', () => {
    expect(initials('Marta Ilves, founder and CEO')).toBe('MI');
    expect(initials('Zoë')).toBe('Z');
    expect(initials('ägnes de la Cruz')).toBe('ÄC');
    expect(initials('  ')).toBe('?');
  });
});
