import { defineConfig } from 'vitest/config';

// Workflow tests bundle workflow code and start Temporal servers: give hooks room on a 2-core machine,
// and keep test files in separate processes so each has its own native Temporal runtime.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
