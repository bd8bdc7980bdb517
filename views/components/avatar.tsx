import { hueOf } from './theme-chip.tsx';

/** "Marta Ilves, founder and CEO" → "MI": the first letters of the first and last word of the name part. */
export function initials(name: string): string {
  const words = (name.split(',')[0] ?? name).trim().split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return '?';
  const first = [...words[0]!][0] ?? '';
  const last = words.length > 1 ? ([...words[words.length - 1]!][0] ?? '') : '';
  return (first + last).toLocaleUpperCase('en-GB');
}

/** Initials in a coloured circle (no photos); the name beside it is what screen readers read. */
export function Avatar({ name, size = 'md' }: { name: string; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <span class={`avatar avatar-${size} hue-${hueOf(name.split(',')[0]!.trim())}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
