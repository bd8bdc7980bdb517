/**
 * A colour per theme: the theme id hashes (FNV-1a) to one of HUES slots. Each slot is a pair of
 * colours in hallway.css (`.hue-N`) chosen so that the text has a contrast of at least 4.5:1
 * against its fill in light and in dark (test/unit/theme-colours.test.ts checks it), so the
 * colour can only decorate, never hide the text.
 */
export const HUES = 12;

export function hueOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % HUES;
}

/** A theme as a coloured chip linking to its timeline. */
export function ThemeChip({ themeId, name, link = true }: { themeId: string; name: string; link?: boolean }) {
  const cls = `chip hue-${hueOf(themeId)}`;
  return link ? (
    <a class={cls} href={`/themes/${encodeURIComponent(themeId)}`}>
      {name}
    </a>
  ) : (
    <span class={cls}>{name}</span>
  );
}

/** A list of theme chips (nothing when there are none). */
export function ThemeChips({ themes, link = true }: { themes: { themeId: string; name: string }[]; link?: boolean }) {
  if (themes.length === 0) return null;
  return (
    <ul class="chips" aria-label="Themes">
      {themes.map((t) => (
        <li>
          <ThemeChip themeId={t.themeId} name={t.name} link={link} />
        </li>
      ))}
    </ul>
  );
}
