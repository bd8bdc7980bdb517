/**
 * `npm run bench`: every benchmark once, printed as tables. Each row measures Hallway against a
 * ceiling measured in the same run on the same machine (ratio = Hallway / ceiling), and says
 * whether the aim is met. No timing is asserted anywhere: this is a report, not a test.
 *
 * To add a benchmark: write bench/<area>.ts exporting a `Bench` and add it to BENCHES below.
 */
import type { Bench, BenchRow } from './types.ts';
import { storeBench } from './store.ts';
import { searchBench } from './search.ts';
import { spreadBench } from './spread.ts';
import { dashboardBench } from './dashboard.ts';
import { pagesBench } from './pages.ts';
import { asOfBench } from './asof.ts';
import { verifyBench } from './verify.ts';
import { sealingBench } from './sealing.ts';

// ---- the list of benchmarks (add yours here) -------------------------------------------------
const BENCHES: Bench[] = [
  storeBench,
  searchBench,
  spreadBench,
  dashboardBench,
  pagesBench,
  asOfBench,
  verifyBench,
  sealingBench,
];
// -----------------------------------------------------------------------------------------------

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2));

function printTable(title: string, rows: BenchRow[]): void {
  const header = ['measure', 'hallway', 'ceiling', 'ceiling is', 'ratio', 'aim', ''];
  const body = rows.map((r) => {
    const ratio = r.ceiling ? (r.inverse ? r.ceiling.value / r.value : r.value / r.ceiling.value) : undefined;
    return [
      r.measure,
      `${fmt(r.value)} ${r.unit}`,
      r.ceiling ? `${fmt(r.ceiling.value)} ${r.unit}` : '',
      r.ceiling?.name ?? '',
      ratio !== undefined ? `${(ratio * 100).toFixed(0)}%` : '',
      r.aim !== undefined ? `>= ${(r.aim * 100).toFixed(0)}%` : '',
      r.aim !== undefined && ratio !== undefined ? (ratio >= r.aim ? 'ok' : 'BELOW AIM') : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

const only = process.argv.slice(2);
const started = Date.now();
for (const bench of BENCHES) {
  if (only.length && !only.includes(bench.name)) continue;
  const t = Date.now();
  const rows = await bench.run((m) => console.error(`[${bench.name}] ${m}`));
  printTable(`${bench.name} — ${bench.description} (${((Date.now() - t) / 1000).toFixed(0)} s)`, rows);
}
console.log(`\nall benchmarks: ${((Date.now() - started) / 1000).toFixed(0)} s`);
