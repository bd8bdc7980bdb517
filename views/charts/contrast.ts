/**
 * WCAG 2 contrast between two sRGB colours (relative luminance, then (L1 + 0.05) / (L2 + 0.05)),
 * so a chart can pick the ink for each fill it draws instead of guessing from the fill's index.
 */
export type Rgb = readonly [number, number, number];

const channel = (v: number): number => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

export const luminance = ([r, g, b]: Rgb): number => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

export const BLACK: Rgb = [0, 0, 0];
export const WHITE: Rgb = [255, 255, 255];

/**
 * Black or white, whichever reads better on `fill`. One of the two always reaches at least 4.58:1
 * (the worst fill, where they tie, has luminance ≈ 0.18), so every cell passes WCAG AA's 4.5:1.
 */
export function inkFor(fill: Rgb): Rgb {
  return contrastRatio(fill, BLACK) >= contrastRatio(fill, WHITE) ? BLACK : WHITE;
}

export const rgbText = ([r, g, b]: Rgb): string => `rgb(${r},${g},${b})`;

/** Parses `rgb(r,g,b)` or `#rrggbb` (what Hallway's charts write). */
export function parseColour(s: string): Rgb | null {
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(s.trim());
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(s.trim());
  if (h) return [parseInt(h[1]!, 16), parseInt(h[2]!, 16), parseInt(h[3]!, 16)];
  return null;
}
