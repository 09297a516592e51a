// The ceiling for the benchmark: a bare NestJS 12 app on Fastify with (a) one route doing one
// PostgreSQL upsert (`pg` Pool of 10) and (b) one route doing one Redis INCR (@redis/client).
// Plain ESM JavaScript, so decorators are applied by hand.
// Env: PORT, DATABASE_URL, REDIS_URL.
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { createClient } from '@redis/client';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(
  'CREATE TABLE IF NOT EXISTS ceiling_counters (k text PRIMARY KEY, n bigint NOT NULL, updated_at timestamptz NOT NULL)',
);
const redis = createClient({ url: process.env.REDIS_URL });
redis.on('error', () => undefined);
await redis.connect();

class CeilingController {
  async upsert(body) {
    const { rows } = await pool.query(
      `INSERT INTO ceiling_counters AS t (k, n, updated_at) VALUES ($1, 1, $2)
       ON CONFLICT (k) DO UPDATE SET n = t.n + 1, updated_at = $2 RETURNING n`,
      [String(body?.key ?? 'k'), new Date()],
    );
    return { n: Number(rows[0].n) };
  }

  async incr(body) {
    return { n: await redis.incr(`ceiling:${String(body?.key ?? 'k')}`) };
  }
}
for (const [method, path] of [
  ['upsert', 'upsert'],
  ['incr', 'incr'],
]) {
  const descriptor = Object.getOwnPropertyDescriptor(CeilingController.prototype, method);
  Post(path)(CeilingController.prototype, method, descriptor);
  HttpCode(200)(CeilingController.prototype, method, descriptor);
  Body()(CeilingController.prototype, method, 0);
}
Controller('ceiling')(CeilingController);

class CeilingModule {}
Module({ controllers: [CeilingController] })(CeilingModule);

const app = await NestFactory.create(CeilingModule, new FastifyAdapter(), { logger: false });
await app.listen({ port: Number(process.env.PORT ?? 3100), host: '127.0.0.1' });
const stop = async () => {
  await app.close();
  await pool.end();
  await redis.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
