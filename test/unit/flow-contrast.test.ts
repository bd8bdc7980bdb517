import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { contrastRatio, parseColour } from '../../views/charts/contrast.ts';
import { ramp } from '../../views/charts/spread-charts.ts';
import { flowHeatmap, LEVELS, levelOf } from '../../views/fragments/flow-heatmap.ts';

/**
 * Issue 11: the flow matrix is readable. Issue 10: it is a table shaded as a heatmap, small enough
 * for fifty departments. Every shade's count has at least 4.5:1 contrast against its fill, as the
 * stylesheet paints them (table.heatmap td.qN), and every department pair is listed with its count
 * under its row and column headers.
 */
describe('the flow matrix', () => {
  const css = readFileSync(new URL('../../public/hallway.css', import.meta.url), 'utf8');
  const full = (hex: string): string => (hex.length === 4 ? `#${hex[1]}${hex[1]}${hex[2]}${hex[2]}${hex[3]}${hex[3]}` : hex);
  const shade = (level: number): { fill: string; ink: string } => {
    const m = new RegExp(`table\\.heatmap td\\.q${level} \\{ background: (rgb\\([0-9,]+\\)); color: (#[0-9a-f]{3,6}); \\}`).exec(css);
    if (!m) throw new Error(`no rule for td.q${level}`);
    return { fill: m[1]!, ink: full(m[2]!) };
  };

  it('gives every possible fill of the ramp an ink of at least 4.5:1 (the old rule gave 12 dark ink on navy)', () => {
    let worst = Infinity;
    for (let i = 0; i <= 1000; i++) {
      const { fill, ink } = ramp(i / 1000);
      worst = Math.min(worst, contrastRatio(fill, ink));
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('has a stylesheet rule per shade, filled from the ramp, with an ink of at least 4.5:1 on it', () => {
    for (let level = 1; level <= LEVELS; level++) {
      const { fill, ink } = shade(level);
      const expected = ramp(level / LEVELS);
      expect(parseColour(fill)).toEqual([...expected.fill]);
      expect(contrastRatio(parseColour(fill)!, parseColour(ink)!), `q${level}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('shades a count by its share of the largest, never 0 for a count', () => {
    expect(levelOf(0, 10)).toBe(0);
    expect(levelOf(1, 10_000)).toBe(1);
    expect(levelOf(10_000, 10_000)).toBe(LEVELS);
    for (let c = 1; c <= 100; c++) {
      expect(levelOf(c, 100)).toBeGreaterThanOrEqual(levelOf(c - 1, 100));
      expect(levelOf(c, 100)).toBeGreaterThanOrEqual(1);
    }
  });

  it('lists every department pair with its count under its row and column headers, shaded with a rule the stylesheet has', () => {
    const names = ['Engineering', 'Operations', 'Finance', 'People & Culture', 'Customer Support and Success (EMEA, nights)'];
    for (const max of [1, 7, 250, 1200]) {
      const cells: { from: string; to: string; count: number }[] = [];
      let k = 0;
      // every third pair has no flow: its cell is empty
      for (const from of names) for (const to of names) if (k++ % 3) cells.push({ from, to, count: 1 + ((k * 7919) % max) });
      const { document } = parseHTML(`<!doctype html><html><body>${flowHeatmap(cells, names)}</body></html>`);
      const table = document.querySelector('table.heatmap')!;
      expect(table.querySelector('caption')!.textContent).toMatch(/row's department.*column's department/);
      const cols = [...table.querySelectorAll('thead th[scope="col"]')].slice(1).map((th) => th.textContent);
      expect(cols).toEqual(names);
      const rows = [...table.querySelectorAll('tbody tr')];
      expect(rows.map((r) => r.querySelector('th[scope="row"]')!.textContent)).toEqual(names);
      const seen = new Map<string, string>();
      rows.forEach((r, i) => {
        const tds = [...r.querySelectorAll('td')];
        expect(tds).toHaveLength(names.length);
        tds.forEach((td, j) => seen.set(`${names[i]}→${names[j]}`, td.textContent ?? ''));
        for (const td of tds) {
          if (td.textContent === '') expect(td.hasAttribute('class')).toBe(false);
          else expect(css).toContain(`table.heatmap td.${td.getAttribute('class')} {`);
        }
      });
      for (const c of cells) expect(seen.get(`${c.from}→${c.to}`)).toBe(String(c.count));
      expect([...seen.values()].filter((v) => v !== '')).toHaveLength(cells.length);
    }
  });

  it('stays small at fifty departments: under 30 bytes a cell with four-digit counts (the SVG took about 300)', () => {
    const names = Array.from({ length: 50 }, (_, i) => `Department number ${i}`);
    const cells = names.flatMap((from) => names.map((to, j) => ({ from, to, count: 1000 + j })));
    const html = flowHeatmap(cells, names);
    expect(html.length).toBeLessThan(50 * 50 * 30);
  });
});
