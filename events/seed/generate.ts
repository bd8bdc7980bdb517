/**
 * Writes events/seed/demo.jsonl, the demo company, deterministically (fixed seed, fixed clock):
 *   npx tsx events/seed/generate.ts
 * Each part comes from its own module: the organisation, then the stories, then their circulation.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seedOrg } from './org.ts';
import { seedStories } from './stories.ts';
import { seedCirculation } from './circulation.ts';
import type { SeedLine } from './seed-types.ts';

export function generateDemo(): SeedLine[] {
  const org = seedOrg();
  const stories = seedStories(org);
  const circulation = seedCirculation(org, stories);
  const lines = [...org.lines, ...stories.lines, ...circulation.lines];
  // one log, in recorded time: the import appends in file order
  return lines.map((l, i) => ({ l, i })).sort((a, b) => a.l.metadata.at.localeCompare(b.l.metadata.at) || a.i - b.i).map((x) => x.l);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const lines = generateDemo();
  const out = fileURLToPath(new URL('./demo.jsonl', import.meta.url));
  writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  console.log(`wrote ${lines.length} events to ${out}`);
}
