/**
 * Rewrites test/durations.json (the slow-first sequencer's order) from a vitest JSON report:
 * `npx vitest run --reporter=json --outputFile=.tmp/vitest.json` (or `.ci/run`, which writes the
 * same file), then `npm run test:durations`. Files under one second are left out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Report {
  testResults: { name: string; startTime: number; endTime: number }[];
}

const report = JSON.parse(readFileSync(process.argv[2] ?? '.tmp/vitest.json', 'utf8')) as Report;
const rows = report.testResults
  .map((t) => [relative(process.cwd(), t.name).split('\\').join('/'), Math.round((t.endTime - t.startTime) / 1000)] as const)
  .filter(([, s]) => s >= 1)
  .sort((a, b) => b[1] - a[1]);
writeFileSync(new URL('../durations.json', import.meta.url), JSON.stringify(Object.fromEntries(rows), null, 2) + '\n');
console.log(`test/durations.json: ${rows.length} files, ${rows.reduce((s, [, n]) => s + n, 0)} s in all`);
