// The ceilings for the benchmark, each a bare Fastify server in its own process (no NestJS, no
// validation, no logging): CEILING=pg — `POST /ceiling/upsert` doing one
// `INSERT … ON CONFLICT DO UPDATE … RETURNING` through `pg` (Pool 10); CEILING=redis —
// `POST /ceiling/incr` doing one Redis `INCR` (@redis/client); CEILING=pglite — the same upsert on
// an embedded PGlite (DATA_DIR, or memory) through its own query API.
// Env: PORT, CEILING, DATABASE_URL, REDIS_URL, DATA_DIR.
import Fastify from 'fastify';

const mode = process.env.CEILING ?? 'pg';
const app = Fastify({ logger: false });
const UPSERT = `INSERT INTO ceiling_counters AS t (k, n, updated_at) VALUES ($1, 1, $2)
  ON CONFLICT (k) DO UPDATE SET n = t.n + 1, updated_at = $2 RETURNING n`;
const TABLE =
  'CREATE TABLE IF NOT EXISTS ceiling_counters (k text PRIMARY KEY, n bigint NOT NULL, updated_at timestamptz NOT NULL)';
let close = async () => undefined;

if (mode === 'pg') {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query(TABLE);
  app.post('/ceiling/upsert', async (req) => {
    const { rows } = await pool.query(UPSERT, [String(req.body?.key ?? 'k'), new Date()]);
    return { n: Number(rows[0].n) };
  });
  close = () => pool.end();
} else if (mode === 'pglite') {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(process.env.DATA_DIR || undefined);
  await db.query(TABLE);
  app.post('/ceiling/upsert', async (req) => {
    const { rows } = await db.query(UPSERT, [String(req.body?.key ?? 'k'), new Date()]);
    return { n: Number(rows[0].n) };
  });
  close = () => db.close();
} else {
  const { createClient } = await import('@redis/client');
  const redis = createClient({ url: process.env.REDIS_URL });
  redis.on('error', () => undefined);
  await redis.connect();
  app.post('/ceiling/incr', async (req) => ({
    n: await redis.incr(`ceiling:${String(req.body?.key ?? 'k')}`),
  }));
  close = () => redis.close();
}

await app.listen({ port: Number(process.env.PORT ?? 3100), host: '127.0.0.1' });
const stop = async () => {
  await app.close();
  await close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
