import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { contrastRatio, parseColour } from '../../views/charts/contrast.ts';
import { flowHeatmap, ramp } from '../../views/charts/spread-charts.ts';

/**
 * Issue 11: the flow matrix is readable. Every count has at least 4.5:1 contrast against its
 * cell's fill, for every fill the chart can use, and the colour the page paints the count in (the
 * stylesheet's svg.heatmap rules) is the one that was checked. Labels are not cut off.
 */
describe('the flow matrix', () => {
  const css = readFileSync(new URL('../../public/hallway.css', import.meta.url), 'utf8');
  const cssInk = (cls: string): string => new RegExp(`svg\\.heatmap text\\.${cls} \\{ fill: (#[0-9a-f]{3,6}); \\}`).exec(css)![1]!;
  const full = (hex: string): string => (hex.length === 4 ? `#${hex[1]}${hex[1]}${hex[2]}${hex[2]}${hex[3]}${hex[3]}` : hex);

  it('gives every possible fill an ink of at least 4.5:1 (the old rule gave 12 dark ink on navy)', () => {
    let worst = Infinity;
    for (let i = 0; i <= 1000; i++) {
      const { fill, ink } = ramp(i / 1000);
      worst = Math.min(worst, contrastRatio(fill, ink));
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('paints every cell of real matrices in a colour that contrasts 4.5:1 with its fill, as the stylesheet draws it', () => {
    const ink = { 'ink-dark': parseColour(full(cssInk('ink-dark')))!, 'ink-light': parseColour(full(cssInk('ink-light')))! };
    const names = ['Engineering', 'Operations', 'Finance', 'People & Culture', 'Customer Support and Success (EMEA, nights)'];
    for (const max of [1, 2, 3, 7, 12, 40, 99, 250, 1200]) {
      const cells = [];
      let k = 0;
      for (const from of names) for (const to of names) cells.push({ from, to, count: 1 + ((k++ * 7919) % max) });
      cells.push({ from: names[0]!, to: names[1]!, count: max });
      const { document } = parseHTML(`<!doctype html><html><body>${flowHeatmap(cells, names)}</body></html>`);
      const groups = [...document.querySelectorAll('svg.heatmap g')];
      expect(groups.length).toBe(cells.length);
      for (const g of groups) {
        const fill = parseColour(g.querySelector('rect')!.getAttribute('fill')!)!;
        const text = g.querySelector('text')!;
        const cls = text.getAttribute('class') as keyof typeof ink;
        expect(cls === 'ink-dark' || cls === 'ink-light').toBe(true);
        const ratio = contrastRatio(fill, ink[cls]);
        expect(ratio, `${text.textContent} on ${g.querySelector('rect')!.getAttribute('fill')}`).toBeGreaterThanOrEqual(4.5);
        // the attribute (used where the stylesheet is not, e.g. a saved SVG) says the same
        expect(contrastRatio(fill, parseColour(text.getAttribute('fill')!)!)).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('leaves room for every label: long names are not cut off at the edges', () => {
    const names = ['Customer Support and Success (EMEA)', 'A', 'Research & Development'];
    const svg = flowHeatmap([{ from: 'A', to: names[0]!, count: 3 }], names);
    const { document } = parseHTML(`<!doctype html><html><body>${svg}</body></html>`);
    const root = document.querySelector('svg')!;
    const W = Number(root.getAttribute('width'));
    // the names appear whole (under 40 characters)
    const texts = [...document.querySelectorAll('text')].map((t) => t.textContent);
    for (const n of names) expect(texts.filter((t) => t === n)).toHaveLength(2);
    // each column label, rotated -60° from its anchor, ends inside the drawing
    const approx = (s: string) => s.length * 12 * 0.58;
    for (const t of document.querySelectorAll('text[transform^="rotate(-60"]')) {
      const x = Number(t.getAttribute('x'));
      const y = Number(t.getAttribute('y'));
      const len = approx(t.textContent!);
      expect(x + len * Math.cos(Math.PI / 3)).toBeLessThanOrEqual(W);
      expect(y - len * Math.sin(Math.PI / 3)).toBeGreaterThanOrEqual(0);
    }
    // row labels end right of the left edge
    for (const t of document.querySelectorAll('text[text-anchor="end"]')) {
      expect(Number(t.getAttribute('x')) - approx(t.textContent!)).toBeGreaterThanOrEqual(0);
    }
    // and the counts are at reading size
    expect(Number(root.getAttribute('font-size'))).toBeGreaterThanOrEqual(12);
  });
});
