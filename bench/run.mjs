// Side-by-side benchmark: bare Fastify ceiling servers (bench/ceiling-app.mjs, each in its own
// process, no NestJS) against the built Codeward, on the loopback PostgreSQL and Redis. Usage:
// `npm run bench` (builds first). Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, default the
// loopback servers). Every run is bounded (autocannon, BENCH_SECONDS each, 50 connections); prints
// a Markdown report and writes bench/results/. BENCH_ONLY=ceiling,verify,send,flood,hash,cluster,
// embedded (comma-separated) runs only those parts, for quick A/B comparisons of one change.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createClient } from '@redis/client';
import pg from 'pg';
import { buildAppConfig } from '../dist/src/config/app-config.js';
import { OtpHasher } from '../dist/src/otp/otp-hasher.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PG_URL = process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const want = (part) => !ONLY || ONLY.has(part);
const CLK_TCK = 100;
const CONNECTIONS = 50;
const PEPPER = 'bench-pepper-0123456789abcdef0123456789';
const SECRETS = {
  OTP_PEPPER: PEPPER,
  TOKEN_SECRET: 'bench-token-secret-0123456789abcdef0123',
  ADMIN_API_KEYS: 'bench-admin-key-0123456789abcdef',
};
const MAIN = join(ROOT, 'dist/src/main.js');
const CLUSTER = join(ROOT, 'dist/src/cluster.js');
const log = (...a) => console.error('[bench]', ...a);
const results = {};
const children = new Set();

// ---------- helpers ----------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function freePort() {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
function rssKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}
function treeRssKb(pid) {
  let total = rssKb(pid);
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    for (const k of kids.filter(Boolean)) total += treeRssKb(Number(k));
  } catch {
    // gone
  }
  return total;
}

/** utime + stime (clock ticks) of a process and its descendants. */
function treeTicks(pid) {
  let total = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += Number(f[11]) + Number(f[12]);
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    for (const k of kids.filter(Boolean)) total += treeTicks(Number(k));
  } catch {
    // gone
  }
  return total;
}
/** utime + stime (clock ticks) of the PostgreSQL backends connected to the bench database. */
function postgresTicks() {
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(` ${dbName} `)) continue;
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  }
  return total;
}

async function start(name, file, env, readyPath = '/health/ready', timeoutMs = 90_000) {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'cw-bench-'));
  const started = performance.now();
  const profile = [
    ...(process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
      : []),
    // e.g. BENCH_NODE_ARGS="--import ./bench/round-trips.mjs" (counts writes per peer per request)
    ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []),
  ];
  const proc = spawn(process.execPath, [...profile, file], {
    cwd,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...(process.env.ROUND_TRIPS_OUT ? { ROUND_TRIPS_OUT: process.env.ROUND_TRIPS_OUT } : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(proc);
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  let exited = false;
  proc.once('exit', () => {
    exited = true;
    children.delete(proc);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${name} exited during start-up:\n${stderr}`);
    if (Date.now() > deadline)
      throw new Error(`${name} not ready within ${timeoutMs} ms:\n${stderr}`);
    try {
      const res = await fetch(url + readyPath, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not yet
    }
    await sleep(20);
  }
  const startupMs = performance.now() - started;
  return {
    name,
    url,
    pid: proc.pid,
    startupMs,
    rssKb: () => treeRssKb(proc.pid),
    async stop() {
      if (exited) return;
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** One bounded autocannon run; `next()` returns { path, body, headers } per request. */
async function cannon(
  url,
  next,
  { connections = CONNECTIONS, duration = SECONDS, method = 'POST', sampleRss, pid } = {},
) {
  const samples = [];
  const cpu0 = { server: pid ? treeTicks(pid) : 0, pg: postgresTicks() };
  const timer = sampleRss ? setInterval(() => samples.push(sampleRss()), 250) : null;
  const result = await autocannon({
    url,
    connections,
    duration,
    timeout: 20,
    requests: [
      {
        method,
        setupRequest: (req) => {
          const r = next();
          return {
            ...req,
            path: r.path,
            headers: { ...req.headers, 'content-type': 'application/json', ...(r.headers ?? {}) },
            body: r.body === undefined ? undefined : JSON.stringify(r.body),
          };
        },
      },
    ],
  });
  if (timer) clearInterval(timer);
  const total = result.requests.total || 1;
  const usPerReq = (ticks) => Math.round(((ticks * 1e6) / CLK_TCK) * (1 / total));
  const cpu = {
    serverUs: pid ? usPerReq(treeTicks(pid) - cpu0.server) : undefined,
    pgUs: usPerReq(postgresTicks() - cpu0.pg),
  };
  const codes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]),
  );
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    codes,
    peakRssMb: samples.length ? Math.max(...samples) / 1024 : undefined,
    ...cpu,
  };
}

function fmtRun(r) {
  return `${Math.round(r.rps)} rps, p50 ${r.p50} ms, p99 ${r.p99} ms, cpu µs/req server ${r.serverUs ?? '?'} pg ${r.pgUs}, statuses ${JSON.stringify(r.codes)}${r.errors ? `, errors ${r.errors}` : ''}`;
}

// Clients: 256 addresses (X-Forwarded-For through TRUST_PROXY=loopback), reused, as a busy
// service sees them. Each address's counter lives in Redis after its first request; an address
// Redis does not know costs one PostgreSQL read (a block recorded there still stands).
let ipSeq = 0;
const clientIp = () => `10.1.0.${ipSeq++ % 256}`;
const phoneOf = (n) => `+99891${String(n).padStart(7, '0')}`;

// ---------- fake Eskiz that answers at once, in its own process ----------
async function instantEskiz() {
  const proc = spawn(process.execPath, [join(ROOT, 'bench/fake-eskiz.mjs')], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.add(proc);
  const port = await new Promise((resolve, reject) => {
    proc.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    proc.once('exit', () => reject(new Error('fake Eskiz exited')));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    close: async () => {
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await done;
    },
  };
}

// ---------- database ----------
const dbName = `cw_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
const dbUrlOf = (name) => {
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
};
async function admin(sql) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}
/** Committed transactions of a database, read on a fresh connection (whose own commit is counted). */
async function xactCommit(name) {
  const r = await admin(`SELECT xact_commit FROM pg_stat_database WHERE datname = '${name}'`);
  return Number(r.rows[0].xact_commit);
}
/** Waits until backends have flushed their statistics (PostgreSQL 15 flushes idle backends within 10 s). */
async function settledXacts(name) {
  let last = await xactCommit(name);
  let reads = 1;
  // PostgreSQL 15 flushes an idle backend's counts up to 10 s late: the count is settled once it
  // has not moved for 12 s in a row (up to 90 s, so background work a previous run queued drains).
  for (let stable = 0, i = 0; stable < 12 && i < 90; i++) {
    await sleep(1000);
    const now = await xactCommit(name);
    reads += 1;
    stable = now - last <= 2 ? stable + 1 : 0; // the reading connection itself, the 1/s breaker refresh
    last = now;
  }
  return { value: last, reads };
}

async function seedCodes(url, hasherEnv, phones, code) {
  const hasher = new OtpHasher(buildAppConfig({ ...SECRETS, DATA_DIR: 'memory://', ...hasherEnv }));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const expires = new Date(Date.now() + 3600_000);
    for (let i = 0; i < phones.length; i += 5000) {
      const chunk = phones.slice(i, i + 5000);
      const hashes = await Promise.all(chunk.map((p) => hasher.hash(code, `login:${p}`)));
      await c.query(
        `INSERT INTO phone_otps (phone, purpose, code_hash, verification_id, code_created_at, expires_at)
         SELECT p, 'login', h, gen_random_uuid(), now(), $3 FROM unnest($1::text[], $2::text[]) AS x(p, h)
         ON CONFLICT (phone) DO UPDATE SET code_hash = EXCLUDED.code_hash, verification_id = EXCLUDED.verification_id,
           expires_at = EXCLUDED.expires_at, failed_attempts = 0, locked_until = NULL`,
        [chunk, hashes, expires],
      );
    }
  } finally {
    await c.end();
    await hasher.onApplicationShutdown();
  }
}

// ---------- the run ----------
async function main() {
  const env = {
    node: process.version,
    cpu: `${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
    memGiB: Math.round(totalmem() / 2 ** 30),
    postgres: (await admin('SELECT version()')).rows[0].version.split(' on ')[0],
  };
  const rc = createClient({ url: REDIS_URL });
  await rc.connect();
  env.redis = /redis_version:(\S+)/.exec(await rc.info('server'))?.[1];
  await rc.close();
  env.autocannon = JSON.parse(
    readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8'),
  ).version;
  results.env = env;
  log(env);

  await admin(`CREATE DATABASE ${dbName}`);
  const dbUrl = dbUrlOf(dbName);
  const eskiz = await instantEskiz();
  const prefix = `bench${randomBytes(3).toString('hex')}:`;
  const serverEnv = {
    ...SECRETS,
    DATABASE_URL: dbUrl,
    REDIS_URL,
    CACHE_KEY_PREFIX: prefix,
    TRUST_PROXY: 'loopback',
    OTP_MAX_FAILED_ATTEMPTS: '100',
    // IP limits out of the way of the throughput runs (the blocked-IP flood is set up below).
    IP_VERIFY_MAX_PER_MINUTE: '1000000',
    IP_SEND_MAX_PER_MINUTE: '1000000',
    // The SMS fraud breaker stays on (its counting is part of every send) but never trips on the
    // fresh numbers the send run uses.
    SMS_BREAKER_MIN_SENDS: '1000000',
    SMS_PROVIDERS: 'eskiz',
    ESKIZ_BASE_URL: eskiz.url,
    ESKIZ_EMAIL: 'bench@example.com',
    ESKIZ_PASSWORD: 'bench',
    EMAIL_PROVIDERS: 'smtp',
    SMTP_URL: 'smtp://127.0.0.1:9',
    EMAIL_FROM: 'codeward@example.com',
  };

  try {
    // 1. Ceilings: bare Fastify servers, each in its own process.
    const key = () => `k${Math.floor(Math.random() * 10_000)}`;
    if (want('ceiling')) {
      const ceilPg = await startAny(join(ROOT, 'bench/ceiling-app.mjs'), {
        CEILING: 'pg',
        DATABASE_URL: dbUrl,
      });
      results.ceilingUpsert = await cannon(
        ceilPg.url,
        () => ({ path: '/ceiling/upsert', body: { key: key() } }),
        { pid: ceilPg.pid },
      );
      log('ceiling (a) fastify + pg upsert', fmtRun(results.ceilingUpsert));
      await ceilPg.stop();
      const ceilRedis = await startAny(join(ROOT, 'bench/ceiling-app.mjs'), {
        CEILING: 'redis',
        REDIS_URL,
      });
      results.ceilingIncr = await cannon(
        ceilRedis.url,
        () => ({ path: '/ceiling/incr', body: { key: key() } }),
        { pid: ceilRedis.pid },
      );
      log('ceiling (b) fastify + redis incr', fmtRun(results.ceilingIncr));
      await ceilRedis.stop();
    }

    // 2. Codeward, server mode. First start on a fresh database runs the migrations.
    let cw = await start('codeward', MAIN, serverEnv);
    results.startupServerFirst = cw.startupMs;
    await cw.stop();
    cw = await start('codeward', MAIN, serverEnv);
    results.startupServerSecond = cw.startupMs;
    results.rssServerIdleMb = cw.rssKb() / 1024;
    log('server start-up', results.startupServerFirst, results.startupServerSecond);
    const load = (server) => ({ sampleRss: server.rssKb, pid: server.pid });

    const WRONG_RECIPIENTS = 4000;
    const wrongPhones = Array.from({ length: WRONG_RECIPIENTS }, (_, i) => phoneOf(i));
    const rightPhones = Array.from({ length: 80_000 }, (_, i) => phoneOf(100_000 + i));
    await seedCodes(dbUrl, { OTP_HASH: 'hmac-sha256' }, [...wrongPhones, ...rightPhones], '123456');
    const lockedPhone = phoneOf(999_999);
    await seedCodes(dbUrl, { OTP_HASH: 'hmac-sha256' }, [lockedPhone], '123456');
    {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      await c.query(
        `UPDATE phone_otps SET locked_until = now() + interval '1 hour' WHERE phone = $1`,
        [lockedPhone],
      );
      await c.end();
    }
    log('seeded', WRONG_RECIPIENTS + rightPhones.length + 1, 'codes');

    let w = 0;
    const verifyWrong = () => ({
      path: '/v1/otp/verify',
      body: {
        channel: 'sms',
        to: wrongPhones[w++ % WRONG_RECIPIENTS],
        purpose: 'login',
        code: '000000',
      },
      headers: { 'x-forwarded-for': clientIp() },
    });
    if (want('verify')) {
      results.verifyWrong = await cannon(cw.url, verifyWrong, load(cw));
      log('verify wrong', fmtRun(results.verifyWrong));

      let r = 0;
      results.verifyRight = await cannon(
        cw.url,
        () => ({
          path: '/v1/otp/verify',
          body: {
            channel: 'sms',
            to: rightPhones[r++ % rightPhones.length],
            purpose: 'login',
            code: '123456',
          },
          headers: { 'x-forwarded-for': clientIp() },
        }),
        load(cw),
      );
      results.verifyRightUsed = r;
      log('verify right', fmtRun(results.verifyRight));
    }

    if (want('send')) {
      let s = 0;
      results.send = await cannon(
        cw.url,
        () => ({
          path: '/v1/otp/send',
          body: { channel: 'sms', to: phoneOf(2_000_000 + s++), purpose: 'login' },
          headers: { 'x-forwarded-for': clientIp() },
        }),
        load(cw),
      );
      log('send', fmtRun(results.send));
    }

    if (want('flood')) {
      // Floods answered from Redis: a locked recipient, and a blocked IP.
      const lockedReq = () => ({
        path: '/v1/otp/verify',
        body: { channel: 'sms', to: lockedPhone, purpose: 'login', code: '123456' },
        headers: { 'x-forwarded-for': clientIp() },
      });
      for (let i = 0; i < 2; i++) await post(cw.url, lockedReq()); // learns the lock into the fast path
      const blockedIp = '192.0.2.77';
      const blockedReq = () => ({
        path: '/v1/otp/verify',
        body: { channel: 'sms', to: wrongPhones[0], purpose: 'login', code: '000000' },
        headers: { 'x-forwarded-for': blockedIp },
      });
      // Run just before the blocked-IP flood (not before the locked one, which must not start
      // with Redis empty).
      const blockClient = async () => {
        // Blocked the way every block is recorded in PostgreSQL, then Redis loses its rate-limit
        // keys (as on a restart): the first hit finds the block in PostgreSQL and seeds Redis.
        const c = new pg.Client({ connectionString: dbUrl });
        await c.connect();
        await c.query(
          `INSERT INTO ip_rate_limits (ip, endpoint, count, window_start, last_attempt_at, blocked_until)
           VALUES ($1, '/v1/otp/verify', 4, now(), now(), now() + interval '1 hour')`,
          [blockedIp],
        );
        await c.end();
        const rc = createClient({ url: REDIS_URL });
        await rc.connect();
        const keys = await rc.keys(`${prefix}rl:*`);
        if (keys.length > 0) await rc.del(keys);
        await rc.close();
        for (let i = 0; i < 2; i++) await post(cw.url, blockedReq());
      };
      for (const [name, next] of [
        ['floodLocked', lockedReq],
        ['floodBlockedIp', blockedReq],
      ]) {
        if (name === 'floodBlockedIp') await blockClient();
        const before = await settledXacts(dbName);
        const run = await cannon(cw.url, next, load(cw));
        const after = await settledXacts(dbName);
        run.pgTransactions = after.value - before.value - after.reads; // minus the reading connections
        results[name] = run;
        log(name, fmtRun(run), 'pg transactions', run.pgTransactions);
      }
    }

    if (want('hash')) {
      // Liveness while verifications saturate the CPU (hmac) — same shape as the pbkdf2 run below.
      results.hmacWithLive = await withLiveProbe(cw, verifyWrong);
      log(
        'hmac + live',
        fmtRun(results.hmacWithLive.verify),
        'live',
        fmtRun(results.hmacWithLive.live),
      );
    }
    await cw.stop();

    if (want('hash')) {
      // 3. pbkdf2-sha256 at 720 000 iterations on its own instance.
      const pbkdf2Env = {
        ...serverEnv,
        OTP_HASH: 'pbkdf2-sha256',
        CACHE_KEY_PREFIX: `${prefix}p:`,
      };
      const pbPhones = Array.from({ length: 40 }, (_, i) => phoneOf(3_000_000 + i));
      await seedCodes(
        dbUrl,
        { OTP_HASH: 'pbkdf2-sha256', HASH_MAX_CONCURRENCY: '2' },
        pbPhones,
        '123456',
      );
      const pb = await start('codeward-pbkdf2', MAIN, pbkdf2Env);
      let p = 0;
      results.pbkdf2WithLive = await withLiveProbe(pb, () => ({
        path: '/v1/otp/verify',
        body: {
          channel: 'sms',
          to: pbPhones[p++ % pbPhones.length],
          purpose: 'login',
          code: '000000',
        },
        headers: { 'x-forwarded-for': clientIp() },
      }));
      log(
        'pbkdf2 + live',
        fmtRun(results.pbkdf2WithLive.verify),
        'live',
        fmtRun(results.pbkdf2WithLive.live),
      );
      await pb.stop();
    }

    if (want('cluster')) {
      // 4. Across cores: WEB_CONCURRENCY 1 and 2 through dist/src/cluster.js.
      for (const n of [1, 2]) {
        const c = await start(`cluster-${n}`, CLUSTER, {
          ...serverEnv,
          WEB_CONCURRENCY: String(n),
        });
        const run = await cannon(c.url, verifyWrong, load(c));
        results[`cluster${n}`] = run;
        log(`cluster ${n}`, fmtRun(run));
        await c.stop();
      }
    }

    if (want('embedded')) {
      // 5. Embedded default (PGlite): its own ceiling (bare Fastify + PGlite upsert), then a fresh
      // DATA_DIR and a second start on it.
      const ceilDir = mkdtempSync(join(tmpdir(), 'cw-bench-ceil-'));
      const ceilLite = await startAny(join(ROOT, 'bench/ceiling-app.mjs'), {
        CEILING: 'pglite',
        DATA_DIR: ceilDir,
      });
      results.ceilingPglite = await cannon(
        ceilLite.url,
        () => ({ path: '/ceiling/upsert', body: { key: key() } }),
        { pid: ceilLite.pid, duration: Math.min(SECONDS, 5) },
      );
      log('ceiling (c) fastify + pglite upsert', fmtRun(results.ceilingPglite));
      await ceilLite.stop();
      rmSync(ceilDir, { recursive: true, force: true });

      const dataDir = mkdtempSync(join(tmpdir(), 'cw-bench-data-'));
      const {
        DATABASE_URL: _db,
        REDIS_URL: _redis,
        ...embeddedEnv
      } = { ...serverEnv, DATA_DIR: dataDir };
      let em = await start('embedded', MAIN, embeddedEnv);
      results.startupEmbeddedFirst = em.startupMs;
      results.rssEmbeddedFirstMb = em.rssKb() / 1024;
      await em.stop();
      em = await start('embedded', MAIN, embeddedEnv);
      results.startupEmbeddedSecond = em.startupMs;
      results.rssEmbeddedIdleMb = em.rssKb() / 1024;
      const emPhones = Array.from({ length: 300 }, (_, i) => phoneOf(4_000_000 + i));
      for (const to of emPhones) {
        await post(em.url, {
          path: '/v1/otp/send',
          body: { channel: 'sms', to, purpose: 'login' },
          headers: { 'x-forwarded-for': clientIp() },
        });
      }
      const short = { ...load(em), duration: Math.min(SECONDS, 5) };
      let e = 0;
      results.embeddedVerifyWrong = await cannon(
        em.url,
        () => ({
          path: '/v1/otp/verify',
          body: {
            channel: 'sms',
            to: emPhones[e++ % emPhones.length],
            purpose: 'login',
            code: '000000',
          },
          headers: { 'x-forwarded-for': clientIp() },
        }),
        short,
      );
      log('embedded verify wrong', fmtRun(results.embeddedVerifyWrong));
      let es = 0;
      results.embeddedSend = await cannon(
        em.url,
        () => ({
          path: '/v1/otp/send',
          body: { channel: 'sms', to: phoneOf(5_000_000 + es++), purpose: 'login' },
          headers: { 'x-forwarded-for': clientIp() },
        }),
        short,
      );
      log('embedded send', fmtRun(results.embeddedSend));
      await em.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await eskiz.close();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
  }

  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(
    ROOT,
    `bench/results/run-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(report(results));
  log('raw results:', file);
}

async function startAny(file, env) {
  // Ready = any HTTP answer (404 on an unknown path is fine).
  const port = await freePort();
  const proc = spawn(process.execPath, [file], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      await (await fetch(url + '/')).arrayBuffer();
      break;
    } catch {
      await sleep(50);
    }
  }
  return {
    url,
    pid: proc.pid,
    async stop() {
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await done;
    },
  };
}

async function post(url, r) {
  const res = await fetch(url + r.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(r.headers ?? {}) },
    body: JSON.stringify(r.body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function withLiveProbe(server, next) {
  const [verify, live] = await Promise.all([
    cannon(server.url, next, { sampleRss: server.rssKb }),
    cannon(server.url, () => ({ path: '/health/live' }), { connections: 1, method: 'GET' }),
  ]);
  return { verify, live };
}

// ---------- report ----------
function report(res) {
  const a = res.ceilingUpsert?.rps;
  const b = res.ceilingIncr?.rps;
  const c = res.ceilingPglite?.rps;
  const codes = (run) =>
    Object.entries(run.codes)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ') + (run.errors ? `, errors: ${run.errors}` : '');
  const us = (x) => (x === undefined ? '—' : String(x));
  const row = (name, run, base, baseName, target) => {
    if (!run) return null;
    const ratio = base ? run.rps / base : undefined;
    const met =
      target === undefined || ratio === undefined
        ? ''
        : ratio >= target
          ? `≥ ${target} ✓`
          : `< ${target} ✗`;
    const r = ratio === undefined ? '—' : `${ratio.toFixed(2)}× ${baseName}`;
    return `| ${name} | ${Math.round(run.rps)} | ${run.p50} | ${run.p99} | ${us(run.serverUs)} | ${us(run.pgUs)} | ${r} | ${met} | ${codes(run)} |`;
  };
  const mb = (x) => (x === undefined ? '—' : `${Math.round(x)} MB`);
  const s = (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
  const pgTx = (run) => (run ? ` (PostgreSQL transactions: ${run.pgTransactions})` : '');
  return [
    `Node ${res.env.node}; ${res.env.postgres}; Redis ${res.env.redis}; autocannon ${res.env.autocannon}; ${res.env.cpu}; ${res.env.memGiB} GiB`,
    '',
    `| run (${CONNECTIONS} connections, ${SECONDS} s) | req/s | p50 ms | p99 ms | server CPU µs/req | PostgreSQL CPU µs/req | ratio | target | statuses |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
    row('ceiling (a): bare Fastify, one `pg` upsert', res.ceilingUpsert, a, '(a)'),
    row('ceiling (b): bare Fastify, one Redis INCR', res.ceilingIncr, b, '(b)'),
    row('verify, wrong code (4 000 recipients)', res.verifyWrong, a, '(a)', 0.4),
    row('verify, right code (each code once)', res.verifyRight, a, '(a)', 0.4),
    row('send (instant fake Eskiz)', res.send, a, '(a)', 0.25),
    row(`flood: locked recipient${pgTx(res.floodLocked)}`, res.floodLocked, b, '(b)', 0.8),
    row(`flood: blocked IP${pgTx(res.floodBlockedIp)}`, res.floodBlockedIp, b, '(b)', 0.8),
    row('verify wrong, WEB_CONCURRENCY=1 (cluster)', res.cluster1, a, '(a)'),
    row('verify wrong, WEB_CONCURRENCY=2 (cluster)', res.cluster2, a, '(a)'),
    row('ceiling (c): bare Fastify, one PGlite upsert, 5 s', res.ceilingPglite, c, '(c)'),
    row('embedded (PGlite), verify wrong, 5 s', res.embeddedVerifyWrong, c, '(c)', 0.5),
    row('embedded (PGlite), send, 5 s', res.embeddedSend, c, '(c)', 0.5),
    '',
    ...(res.hmacWithLive && res.pbkdf2WithLive
      ? [
          '| hashing | verifications/s | verify p99 ms | /health/live p50 ms | /health/live p99 ms | statuses |',
          '| --- | ---: | ---: | ---: | ---: | --- |',
          `| hmac-sha256 | ${Math.round(res.hmacWithLive.verify.rps)} | ${res.hmacWithLive.verify.p99} | ${res.hmacWithLive.live.p50} | ${res.hmacWithLive.live.p99} | ${codes(res.hmacWithLive.verify)} |`,
          `| pbkdf2-sha256, 720 000 iterations | ${(res.pbkdf2WithLive.verify.total / SECONDS).toFixed(1)} | ${res.pbkdf2WithLive.verify.p99} | ${res.pbkdf2WithLive.live.p50} | ${res.pbkdf2WithLive.live.p99} | ${codes(res.pbkdf2WithLive.verify)} |`,
          '',
        ]
      : []),
    '| memory and start-up | value |',
    '| --- | --- |',
    `| server mode: first start (fresh database, migrations) → /health/ready 200 | ${s(res.startupServerFirst)} |`,
    `| server mode: second start | ${s(res.startupServerSecond)} |`,
    `| server mode: RSS idle / peak under verify / right / send load | ${mb(res.rssServerIdleMb)} / ${mb(res.verifyWrong?.peakRssMb)} / ${mb(res.verifyRight?.peakRssMb)} / ${mb(res.send?.peakRssMb)} |`,
    `| cluster RSS peak (primary + workers), 1 / 2 workers | ${mb(res.cluster1?.peakRssMb)} / ${mb(res.cluster2?.peakRssMb)} |`,
    `| embedded: first start (fresh DATA_DIR) | ${s(res.startupEmbeddedFirst)} (RSS ${mb(res.rssEmbeddedFirstMb)}) |`,
    `| embedded: second start | ${s(res.startupEmbeddedSecond)} (RSS ${mb(res.rssEmbeddedIdleMb)}) |`,
    `| embedded: RSS peak under verify / send load | ${mb(res.embeddedVerifyWrong?.peakRssMb)} / ${mb(res.embeddedSend?.peakRssMb)} |`,
  ]
    .filter((line) => line !== null)
    .join('\n');
}

process.once('SIGINT', () => {
  for (const c of children) c.kill('SIGKILL');
  process.exit(130);
});
await main();
process.exit(0);
