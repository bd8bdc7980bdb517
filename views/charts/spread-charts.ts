import * as Plot from '@observablehq/plot';
import type { CascadeNode } from '../../src/spread/cascade.ts';
import { escapeXml, plotSvg } from './plot.ts';
import { inkFor, rgbText } from './contrast.ts';
import type { Rgb } from './contrast.ts';

/**
 * The dashboard's charts, as SVG strings made on the server: the story page's tree and timeline
 * by Observable Plot (see plot.ts), the per-story curves by hand (see below); the flow matrix is a
 * shaded table (views/fragments/flow-heatmap.ts) coloured with `ramp`.
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
  // every arrival's dot: one path of zero-length strokes with round caps (a circle element each
  // weighed 60 bytes; the dashboard draws twenty curves of up to fifty departments)
  let dotPath = '';
  for (const p of curve) dotPath += `M${r1(x(p.days))},${r1(y(p.reached))}h0`;
  const dots = dotPath ? `<path d="${dotPath}" fill="none" stroke="currentColor" stroke-width="5" stroke-linecap="round"></path>` : '';
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

/** The ink for each fill worked out once. */
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
