import 'reflect-metadata';
import type { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildAppConfig } from '#src/config/app-config.js';
import { buildDataSourceOptions } from '#src/database/data-source-options.js';
import { runMigrationsLocked } from '#src/database/migrate.js';
import { PgliteHost } from '#src/database/pglite-host.js';
import { createTestDatabase } from '../support/databases.js';

/** A migrated database for repository tests, and how to throw it away. */
export interface MigratedDatabase {
  readonly ds: DataSource;
  /** `pglite` (one connection: statements run one at a time) or `postgres` (a real pool). */
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/**
 * The same DataSource options and migrations as the service, on a fresh in-memory PGlite, or on a
 * fresh database of the PostgreSQL server in DATABASE_URL (dropped by close()).
 */
export async function openMigratedDatabase(): Promise<MigratedDatabase> {
  const database = await createTestDatabase();
  const config = buildAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    OTP_PEPPER: 'test-pepper-0123456789abcdef0123456789',
    TOKEN_SECRET: 'test-token-secret-0123456789abcdef012345',
    ADMIN_API_KEYS: 'test-admin-key-0123456789abcdef', // all three: no dev secrets written
    ...database.env,
  });
  const host = config.database.url ? null : await PgliteHost.open(config.database.dataDir);
  const ds = await new DataSource(buildDataSourceOptions(config, host?.pgExtra())).initialize();
  await runMigrationsLocked(ds, { log: () => undefined } as unknown as Logger); // quiet
  return {
    ds,
    kind: host ? 'pglite' : 'postgres',
    close: async () => {
      await ds.destroy();
      await host?.close();
      await database.drop();
    },
  };
}
