import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // git and child processes dominate: two cores, so keep the pool small and predictable.
    pool: 'forks',
    maxWorkers: 2,
  },
});
