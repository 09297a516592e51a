// Data source for the TypeORM CLI (migration:run / migration:generate), built from the same config
// as the app: DATABASE_URL when set, otherwise the embedded database under DATA_DIR.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadAppConfigFromProcess } from '#src/config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { PgliteHost } from './pglite-host.js';

const config = loadAppConfigFromProcess();
const host = config.database.url ? null : await PgliteHost.open(config.database.dataDir);
const dataSource = new DataSource(buildDataSourceOptions(config, host?.pgExtra()));
if (host) {
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    await destroy();
    await host.close();
  };
}
export default dataSource;
