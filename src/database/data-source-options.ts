import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '#src/config/app-config.js';
import { ALL_MIGRATIONS } from '../../migrations/index.js';
import { ALL_ENTITIES } from './entities.js';

/** One set of options for both the embedded database and a PostgreSQL server. */
export function buildDataSourceOptions(
  config: AppConfig,
  pgliteExtra?: Record<string, unknown>,
): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    logging: false,
  };
  if (pgliteExtra) {
    // Embedded: one pg client bound to PGlite; a mistake that waits on a second connection errors out.
    return { ...common, poolSize: 1, connectTimeoutMS: 15_000, extra: pgliteExtra };
  }
  return {
    ...common,
    url: config.database.url,
    poolSize: config.database.poolSize,
    connectTimeoutMS: 2_000,
    extra: {
      connectionTimeoutMillis: 2_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'codeward',
      query_timeout: 10_000,
    },
  };
}
