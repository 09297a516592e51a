/**
 * The one way a repository runs SQL by hand: every result is typed here, once, instead of each
 * call site casting what TypeORM's `query()` answers (rows for SELECT/INSERT, `[rows, count]`
 * for UPDATE/DELETE).
 */

/** The part of TypeORM's DataSource / EntityManager / QueryRunner used (kept structural). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** A DataSource: also exposes the driver whose `pg` pool runs prepared statements. */
export interface PreparedQueryable extends Queryable {
  driver: unknown;
}

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

function rowsOfResult<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

/** The rows of a statement (SELECT, or any statement with RETURNING). */
export async function queryRows<T>(
  db: Queryable,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  return rowsOfResult<T>(await db.query(text, values));
}

/** The first row of a statement, or undefined when it answered none. */
export async function queryOne<T>(
  db: Queryable,
  text: string,
  values: unknown[] = [],
): Promise<T | undefined> {
  return (await queryRows<T>(db, text, values))[0];
}

/** The affected-row count of an UPDATE or DELETE (0 for other statements). */
export async function execute(
  db: Queryable,
  text: string,
  values: unknown[] = [],
): Promise<number> {
  const result = await db.query(text, values);
  return Array.isArray(result) && result.length === 2 && typeof result[1] === 'number'
    ? result[1]
    : 0;
}

/**
 * Runs a hot statement as a named prepared statement on TypeORM's own `pg` pool: each connection
 * parses and plans it once instead of on every request (planning was about 40 % of the verify
 * statement's time). Same pool, timeouts and errors (a pg error; a lost connection still maps to
 * 503) as `DataSource.query`; `name` must be unique per SQL text. Falls back to `query` when the
 * driver exposes no pool.
 */
export async function preparedRows<T>(
  db: PreparedQueryable,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (db.driver as { master?: PgPool }).master;
  if (!pool || typeof pool.query !== 'function') return queryRows<T>(db, text, values);
  const res = await pool.query({ name, text, values });
  return res.rows as T[];
}
