import * as Plot from '@observablehq/plot';
import type { CascadeNode } from '../../src/spread/cascade.ts';
import { escapeXml, plotSvg } from './plot.ts';
import { inkFor, rgbText } from './contrast.ts';
import type { Rgb } from './contrast.ts';

/**
 * The dashboard's charts, as SVG strings made on the server: the story page's tree and timeline
 * by Observable Plot (see plot.ts), the per-page curves and the flow matrix by hand (see below).
 * None carries a person's name or id: cascades are drawn by department only. Every chart pairs
 * colour with a second cue (symbols, printed counts or labels) and has a table beside it.
 */

const r1 = (x: number): string => (Math.round(x * 10) / 10).toString();

/**
 * Departments reached against days since told: a small step curve for one story's row.
 * Drawn by hand, not with Plot: the dashboard shows twenty of them per page, and Plot with a DOM
 * shim costs several milliseconds each, which the 100 ms budget for the page cannot afford.
 */
export function coverageCurve(curve: { days: number; reached: number }[], label: string): string {
  const W = 240;
  const H = 64;
  const L = 26;
  const B = 16;
  const last = curve[curve.length - 1];
  const maxDays = Math.max(1, last?.days ?? 1);
  const maxReached = Math.max(1, last?.reached ?? 1);
  const x = (d: number): number => L + (d / maxDays) * (W - L - 6);
  const y = (r: number): number => H - B - (r / maxReached) * (H - B - 6);
  let d = '';
  curve.forEach((p, i) => {
    d += i === 0 ? `M${r1(x(p.days))},${r1(y(p.reached))}` : `H${r1(x(p.days))}V${r1(y(p.reached))}`;
  });
  if (last) d += `H${r1(x(maxDays))}`;
  const dots = curve.map((p) => `<circle cx="${r1(x(p.days))}" cy="${r1(y(p.reached))}" r="2.5" fill="currentColor"></circle>`).join('');
  return (
    `<svg class="chart spark" role="img" aria-label="${escapeXml(label)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-size="11">` +
    `<title>${escapeXml(label)}</title>` +
    `<line x1="${L}" y1="${H - B}" x2="${W - 4}" y2="${H - B}" stroke="currentColor" stroke-opacity="0.3"></line>` +
    `<text x="${L - 3}" y="${r1(y(maxReached) + 3)}" text-anchor="end">${maxReached}</text>` +
    `<text x="${L}" y="${H - 3}" text-anchor="start">0d</text>` +
    `<text x="${W - 4}" y="${H - 3}" text-anchor="end">${escapeXml(`${Math.round(maxDays)}d`)}</text>` +
    `<path d="${d}" fill="none" stroke="currentColor" stroke-width="1.5"></path>${dots}</svg>`
  );
}

/**
 * A sequential blue ramp. Each cell's count is printed in black or white, whichever contrasts
 * more with the fill (at least 4.5:1, see contrast.ts), so colour is never the only cue.
 */
export function ramp(t: number): { fill: Rgb; ink: Rgb } {
  const a = [238, 243, 251];
  const b = [8, 48, 107];
  const fill = a.map((v, i) => Math.round(v + (b[i]! - v) * t)) as unknown as Rgb;
  return { fill, ink: inkOf(fill) };
}

/** The ink for each fill worked out once: a heatmap of fifty departments asks for it 2,500 times a render. */
const inks = new Map<string, Rgb>();
function inkOf(fill: Rgb): Rgb {
  const key = rgbText(fill);
  let ink = inks.get(key);
  if (ink === undefined) {
    if (inks.size >= 4096) inks.clear();
    inks.set(key, (ink = inkFor(fill)));
  }
  return ink;
}

/** Rough width of a label at `size` px in the UI font (no text measuring on the server). */
const textWidth = (s: string, size: number): number => s.length * size * 0.58;

/**
 * From → to heatmap, the count printed in every cell and given on hover (<title>). Hand-drawn
 * SVG for the same reason as the curves: fifty departments make 2,500 cells, which Plot with a
 * DOM shim renders in hundreds of milliseconds. The margins are sized from the longest name, so
 * no row or column label is cut off; names past 40 characters are shortened (the table beside
 * the chart has them whole). The SVG keeps its size (the page scrolls it in its own box on a
 * phone) rather than shrinking its text below reading size.
 */
/** heatmap cells already drawn (about 300 bytes each: at most a few MB) */
const cellsDrawn = new Map<string, string>();
const CELLS_KEPT = 20_000;

export function flowHeatmap(cells: { from: string; to: string; count: number }[], order: string[]): string {
  const C = 34;
  const FONT = 12;
  const n = order.length;
  const short = order.map((name) => (name.length > 40 ? `${name.slice(0, 39)}…` : name));
  const longest = Math.max(40, ...short.map((s) => textWidth(s, FONT)));
  const L = 30 + longest + 8;
  // column labels run up and to the right at 60°: their height and their overhang past the last column
  const T = 26 + longest * Math.sin(Math.PI / 3) + 8;
  const overhang = longest * Math.cos(Math.PI / 3);
  const W = Math.ceil(L + n * C + Math.max(12, overhang - C / 2 + 8));
  const H = Math.ceil(T + n * C + 12);
  const index = new Map(order.map((name, i) => [name, i]));
  const max = Math.max(1, ...cells.map((c) => c.count));
  const parts: string[] = [];
  const label = 'Department flow matrix: stories passed from one department (rows) to another (columns)';
  parts.push(`<svg class="chart heatmap" role="img" aria-label="${escapeXml(label)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-size="${FONT}"><title>${escapeXml(label)}</title>`);
  parts.push(`<text x="${r1(L + (n * C) / 2)}" y="14" text-anchor="middle" font-weight="600">to department →</text>`);
  parts.push(`<text x="14" y="${r1(T + (n * C) / 2)}" text-anchor="middle" font-weight="600" transform="rotate(-90 14 ${r1(T + (n * C) / 2)})">from department →</text>`);
  short.forEach((name, i) => {
    const e = escapeXml(name);
    parts.push(`<text x="${r1(L - 8)}" y="${r1(T + i * C + C / 2 + 4)}" text-anchor="end">${e}</text>`);
    const cx = L + i * C + C / 2;
    parts.push(`<text x="${r1(cx)}" y="${r1(T - 8)}" text-anchor="start" transform="rotate(-60 ${r1(cx)} ${r1(T - 8)})">${e}</text>`);
  });
  parts.push(`<rect x="${r1(L)}" y="${r1(T)}" width="${n * C}" height="${n * C}" fill="none" stroke="currentColor" stroke-opacity="0.25"></rect>`);
  for (const c of cells) {
    const i = index.get(c.from);
    const j = index.get(c.to);
    if (i === undefined || j === undefined) continue;
    // a cell's markup depends on these alone: kept, so a new edge redraws the cells it changed
    const key = `${L}\u0000${T}\u0000${max}\u0000${i}\u0000${j}\u0000${c.count}\u0000${c.from}\u0000${c.to}`;
    let cell = cellsDrawn.get(key);
    if (cell === undefined) {
      const { fill, ink } = ramp(Math.sqrt(c.count / max));
      const x = L + j * C;
      const y = T + i * C;
      cell =
        `<g><title>${escapeXml(`${c.from} → ${c.to}: ${c.count}`)}</title><rect x="${r1(x + 1)}" y="${r1(y + 1)}" width="${C - 2}" height="${C - 2}" fill="${rgbText(fill)}"></rect>` +
        `<text class="${ink[0] === 0 ? 'ink-dark' : 'ink-light'}" x="${r1(x + C / 2)}" y="${r1(y + C / 2 + 4)}" text-anchor="middle" fill="${rgbText(ink)}" font-size="${c.count >= 1000 ? 10 : FONT}">${c.count}</text></g>`;
      if (cellsDrawn.size >= CELLS_KEPT) cellsDrawn.clear();
      cellsDrawn.set(key, cell);
    }
    parts.push(cell);
  }
  parts.push('</svg>');
  return parts.join('');
}

export interface DrawnNode {
  path: string;
  department: string;
}

/**
 * A cascade as a tree, nodes coloured and shaped by department, never named. Nodes are drawn in
 * the order they joined (a parent always before its children), so a prefix is still a tree.
 */
export function cascadeTree(nodes: CascadeNode[], departmentName: (departmentId: string) => string, max = 400): { svg: string; legend: string; drawn: number } {
  const shown = nodes.slice(0, max);
  const index = new Map(shown.map((n, i) => [n.personId, i]));
  const paths: string[] = [];
  const data: DrawnNode[] = shown.map((n, i) => {
    const p = n.parentId === null ? undefined : index.get(n.parentId);
    paths[i] = p === undefined ? `${i}` : `${paths[p]}/${i}`;
    return { path: paths[i]!, department: departmentName(n.departmentId) };
  });
  // one explicit domain for the tree and its legend, so a colour and shape mean the same in both
  const domain = [...new Set(data.map((d) => d.department))].sort();
  const scales = { color: { type: 'categorical' as const, domain }, symbol: { domain, legend: false } };
  const depth = Math.max(1, ...shown.map((n) => n.depth));
  const height = Math.min(1200, Math.max(160, shown.length * 9));
  const svg = plotSvg(
    {
      width: Math.max(360, 140 * depth + 120),
      height,
      marginLeft: 20,
      marginRight: 20,
      axis: null,
      ...scales,
      marks: [
        Plot.link(data, Plot.treeLink({ path: 'path', stroke: '#888' })),
        Plot.dot(data, Plot.treeNode({ path: 'path', fill: 'department', symbol: 'department', r: 5, stroke: 'currentColor', strokeWidth: 0.5, title: 'department' } as Plot.TreeTransformOptions & Plot.DotOptions)),
      ],
    },
    `The cascade: ${shown.length} people as a tree from the teller, drawn by department`,
  );
  const legend = plotSvg(
    {
      width: 360,
      height: 24 * domain.length + 20,
      marginLeft: 200,
      marginTop: 10,
      marginBottom: 10,
      x: { axis: null, domain: [0, 1] },
      y: { domain, label: null, tickSize: 0 },
      ...scales,
      marks: [Plot.dot(domain, { x: 0.1, y: (d: string) => d, fill: (d: string) => d, symbol: (d: string) => d, r: 6, stroke: 'currentColor', strokeWidth: 0.5 })],
    },
    'Legend: the colour and shape of each department in the tree',
  );
  return { svg, legend, drawn: shown.length };
}

/** departmentArrivals as a timeline: one labelled dot per department, days after the story was told. */
export function arrivalsTimeline(arrivals: { department: string; days: number }[]): string {
  return plotSvg(
    {
      width: 640,
      height: Math.max(120, 28 * arrivals.length + 60),
      marginLeft: 160,
      x: { label: 'days after it was told →', grid: true },
      y: { label: null, domain: arrivals.map((a) => a.department) },
      marks: [
        Plot.ruleX([0]),
        Plot.dot(arrivals, { x: 'days', y: 'department', r: 4, fill: 'currentColor', title: (a: { department: string; days: number }) => `${a.department}: day ${a.days.toFixed(1)}` }),
        Plot.text(arrivals, { x: 'days', y: 'department', text: (a: { days: number }) => `day ${a.days.toFixed(1)}`, dx: 8, textAnchor: 'start' }),
      ],
    },
    'Department arrivals: when each department first heard the story',
  );
}
