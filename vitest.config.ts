import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // two cores: keep parallel files few so timing-sensitive subscription tests stay stable
    maxWorkers: 2,
    pool: 'forks',
    // longest files first, also on a fresh clone without vitest's timing cache (see the sequencer)
    sequence: { sequencer: SlowFirstSequencer },
  },
});
