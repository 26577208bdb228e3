import { inject } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.ts';

export type TestDatabase = ScratchDatabase;

/**
 * A fresh, migrated database of its own for one test file, on the run's real PostgreSQL server: a copy of the
 * run's migrated template (test/global-setup.ts), or with `fromNothing` one migrated here from an empty database.
 */
export function createTestDatabase(options: { fromNothing?: boolean } = {}): Promise<TestDatabase> {
  return createScratchDatabase(inject('serverUrl'), 'civreg_test', options.fromNothing ? undefined : inject('templateDb'));
}
