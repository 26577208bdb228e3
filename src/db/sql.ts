import { createHash } from 'node:crypto';
import pg from 'pg';

// Return int8/numeric counts as numbers: civreg ids and counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * The one seam to the database: every repository takes a `Sql`, which is either the pool or a
 * transaction (ours, or the one pg-boss opens for a transactional worker).
 */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
}

export interface Database extends Sql {
  pool: pg.Pool;
  /** Runs `work` in one transaction; commits if it resolves, rolls back if it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** @example const db = createDatabase(url); const [row] = await db.query('select 1 as one'); */
export function createDatabase(url: string, options: { max?: number; applicationName?: string } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, application_name: options.applicationName ?? 'civreg' });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  return {
    pool,
    async query(text, values) {
      return (await pool.query(text, values)).rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(clientSql(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * A `Sql` over `pool` that runs every statement as a named prepared statement (named by a hash of its
 * text), so each connection parses and plans it once instead of on every call: for hot paths such as the
 * lookup API, whose statement texts are a fixed set (each distinct text stays prepared on every connection).
 *
 * @example const sql = preparedSql(pool); await sql.query('select id from book where id = $1', [7]);
 */
export function preparedSql(pool: pg.Pool): Sql {
  const names = new Map<string, string>();
  return {
    async query(text, values) {
      let name = names.get(text);
      if (!name) names.set(text, (name = `civreg_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
      return (await pool.query({ name, text, values })).rows;
    },
  };
}

export function clientSql(client: pg.ClientBase): Sql {
  return { query: async (text, values) => (await client.query(text, values)).rows };
}

/** Adapts pg-boss's `executeSql` transaction handle to our `Sql`. */
export function bossSql(db: { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }): Sql {
  return { query: async <Row>(text: string, values?: unknown[]) => (await db.executeSql(text, values)).rows as Row[] };
}
