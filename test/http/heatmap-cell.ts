import { parseHTML } from 'linkedom';

/** The count in the dashboard heatmap's cell from row `from` to column `to` ('' for an empty cell). */
export function heatmapCell(html: string, from: string, to: string): string {
  const { document } = parseHTML(html);
  const table = document.querySelector('table.heatmap')!;
  const cols = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
  const row = [...table.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')!.textContent === from)!;
  return row.querySelectorAll('td')[cols.indexOf(to) - 1]!.textContent ?? '';
}
