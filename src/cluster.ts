// Runs WEB_CONCURRENCY copies of the normal server (main.ts) through Node's cluster module, so one
// host uses all its cores: the primary forks the workers and shares the listening port with them.
import cluster, { type Worker } from 'node:cluster';
import { loadAppConfigFromProcess, type AppConfig } from './config/app-config.js';
import { EnvError } from './config/env.schema.js';

const EX_CONFIG = 78;
/** A worker that dies sooner than this after its start is not replaced (a crash loop). */
const MIN_WORKER_LIFETIME_MS = 10_000;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function loadConfig(): AppConfig {
  try {
    return loadAppConfigFromProcess();
  } catch (err) {
    if (err instanceof EnvError) fail(err.message, EX_CONFIG);
    throw err;
  }
}

function runPrimary(): void {
  const config = loadConfig();
  const count = config.http.workers;
  const problems: string[] = [];
  if (count > 1 && !config.database.url) {
    problems.push(
      `WEB_CONCURRENCY=${count} needs DATABASE_URL: the embedded database (PGlite) lives in one ` +
        'process and cannot be shared by several workers. Set DATABASE_URL to a PostgreSQL server, ' +
        'or use WEB_CONCURRENCY=1.',
    );
  }
  if (count > 1 && !config.cache.redisUrl) {
    // Without Redis each worker caches refusals (IP blocks, recipient locks) in its own memory,
    // so an admin unlock served by one worker would not reach the others.
    problems.push(
      `WEB_CONCURRENCY=${count} needs REDIS_URL: without it each worker keeps its own in-process ` +
        'cache, and an unlock made through one worker would not reach the others. Set REDIS_URL, ' +
        'or use WEB_CONCURRENCY=1.',
    );
  }
  if (problems.length > 0) fail(problems.join('\n'), EX_CONFIG);

  const startedAt = new Map<Worker, number>();
  let stopping = false;
  let failed = false;
  const fork = () => startedAt.set(cluster.fork(), Date.now());

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (code !== 0) failed = true;
    if (stopping) {
      if (startedAt.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (lived < MIN_WORKER_LIFETIME_MS) {
      // Failing at start-up (bad config, database refused): more workers would fail the same way.
      process.stderr.write(`worker ${worker.process.pid} exited with ${how} at start-up\n`);
      stop('worker failure');
      return;
    }
    process.stderr.write(`worker ${worker.process.pid} exited with ${how}; starting another\n`);
    fork();
  });

  // Each worker drains its in-flight requests (main.ts); the primary exits once all have.
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    if (reason === 'worker failure') failed = true;
    setTimeout(() => {
      for (const w of startedAt.keys()) w.process.kill('SIGKILL');
      process.exit(1);
    }, config.http.shutdownTimeoutMs + 2_000).unref();
    for (const w of startedAt.keys()) w.process.kill('SIGTERM');
    if (startedAt.size === 0) process.exit(failed ? 1 : 0);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < count; i++) fork();
}

if (cluster.isPrimary) {
  runPrimary();
} else {
  await import('./main.js');
}
