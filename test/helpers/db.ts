import { inject } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.ts';

export type TestDatabase = ScratchDatabase;

/** A fresh, migrated database of its own for one test file, on the run's real PostgreSQL server. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createScratchDatabase(inject('serverUrl'), 'civreg_test');
}
