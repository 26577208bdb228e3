import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Pages the tests draw as SVG through sharp take their typefaces from the npm package dejavu-fonts-ttf, not
// from whatever fonts the machine has (test/fonts/fonts.conf); set here so that every worker and every
// process a test starts inherits it.
process.env.FONTCONFIG_FILE = fileURLToPath(new URL('test/fonts/fonts.conf', import.meta.url));

// One embedded PostgreSQL is started for the whole run (test/global-setup.ts);
// each test file gets its own database inside it, so files can run in parallel.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single file at a time on CI's two cores. Most of
    // the slow files wait on child processes, PostgreSQL or the browser rather than compute, so two at a time
    // overlap that waiting.
    maxWorkers: 2,
  },
});
