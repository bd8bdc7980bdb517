import { escapeXml } from '../charts/plot.ts';

/**
 * The department flow matrix as one HTML table that is also the heatmap: a row per department the
 * stories came from, a column per department they went to, each cell's count printed and its
 * shade one of LEVELS classes (the stylesheet's `table.heatmap td.qN`: a fill and black or white
 * ink of at least 4.5:1 on it, test/unit/flow-contrast.test.ts). Screen readers get the counts
 * with their row and column headers; colour is never the only cue.
 *
 * Written as a string, one short attribute per non-empty cell and nothing in an empty one: at
 * fifty departments the matrix has 2,500 cells, and the SVG it replaces (a rect, a text and a
 * title per cell, about 300 bytes each) made the dashboard weigh 860 KiB at organisation size.
 */

/** shades of the fill: a count's share of the largest count, square-rooted, in eighths */
export const LEVELS = 8;

/** The shade of a count (1 to LEVELS; 0 only for nothing). */
export function levelOf(count: number, max: number): number {
  if (count <= 0) return 0;
  return Math.min(LEVELS, Math.max(1, Math.ceil(Math.sqrt(count / Math.max(1, max)) * LEVELS)));
}

export function flowHeatmap(cells: readonly { from: string; to: string; count: number }[], order: readonly string[]): string {
  const n = order.length;
  const index = new Map(order.map((name, i) => [name, i]));
  const counts = new Float64Array(n * n);
  let max = 1;
  for (const c of cells) {
    const i = index.get(c.from);
    const j = index.get(c.to);
    if (i === undefined || j === undefined || c.count <= 0) continue;
    counts[i * n + j] = c.count;
    if (c.count > max) max = c.count;
  }
  const names = order.map(escapeXml);
  let out =
    '<table class="heatmap"><caption>Stories passed from a person in the row\'s department to a person in the column\'s department</caption>' +
    '<thead><tr><th scope="col" class="corner">From ↓ to →</th>';
  // column names run upwards (the stylesheet turns the span; a long one ends in an ellipsis there,
  // whole in the markup, so a screen reader reads it all)
  for (const name of names) out += `<th scope="col"><span>${name}</span></th>`;
  out += '</tr></thead><tbody>';
  for (let i = 0; i < n; i++) {
    out += `<tr><th scope="row">${names[i]}</th>`;
    for (let j = 0; j < n; j++) {
      const c = counts[i * n + j]!;
      out += c ? `<td class="q${levelOf(c, max)}">${c}</td>` : '<td></td>';
    }
    out += '</tr>';
  }
  return `${out}</tbody></table>`;
}
