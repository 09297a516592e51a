import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Test databases. With DATABASE_URL set (CI's server run), each test app gets a fresh database
 * on that server, dropped afterwards; otherwise an in-memory embedded PGlite.
 */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const serverUrl = (): string | undefined => process.env.DATABASE_URL || undefined;
export const redisUrl = (): string | undefined => process.env.REDIS_URL || undefined;

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = serverUrl();
  if (!base) return { env: { DATA_DIR: 'memory://' }, drop: async () => undefined };
  const name = `cw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
