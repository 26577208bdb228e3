import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from './migrate.ts';
import { createDatabase, type Database } from './sql.ts';

export interface ScratchDatabase {
  url: string;
  db: Database;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of its own on an existing server, for tests and for `civreg eval`
 * and `civreg bench`, which must never touch the archive's data. `drop` removes it.
 * `template`: a database on the same server already migrated (nobody connected to it), copied instead of
 * migrating from nothing: the test suite makes one at the start (test/global-setup.ts) and copies it per file.
 * Migrations still run after the copy, so a template older than the migrations gets the rest.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string, template = 'template0'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `create database ${name} encoding 'UTF8' template ${template}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDatabase(url.toString());
  await migrate(db);
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.close();
      await onServer(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/** Runs one statement on the server's own database (creating or dropping others). */
export async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
