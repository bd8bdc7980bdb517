import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { raw } from 'hono/html';

const require = createRequire(import.meta.url);

/** The Lucide icons Hallway uses (lucide-static, pinned): read once, inlined as markup Hallway controls. */
export const ICONS = [
  'house', 'clock', 'search', 'pen-line', 'sparkles', 'chart-line', 'shield', 'log-out', 'calendar', 'map-pin',
  'user', 'users', 'eye', 'share-2', 'arrow-right', 'book-open', 'building-2', 'history', 'star', 'tag',
  'file-text', 'key-round', 'upload', 'list-checks', 'message-square-quote', 'send',
] as const;
export type IconName = (typeof ICONS)[number];

const cache = new Map<IconName, string>();

function inner(name: IconName): string {
  let body = cache.get(name);
  if (body === undefined) {
    const svg = readFileSync(require.resolve(`lucide-static/icons/${name}.svg`), 'utf8');
    // keep only the drawing: the <svg> wrapper is ours, so no attribute from the file reaches the page
    body = svg.replace(/<!--[\s\S]*?-->/g, '').replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '').replace(/\s+/g, ' ').trim();
    cache.set(name, body);
  }
  return body;
}

/** A decorative icon (hidden from screen readers: the text beside it says what it means). */
export function Icon({ name, class: cls }: { name: IconName; class?: string }) {
  return raw(
    `<svg class="icon${cls ? ` ${cls}` : ''}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${inner(name)}</svg>`,
  );
}
