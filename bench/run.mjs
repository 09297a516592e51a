// Side-by-side benchmark: a bare NestJS + Fastify ceiling app against the built Codeward, on the
// loopback PostgreSQL and Redis. Usage: `npm run bench` (builds first). Needs PostgreSQL and Redis
// (DATABASE_URL / REDIS_URL, default the loopback servers). Every run is bounded (autocannon,
// BENCH_SECONDS each, 50 connections); prints a Markdown report and writes bench/results/.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
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

async function start(name, file, env, readyPath = '/health/ready', timeoutMs = 90_000) {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'cw-bench-'));
  const started = performance.now();
  const proc = spawn(process.execPath, [file], {
    cwd,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
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
  { connections = CONNECTIONS, duration = SECONDS, method = 'POST', sampleRss } = {},
) {
  const samples = [];
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
  };
}

function fmtRun(r) {
  return `${Math.round(r.rps)} rps, p50 ${r.p50} ms, p99 ${r.p99} ms, statuses ${JSON.stringify(r.codes)}${r.errors ? `, errors ${r.errors}` : ''}`;
}

// Clients: 256 addresses (X-Forwarded-For through TRUST_PROXY=loopback), reused, as a busy
// service sees them. Each address's counter lives in Redis after its first request; an address
// Redis does not know costs one PostgreSQL read (a block recorded there still stands).
let ipSeq = 0;
const clientIp = () => `10.1.0.${ipSeq++ % 256}`;
const phoneOf = (n) => `+99891${String(n).padStart(7, '0')}`;

// ---------- fake Eskiz that answers at once ----------
async function instantEskiz() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/api/auth/login') {
        const part = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
        const exp = Math.floor(Date.now() / 1000) + 86400 * 30;
        res.end(
          JSON.stringify({ data: { token: `${part({ alg: 'HS256' })}.${part({ exp })}.sig` } }),
        );
      } else res.end(JSON.stringify({ id: randomUUID(), status: 'waiting' }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
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
  for (let stable = 0, i = 0; stable < 3 && i < 25; i++) {
    await sleep(1000);
    const now = await xactCommit(name);
    reads += 1;
    stable = now - last <= 1 ? stable + 1 : 0; // +1: the reading connection itself
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
    SMS_PROVIDERS: 'eskiz',
    ESKIZ_BASE_URL: eskiz.url,
    ESKIZ_EMAIL: 'bench@example.com',
    ESKIZ_PASSWORD: 'bench',
    EMAIL_PROVIDERS: 'smtp',
    SMTP_URL: 'smtp://127.0.0.1:9',
    EMAIL_FROM: 'codeward@example.com',
  };

  try {
    // 1. Ceiling.
    const ceil = await startAny(join(ROOT, 'bench/ceiling-app.mjs'), {
      DATABASE_URL: dbUrl,
      REDIS_URL,
    });
    const key = () => `k${Math.floor(Math.random() * 10_000)}`;
    results.ceilingUpsert = await cannon(ceil.url, () => ({
      path: '/ceiling/upsert',
      body: { key: key() },
    }));
    log('ceiling (a) upsert', fmtRun(results.ceilingUpsert));
    results.ceilingIncr = await cannon(ceil.url, () => ({
      path: '/ceiling/incr',
      body: { key: key() },
    }));
    log('ceiling (b) incr', fmtRun(results.ceilingIncr));
    await ceil.stop();

    // 2. Codeward, server mode. First start on a fresh database runs the migrations.
    let cw = await start('codeward', MAIN, serverEnv);
    results.startupServerFirst = cw.startupMs;
    await cw.stop();
    cw = await start('codeward', MAIN, serverEnv);
    results.startupServerSecond = cw.startupMs;
    results.rssServerIdleMb = cw.rssKb() / 1024;
    log('server start-up', results.startupServerFirst, results.startupServerSecond);

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
    results.verifyWrong = await cannon(cw.url, verifyWrong, { sampleRss: cw.rssKb });
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
      { sampleRss: cw.rssKb },
    );
    results.verifyRightUsed = r;
    log('verify right', fmtRun(results.verifyRight));

    let s = 0;
    results.send = await cannon(
      cw.url,
      () => ({
        path: '/v1/otp/send',
        body: { channel: 'sms', to: phoneOf(2_000_000 + s++), purpose: 'login' },
        headers: { 'x-forwarded-for': clientIp() },
      }),
      { sampleRss: cw.rssKb },
    );
    log('send', fmtRun(results.send));

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
    {
      // Blocked the way every block is recorded in PostgreSQL; the first hit seeds it into Redis.
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      await c.query(
        `INSERT INTO ip_rate_limits (ip, endpoint, count, window_start, last_attempt_at, blocked_until)
         VALUES ($1, '/v1/otp/verify', 4, now(), now(), now() + interval '1 hour')`,
        [blockedIp],
      );
      await c.end();
    }
    for (let i = 0; i < 2; i++) await post(cw.url, blockedReq());
    for (const [name, next] of [
      ['floodLocked', lockedReq],
      ['floodBlockedIp', blockedReq],
    ]) {
      const before = await settledXacts(dbName);
      const run = await cannon(cw.url, next);
      const after = await settledXacts(dbName);
      run.pgTransactions = after.value - before.value - after.reads; // minus the reading connections
      results[name] = run;
      log(name, fmtRun(run), 'pg transactions', run.pgTransactions);
    }

    // Liveness while verifications saturate the CPU (hmac) — same shape as the pbkdf2 run below.
    results.hmacWithLive = await withLiveProbe(cw, verifyWrong);
    log(
      'hmac + live',
      fmtRun(results.hmacWithLive.verify),
      'live',
      fmtRun(results.hmacWithLive.live),
    );
    await cw.stop();

    // 3. pbkdf2-sha256 at 720 000 iterations on its own instance.
    const pbkdf2Env = { ...serverEnv, OTP_HASH: 'pbkdf2-sha256', CACHE_KEY_PREFIX: `${prefix}p:` };
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

    // 4. Across cores: WEB_CONCURRENCY 1 and 2 through dist/src/cluster.js.
    for (const n of [1, 2]) {
      const c = await start(`cluster-${n}`, CLUSTER, { ...serverEnv, WEB_CONCURRENCY: String(n) });
      const run = await cannon(c.url, verifyWrong, { sampleRss: c.rssKb });
      results[`cluster${n}`] = run;
      log(`cluster ${n}`, fmtRun(run));
      await c.stop();
    }

    // 5. Embedded default (PGlite): fresh DATA_DIR, then a second start on it.
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
      { sampleRss: em.rssKb, duration: Math.min(SECONDS, 5) },
    );
    log('embedded verify wrong', fmtRun(results.embeddedVerifyWrong));
    await em.stop();
    rmSync(dataDir, { recursive: true, force: true });
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
  for (let i = 0; i < 300; i++) {
    try {
      await (await fetch(url + '/')).arrayBuffer();
      break;
    } catch {
      await sleep(50);
    }
  }
  return {
    url,
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
  const a = res.ceilingUpsert.rps;
  const b = res.ceilingIncr.rps;
  const row = (name, run, base, baseName, target) => {
    const ratio = run.rps / base;
    const met = target === undefined ? '' : ratio >= target ? `≥ ${target} ✓` : `< ${target} ✗`;
    return `| ${name} | ${Math.round(run.rps)} | ${run.p50} | ${run.p99} | ${ratio.toFixed(2)}× ${baseName} | ${met} | ${codes(run)} |`;
  };
  const codes = (run) =>
    Object.entries(run.codes)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ') + (run.errors ? `, errors: ${run.errors}` : '');
  const mb = (x) => (x === undefined ? '—' : `${Math.round(x)} MB`);
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `Node ${res.env.node}; ${res.env.postgres}; Redis ${res.env.redis}; autocannon ${res.env.autocannon}; ${res.env.cpu}; ${res.env.memGiB} GiB`,
    '',
    `| run (${CONNECTIONS} connections, ${SECONDS} s) | req/s | p50 ms | p99 ms | ratio | target | statuses |`,
    '| --- | ---: | ---: | ---: | --- | --- | --- |',
    `| ceiling (a): one PostgreSQL upsert | ${Math.round(a)} | ${res.ceilingUpsert.p50} | ${res.ceilingUpsert.p99} | 1.00× (a) | | ${codes(res.ceilingUpsert)} |`,
    `| ceiling (b): one Redis INCR | ${Math.round(b)} | ${res.ceilingIncr.p50} | ${res.ceilingIncr.p99} | 1.00× (b) | | ${codes(res.ceilingIncr)} |`,
    row('verify, wrong code (4 000 recipients)', res.verifyWrong, a, '(a)', 0.6),
    row('verify, right code (each code once)', res.verifyRight, a, '(a)', 0.6),
    row('send (instant fake Eskiz)', res.send, a, '(a)', 0.4),
    row(
      `flood: locked recipient (PostgreSQL transactions: ${res.floodLocked.pgTransactions})`,
      res.floodLocked,
      b,
      '(b)',
      0.8,
    ),
    row(
      `flood: blocked IP (PostgreSQL transactions: ${res.floodBlockedIp.pgTransactions})`,
      res.floodBlockedIp,
      b,
      '(b)',
      0.8,
    ),
    row('verify wrong, WEB_CONCURRENCY=1 (cluster)', res.cluster1, a, '(a)'),
    row('verify wrong, WEB_CONCURRENCY=2 (cluster)', res.cluster2, a, '(a)'),
    row('embedded (PGlite), verify wrong, 5 s', res.embeddedVerifyWrong, a, '(a)'),
    '',
    '| hashing | verifications/s | verify p99 ms | /health/live p50 ms | /health/live p99 ms | statuses |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    `| hmac-sha256 | ${Math.round(res.hmacWithLive.verify.rps)} | ${res.hmacWithLive.verify.p99} | ${res.hmacWithLive.live.p50} | ${res.hmacWithLive.live.p99} | ${codes(res.hmacWithLive.verify)} |`,
    `| pbkdf2-sha256, 720 000 iterations | ${(res.pbkdf2WithLive.verify.total / SECONDS).toFixed(1)} | ${res.pbkdf2WithLive.verify.p99} | ${res.pbkdf2WithLive.live.p50} | ${res.pbkdf2WithLive.live.p99} | ${codes(res.pbkdf2WithLive.verify)} |`,
    '',
    '| memory and start-up | value |',
    '| --- | --- |',
    `| server mode: first start (fresh database, migrations) → /health/ready 200 | ${s(res.startupServerFirst)} |`,
    `| server mode: second start | ${s(res.startupServerSecond)} |`,
    `| server mode: RSS idle / peak under verify / right / send load | ${mb(res.rssServerIdleMb)} / ${mb(res.verifyWrong.peakRssMb)} / ${mb(res.verifyRight.peakRssMb)} / ${mb(res.send.peakRssMb)} |`,
    `| cluster RSS peak (primary + workers), 1 / 2 workers | ${mb(res.cluster1.peakRssMb)} / ${mb(res.cluster2.peakRssMb)} |`,
    `| embedded: first start (fresh DATA_DIR) | ${s(res.startupEmbeddedFirst)} (RSS ${mb(res.rssEmbeddedFirstMb)}) |`,
    `| embedded: second start | ${s(res.startupEmbeddedSecond)} (RSS ${mb(res.rssEmbeddedIdleMb)}) |`,
    `| embedded: RSS peak under verify load | ${mb(res.embeddedVerifyWrong.peakRssMb)} |`,
  ].join('\n');
}

process.once('SIGINT', () => {
  for (const c of children) c.kill('SIGKILL');
  process.exit(130);
});
await main();
process.exit(0);
