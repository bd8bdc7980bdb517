/**
 * Runs the test files that take longest first, so the two workers finish together.
 *
 * vitest's own order uses the durations it cached on this machine; a fresh clone (CI) has no such
 * cache and falls back to the largest file first, which put the two four-line journey wrappers —
 * the slowest files of the suite — last, leaving one worker alone for minutes at the end.
 * test/durations.json holds measured seconds per file (`npm run test:durations` rewrites it from a
 * full run); files not in it run after those that are, largest first, as vitest would.
 */
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer } from 'vitest/node';
import type { TestSpecification } from 'vitest/node';

const durations = JSON.parse(readFileSync(new URL('../durations.json', import.meta.url), 'utf8')) as Record<string, number>;

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = process.cwd();
    const seconds = (f: TestSpecification): number => durations[relative(root, f.moduleId).split('\\').join('/')] ?? -1;
    const size = (f: TestSpecification): number => {
      try {
        return statSync(f.moduleId).size;
      } catch {
        return 0;
      }
    };
    return [...files].sort((a, b) => seconds(b) - seconds(a) || size(b) - size(a));
  }
}
