import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // two cores: keep parallel files few so timing-sensitive subscription tests stay stable
    maxWorkers: 2,
    pool: 'forks',
  },
});
