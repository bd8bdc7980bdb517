import * as Plot from '@observablehq/plot';
import type { CascadeNode } from '../../src/spread/cascade.ts';
import { plotSvg } from './plot.ts';

/**
 * The dashboard's charts, as SVG strings made by Observable Plot on the server (see plot.ts).
 * None carries a person's name or id: cascades are drawn by department only. Every chart pairs
 * colour with a second cue (symbols, printed counts or labels) and has a table beside it.
 */

/** Departments reached against days since told: a small step curve for one story's row. */
export function coverageCurve(curve: { days: number; reached: number }[], label: string): string {
  const last = curve[curve.length - 1];
  const points = last ? [...curve, { days: Math.max(last.days, 1), reached: last.reached }] : [];
  return plotSvg(
    {
      width: 180,
      height: 60,
      marginLeft: 24,
      marginBottom: 18,
      marginTop: 6,
      x: { label: null, ticks: 2, tickFormat: (d: number) => `${d}d` },
      y: { label: null, ticks: 2, domain: [0, Math.max(1, last?.reached ?? 1)] },
      marks: [Plot.line(points, { x: 'days', y: 'reached', curve: 'step-after', stroke: 'currentColor' }), Plot.dot(curve, { x: 'days', y: 'reached', r: 2, fill: 'currentColor' })],
    },
    label,
  );
}

/** From → to heatmap, counts printed in every cell (readable without colour) and on hover. */
export function flowHeatmap(cells: { from: string; to: string; count: number }[], order: string[]): string {
  const size = Math.max(240, 36 * order.length + 160);
  return plotSvg(
    {
      width: size + 60,
      height: size,
      marginLeft: 150,
      marginBottom: 110,
      padding: 0.05,
      x: { domain: order, label: 'to department →', tickRotate: -40 },
      y: { domain: order, label: '↑ from department' },
      color: { type: 'sqrt', scheme: 'blues' },
      marks: [
        Plot.cell(cells, { x: 'to', y: 'from', fill: 'count', title: (d: { from: string; to: string; count: number }) => `${d.from} → ${d.to}: ${d.count}` }),
        Plot.text(cells, { x: 'to', y: 'from', text: 'count', fill: 'currentColor', stroke: 'white', strokeWidth: 3, paintOrder: 'stroke' }),
      ],
    },
    'Department flow matrix: stories passed from one department (rows) to another (columns)',
  );
}

export interface DrawnNode {
  path: string;
  department: string;
}

/**
 * A cascade as a tree, nodes coloured and shaped by department, never named. Nodes are drawn in
 * the order they joined (a parent always before its children), so a prefix is still a tree.
 */
export function cascadeTree(nodes: CascadeNode[], departmentName: (departmentId: string) => string, max = 400): { svg: string; drawn: number } {
  const shown = nodes.slice(0, max);
  const index = new Map(shown.map((n, i) => [n.personId, i]));
  const paths: string[] = [];
  const data: DrawnNode[] = shown.map((n, i) => {
    const p = n.parentId === null ? undefined : index.get(n.parentId);
    paths[i] = p === undefined ? `${i}` : `${paths[p]}/${i}`;
    return { path: paths[i]!, department: departmentName(n.departmentId) };
  });
  const depth = Math.max(1, ...shown.map((n) => n.depth));
  const height = Math.min(1200, Math.max(160, shown.length * 9));
  const svg = plotSvg(
    {
      width: Math.max(360, 140 * depth + 120),
      height,
      marginLeft: 20,
      marginRight: 20,
      axis: null,
      symbol: { legend: false },
      marks: [
        Plot.link(data, Plot.treeLink({ path: 'path', stroke: '#888' })),
        Plot.dot(data, Plot.treeNode({ path: 'path', fill: 'department', symbol: 'department', r: 5, stroke: 'currentColor', strokeWidth: 0.5, title: 'department' } as Plot.TreeTransformOptions & Plot.DotOptions)),
      ],
    },
    `The cascade: ${shown.length} people as a tree from the teller, drawn by department`,
  );
  return { svg, drawn: shown.length };
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
