import { int, oneOf, str, url, type EnvVarSpec } from './env.parsers.js';

/** The process, its HTTP listener, the database and the Redis cache. Spread into ENV_SCHEMA. */
export const SERVER_ENV_SCHEMA = {
  NODE_ENV: { default: 'development', parse: oneOf('development', 'production', 'test') },
  PORT: { default: '3000', parse: int(0, 65535) },
  HOST: { default: '0.0.0.0', parse: str },
  DATABASE_URL: { sensitive: true, parse: url('postgres:', 'postgresql:') },
  DATABASE_POOL_SIZE: { default: '10', parse: int(1, 200) },
  DATA_DIR: { default: './data', parse: str },
  REDIS_URL: { sensitive: true, parse: url('redis:', 'rediss:') },
  CACHE_TIMEOUT_MS: { default: '150', parse: int(10, 10000) },
  CACHE_KEY_PREFIX: { default: 'cw:', parse: str },
} satisfies Record<string, EnvVarSpec<unknown>>;
