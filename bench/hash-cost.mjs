// Per-verification cost of the two code-hash algorithms, through the service's own OtpHasher.
// Usage: npm run build && node bench/hash-cost.mjs
import { buildAppConfig } from '../dist/src/config/app-config.js';
import { OtpHasher } from '../dist/src/otp/otp-hasher.js';

const base = {
  OTP_PEPPER: 'p'.repeat(32),
  TOKEN_SECRET: 't'.repeat(32),
  ADMIN_API_KEYS: 'k'.repeat(24),
  DATA_DIR: 'memory://',
};

async function measure(env, n) {
  const hasher = new OtpHasher(buildAppConfig({ ...base, ...env }));
  const stored = await hasher.hash('042917', 'login:+998901234567');
  await hasher.verify('042917', 'login:+998901234567', stored); // warm-up
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await hasher.verify(i % 2 ? '042917' : '111111', 'login:+998901234567', stored);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await hasher.onApplicationShutdown();
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n / 2)], p95: times[Math.floor(n * 0.95)] };
}

const hmac = await measure({ OTP_HASH: 'hmac-sha256' }, 20000);
const pbkdf2 = await measure(
  { OTP_HASH: 'pbkdf2-sha256', PBKDF2_ITERATIONS: '720000', HASH_MAX_CONCURRENCY: '1' },
  20,
);
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(1)} ms`);
console.log(`hmac-sha256          verify p50 ${fmt(hmac.p50)}  p95 ${fmt(hmac.p95)}  (20000 runs)`);
console.log(
  `pbkdf2-sha256 720000 verify p50 ${fmt(pbkdf2.p50)}  p95 ${fmt(pbkdf2.p95)}  (20 runs, one worker)`,
);
console.log(`ratio p50: ${(pbkdf2.p50 / hmac.p50).toFixed(0)}x`);
