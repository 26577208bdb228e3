import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/sequencer.ts';

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
    // A worker runs file after file instead of a fresh process per file: the modules most files import (sharp,
    // pdfjs, tesseract.js, fastify, pg-boss, the gazetteer) are loaded once per worker. Isolation cost 14 % of the
    // suite's time in imports plus ~0.36 s to spawn each of 156 workers. Every file opens and closes what it
    // uses (its own database, pipeline, browser) and none stubs modules or changes process.env.
    isolate: false,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
