import { defineConfig } from 'vitest/config';

// Tests that install packages and build this one (npm, pre-commit's node environment) load both cores for tens of
// seconds: they run as a group of their own, after the rest, so they never slow the other files down.
const HEAVY = ['test/e2e/frameworks.test.ts', 'test/e2e/pack.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // git and child processes dominate: two cores, so keep the pool small and predictable.
    pool: 'forks',
    setupFiles: ['test/setup-env.ts'],
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: HEAVY } },
      { extends: true, test: { name: 'installs', include: HEAVY, sequence: { groupOrder: 1 } } },
    ],
  },
});
