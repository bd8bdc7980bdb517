import type { Child } from 'hono/jsx';

/**
 * A wide table scrolls inside this box, so the page itself never scrolls sideways on a phone.
 * Focusable and named so that keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
export function TableScroll({ label, children }: { label: string; children?: Child }) {
  return (
    <div class="table-scroll" role="region" aria-label={label} tabindex={0}>
      {children}
    </div>
  );
}
