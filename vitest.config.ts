import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.ts';

/**
 * Two projects. `fast` (unit, HTTP, privacy and chain tests: each file builds its own archive in a
 * temporary directory and shares no module state) runs without isolation, so a worker imports the
 * app once instead of once per file: that import was a third of the suite's time. `processes`
 * (browsers, CLI processes, the EventStoreDB wire server) keeps vitest's isolation.
 */
const FAST = ['test/unit/**/*.test.ts', 'test/http/**/*.test.ts', 'test/http/**/*.test.tsx', 'test/privacy/**/*.test.ts', 'test/chain/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // two cores: keep parallel files few so timing-sensitive subscription tests stay stable
    maxWorkers: 2,
    pool: 'forks',
    // longest files first, also on a fresh clone without vitest's timing cache (see the sequencer)
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      { extends: true, test: { name: 'fast', include: FAST, isolate: false } },
      { extends: true, test: { name: 'processes', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: FAST } },
    ],
  },
});
