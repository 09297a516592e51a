import { Global, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '#src/config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { runMigrationsLocked } from './migrate.js';
import { PgliteHost } from './pglite-host.js';

/** Holds the embedded database when DATABASE_URL is unset; null on a PostgreSQL server. */
export class EmbeddedDatabase {
  constructor(readonly host: PgliteHost | null) {}
}

class EmbeddedDatabaseCloser implements OnApplicationShutdown {
  constructor(
    private readonly embedded: EmbeddedDatabase,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded.host) return;
    if (this.dataSource.isInitialized) await this.dataSource.destroy().catch(() => undefined);
    await this.embedded.host.close();
  }
}

@Module({
  providers: [
    {
      provide: EmbeddedDatabase,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) =>
        new EmbeddedDatabase(
          config.database.url ? null : await PgliteHost.open(config.database.dataDir),
        ),
    },
  ],
  exports: [EmbeddedDatabase],
})
class EmbeddedDatabaseModule {}

@Global()
@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [AppConfig, EmbeddedDatabase],
      useFactory: (config: AppConfig, embedded: EmbeddedDatabase) =>
        buildDataSourceOptions(config, embedded.host?.pgExtra()),
      dataSourceFactory: async (options) => {
        const ds = await new DataSource(options!).initialize();
        await runMigrationsLocked(ds, new Logger('Database'));
        return ds;
      },
    }),
  ],
  providers: [
    {
      provide: EmbeddedDatabaseCloser,
      inject: [EmbeddedDatabase, DataSource],
      useFactory: (e: EmbeddedDatabase, d: DataSource) => new EmbeddedDatabaseCloser(e, d),
    },
  ],
})
export class DatabaseModule {}
