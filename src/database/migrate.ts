import type { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { execute } from '#src/common/database/query.js';

// Serialises migrations when several instances boot at once on one PostgreSQL server.
const MIGRATION_LOCK_KEY = 0x0c0de3a4d;

export async function runMigrationsLocked(ds: DataSource, logger: Logger): Promise<void> {
  const pooled = ((ds.options as { poolSize?: number }).poolSize ?? 10) > 1;
  const lock = pooled ? ds.createQueryRunner() : null;
  try {
    if (lock) await execute(lock, 'SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      logger.log(
        `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
      );
    }
  } finally {
    if (lock) {
      await execute(lock, 'SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(
        () => undefined,
      );
      await lock.release();
    }
  }
}
