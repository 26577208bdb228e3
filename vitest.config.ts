import { defineConfig } from 'vitest/config';

// One embedded PostgreSQL is started for the whole run (test/global-setup.ts);
// each test file gets its own database inside it, so files can run in parallel.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
