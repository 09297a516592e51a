import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeEskiz } from '../support/fake-eskiz.js';
import { ensureBuilt } from './support/build.js';
import { redisPrefix, REDIS_BASE_URL, SuiteDatabase } from './support/database.js';
import { ADMIN_KEY, Instance } from './support/instance.js';
import { smsEnv } from './support/sms.js';

// `npm run start:cluster` (dist/src/cluster.js): WEB_CONCURRENCY workers share one port. Node's
// cluster hands new connections to the workers in turn (round-robin, the default on Linux), so
// requests on fresh connections alternate between them.
const WORKERS = 2;
const LIMIT = 8;
const EX_CONFIG = 78;

interface Reply {
  status: number;
  code?: string;
}

/** One request on a connection of its own (no keep-alive), so the next one may meet another worker. */
function fresh(
  port: number,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        timeout: 10_000,
        headers: {
          connection: 'close',
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(text) as { code?: string }).code;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, code });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

describe('npm run start:cluster', () => {
  let db: SuiteDatabase;
  let eskiz: FakeEskiz;
  let cluster: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    cluster = join(ensureBuilt(), '../cluster.js');
    db = await SuiteDatabase.create();
    eskiz = await FakeEskiz.start();
    env = {
      DATABASE_URL: db.url,
      WEB_CONCURRENCY: String(WORKERS),
      TRUST_PROXY: 'loopback',
      IP_VERIFY_MAX_PER_MINUTE: String(LIMIT),
      ...smsEnv(eskiz.url, eskiz),
    };
  }, 240_000);

  afterAll(async () => {
    await eskiz?.close();
    await db?.drop();
  }, 60_000);

  it('should refuse to start several workers without REDIS_URL, naming it', async () => {
    const primary = await Instance.start({ main: cluster, env, waitFor: 'none' });
    try {
      const exit = await Promise.race([
        primary.exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`still running:\n${primary.logs}`)), 30_000),
        ),
      ]);
      expect(exit.code).toBe(EX_CONFIG);
      expect(primary.logs).toMatch(/WEB_CONCURRENCY=2 needs REDIS_URL/);
    } finally {
      primary.kill();
    }
  }, 60_000);

  describe('with Redis', () => {
    let primary: Instance;

    beforeAll(async () => {
      primary = await Instance.start({
        main: cluster,
        env: { ...env, REDIS_URL: REDIS_BASE_URL, CACHE_KEY_PREFIX: redisPrefix() },
      });
    }, 120_000);

    afterAll(async () => {
      await primary?.stop();
    }, 60_000);

    const verify = (client: string) =>
      fresh(
        primary.port,
        'POST',
        '/v1/otp/verify',
        { channel: 'sms', to: '+998901234567', purpose: 'login', code: '123456' },
        { 'x-forwarded-for': client },
      );
    const unlock = (ip: string) =>
      fresh(
        primary.port,
        'POST',
        '/v1/admin/unlock',
        { ip },
        { authorization: `Bearer ${ADMIN_KEY}` },
      );

    it('should let a client in on every worker as soon as one worker unlocked it', async () => {
      for (const [client, spelling] of [
        ['203.0.113.40', '203.0.113.40'],
        ['2001:db8:0:40::1', '2001:db8:0:40::/64'],
      ]) {
        for (let i = 0; i <= LIMIT; i++) await verify(client);
        // Blocked on every worker: each has seen the block (and remembers it in its own memory).
        const blocked = [];
        for (let i = 0; i < 3 * WORKERS; i++) blocked.push((await verify(client)).code);
        expect(blocked).toEqual(Array(3 * WORKERS).fill('IP_RATE_LIMITED'));

        // One worker serves the unlock; the next requests go to every worker in turn, at once.
        expect((await unlock(spelling)).status).toBe(200);
        const after = [];
        for (let i = 0; i < 3 * WORKERS; i++) after.push((await verify(client)).code);
        expect(after).toEqual(Array(3 * WORKERS).fill('CODE_NOT_FOUND'));
      }
      primary.assertAlive();
    });
  });
});
