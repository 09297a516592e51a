// Times the admin audit-event page query on 1 000 000 rows.
//
//   psql -h 127.0.0.1 -U root -d postgres -c 'create database cw_bench_audit'
//   DATABASE_URL=postgres://root@127.0.0.1:5432/cw_bench_audit node bench/audit-query.mjs
//
// The schema comes from the real migration and the SQL from the real query builder
// (src/audit/audit-page.query.ts), both transpiled on the fly, so the benchmark times exactly the
// statements the service issues. Re-runs reuse the rows already there.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROWS = 1_000_000;
const RUNS = 200;
const LIMIT = 50;

async function importTs(rel) {
  const src = readFileSync(join(ROOT, rel), 'utf8');
  const { outputText } = ts.transpileModule(src, {
    compilerOptions: {
      module: ts.ModuleKind.ES2022,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
    },
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
}

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to a throwaway PostgreSQL database.');
  process.exit(2);
}
const { buildAuditPageQuery } = await importTs('src/audit/audit-page.query.ts');
const migrationModule = await importTs('migrations/1795248735936-audit-events.ts');
const Migration = Object.values(migrationModule)[0];

const db = new pg.Client({ connectionString: url });
await db.connect();

const exists = (await db.query(`SELECT to_regclass('public.audit_events') AS t`)).rows[0].t;
if (!exists) {
  await new Migration().up({ query: (sql, params) => db.query(sql, params) });
  console.log('schema created from the migration');
}
const have = Number((await db.query('SELECT count(*) FROM audit_events')).rows[0].count);
if (have < ROWS) {
  const started = Date.now();
  // 1M events over 365 days: one hot recipient and one hot IP (an attack), 50 000 ordinary
  // recipients and ~20 000 ordinary IPs, types weighted roughly like real traffic.
  await db.query(
    `INSERT INTO audit_events
       (occurred_at, type, channel, purpose, ip, user_agent, request_id,
        recipient_hash, recipient_masked, details)
     SELECT
       timestamptz '2026-01-01T00:00:00Z' + (i * interval '31.536 seconds'),
       (ARRAY['otp.sent','otp.sent','otp.sent','otp.verified','otp.verified','otp.verify_failed',
              'otp.verify_failed','otp.delivery_failed','otp.locked','ip.blocked','token.consumed',
              'account.registered','password_reset.requested','admin.unlock'])[1 + i % 14],
       CASE WHEN i % 3 = 0 THEN 'email' ELSE 'sms' END,
       (ARRAY['login','hr_registration','password_reset'])[1 + i % 3],
       CASE WHEN i % 40 = 0 THEN '203.0.113.66'
            ELSE '10.' || (i % 80) || '.' || ((i / 80) % 250) || '.' || ((i / 20000) % 250) END,
       'bench/1.0',
       md5(i::text),
       CASE WHEN i % 50 = 0 THEN encode(sha256('hot-recipient'::bytea), 'hex')
            ELSE encode(sha256(('r' || (i % 50000))::bytea), 'hex') END,
       '+998*******' || lpad((i % 100)::text, 2, '0'),
       jsonb_build_object('verificationId', md5((i / 3)::text), 'attempt', 1 + i % 3)
     FROM generate_series($1::int + 1, $2::int) AS i`,
    [have, ROWS],
  );
  console.log(`inserted ${ROWS - have} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await db.query('VACUUM ANALYZE audit_events');
}

const sha = (s) =>
  db.query(`SELECT encode(sha256($1::bytea), 'hex') AS h`, [s]).then((r) => r.rows[0].h);
const hot = await sha('hot-recipient');
const ordinary = await sha('r12345');
const count = async (where, params) =>
  Number(
    (await db.query(`SELECT count(*) FROM audit_events WHERE ${where}`, params)).rows[0].count,
  );

/** The keyset position after `offset` rows of a filter, like a client that paged that far. */
async function cursorAt(filter, offset) {
  const { sql, params } = buildAuditPageQuery({ ...filter, limit: offset });
  const rows = (await db.query(sql, params)).rows;
  const last = rows[offset - 1];
  return { occurredAt: last.occurred_at, id: String(last.id) };
}

const cases = [
  ['no filter', {}],
  ['recipient (ordinary, ~20 rows)', { recipientHash: ordinary }],
  ['recipient (hot, 20 000 rows)', { recipientHash: hot }],
  ['type=otp.verified', { type: 'otp.verified' }],
  ['ip (hot, 25 000 rows)', { ip: '203.0.113.66' }],
  [
    'type + channel + since',
    { type: 'otp.sent', channel: 'sms', since: new Date('2026-06-01T00:00:00Z') },
  ],
];
console.log(
  `rows: ${await count('true', [])}; hot recipient: ${await count('recipient_hash = $1', [hot])}; ` +
    `ordinary recipient: ${await count('recipient_hash = $1', [ordinary])}; ` +
    `otp.verified: ${await count('type = $1', ['otp.verified'])}; hot ip: ${await count('ip = $1', ['203.0.113.66'])}`,
);

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
async function time(filter) {
  const { sql, params } = buildAuditPageQuery({ ...filter, limit: LIMIT });
  for (let i = 0; i < 10; i++) await db.query(sql, params); // warm-up
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await db.query(sql, params);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50).toFixed(2), p95: pct(ms, 95).toFixed(2) };
}

console.log(`\n${RUNS} runs each, limit ${LIMIT}, times in ms (client round trip, same host)`);
console.log('filter'.padEnd(34), 'page'.padEnd(22), 'p50'.padStart(8), 'p95'.padStart(8));
let deepExample;
for (const [name, filter] of cases) {
  const first = await time(filter);
  console.log(name.padEnd(34), 'first'.padEnd(22), first.p50.padStart(8), first.p95.padStart(8));
  const total = await count(
    buildAuditPageQuery({ ...filter, limit: 0 })
      .sql.split(' WHERE ')[1]
      ?.split(' ORDER BY')[0] ?? 'true',
    buildAuditPageQuery({ ...filter, limit: 0 }).params.slice(0, -1),
  );
  if (total > 10_000) {
    const depth = Math.min(10_000, total - LIMIT);
    const deep = { ...filter, after: await cursorAt(filter, depth) };
    const d = await time(deep);
    console.log(
      ''.padEnd(34),
      `cursor after ${depth}`.padEnd(22),
      d.p50.padStart(8),
      d.p95.padStart(8),
    );
    if (filter.recipientHash === hot) deepExample = deep;
  }
}

for (const [label, filter] of [
  ['recipient (hot) page after 10 000 rows', deepExample],
  ['type=otp.verified first page', { type: 'otp.verified' }],
]) {
  const { sql, params } = buildAuditPageQuery({ ...filter, limit: LIMIT });
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) — ${label}\n${sql}`);
  const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  for (const r of plan.rows) console.log('  ' + r['QUERY PLAN']);
}
await db.end();
