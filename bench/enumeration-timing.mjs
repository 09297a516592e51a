// Wall-clock check of the registration's anti-enumeration timing (not a test: the tests check the
// deadline deterministically on an injected clock). Registers alternately a new email (code
// delivered) and an email with an active account (decoy code, nothing delivered) over HTTP against
// the built app, with an email provider that takes DELIVERY_MS per message like a nearby SMTP
// relay, and prints both medians and their ratio.
// Usage: npm run build && node bench/enumeration-timing.mjs   (DATABASE_URL: use that PostgreSQL
// server; unset: embedded, in memory). ROUNDS (default 150), DELIVERY_MS (default 25).
import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { Test } from '@nestjs/testing';
import { AppModule } from '../dist/src/app.module.js';
import { configureApp, createFastifyAdapter } from '../dist/src/bootstrap/http-app.js';
import { buildAppConfig } from '../dist/src/config/app-config.js';
import { FakeEmailProvider } from '../dist/src/notification/email/fake.email-provider.js';
import { EmailProviderChain } from '../dist/src/notification/provider-chain.js';

const ROUNDS = Number(process.env.ROUNDS || 150);
const DELIVERY_MS = Number(process.env.DELIVERY_MS || 25);
const WARM_UP = 10;

class SlowEmailProvider extends FakeEmailProvider {
  async send(message) {
    await sleep(DELIVERY_MS);
    return super.send(message);
  }
}

const config = buildAppConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  PORT: '0',
  HOST: '127.0.0.1',
  OTP_PEPPER: 'bench-pepper-0123456789abcdef0123456789',
  TOKEN_SECRET: 'bench-token-secret-0123456789abcdef0123',
  ADMIN_API_KEYS: 'bench-admin-key-0123456789abcdef',
  // The same email registers again and again: no cooldown, no hourly quota, no IP limit.
  OTP_SEND_COOLDOWN_SECONDS: '0',
  OTP_MAX_SENDS_PER_HOUR: '1000',
  IP_SEND_MAX_PER_MINUTE: '1000000',
  IP_VERIFY_MAX_PER_MINUTE: '1000000',
  ...(process.env.DATABASE_URL
    ? { DATABASE_URL: process.env.DATABASE_URL }
    : { DATA_DIR: 'memory://' }),
});
const outbox = new SlowEmailProvider();
const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
  .overrideProvider(EmailProviderChain)
  .useValue({ providers: [outbox] })
  .compile();
const app = moduleRef.createNestApplication(createFastifyAdapter(config), { logger: false });
await configureApp(app, config);
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;

const post = async (path, body) => {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
const register = (email) =>
  post('/v1/hr/register', {
    email,
    password: 'correct horse battery staple',
    fullName: 'Bench',
    companyName: 'Bench',
  });
async function timed(email) {
  const started = performance.now();
  const res = await register(email);
  const ms = performance.now() - started;
  if (res.status !== 202) throw new Error(`register answered ${res.status} ${res.body.code}`);
  return ms;
}

let seq = 0;
const fresh = () => `bench${++seq}.${Date.now()}@acme.example`;
const active = fresh();
const reg = await register(active);
const code = /\b(\d{6})\b/.exec(outbox.lastTo(active).text)[1];
const ok = await post('/v1/hr/register/verify', {
  email: active,
  code,
  verificationId: reg.body.verificationId,
});
if (ok.status !== 200) throw new Error(`activation answered ${ok.status}`);

const forNew = [];
const forActive = [];
for (let i = 0; i < WARM_UP + ROUNDS; i++) {
  const n = await timed(fresh());
  const a = await timed(active);
  if (i < WARM_UP) continue;
  forNew.push(n);
  forActive.push(a);
}
await app.close();

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];
const median = (xs) => pct(xs, 0.5);
console.log(
  JSON.stringify(
    {
      rounds: ROUNDS,
      deliveryMs: DELIVERY_MS,
      database: process.env.DATABASE_URL ? 'postgresql' : 'embedded',
      newEmail: { medianMs: +median(forNew).toFixed(1), p90Ms: +pct(forNew, 0.9).toFixed(1) },
      activeEmail: {
        medianMs: +median(forActive).toFixed(1),
        p90Ms: +pct(forActive, 0.9).toFixed(1),
      },
      medianRatioActiveToNew: +(median(forActive) / median(forNew)).toFixed(3),
    },
    null,
    2,
  ),
);
process.exit(0);
