// Cost of one token sign + verify: the node:crypto TokenSigner against the jose code it replaced
// (measured only while jose is still installed). Bounded: 20 000 rounds per implementation.
// Usage: npx nest build && node bench/token-sign.mjs
import { buildAppConfig } from '../dist/src/config/app-config.js';
import { TokenSigner } from '../dist/src/common/crypto/token-signer.js';
import { CryptoRandomSource } from '../dist/src/common/crypto/random-source.js';

const RUNS = 20_000;
const WARM_UP = 1_000;
const AUDIENCE = 'codeward:verification';
const REQUIRED = ['jti', 'sub', 'exp', 'iat'];
const CLAIMS = { ch: 'email', pur: 'hr_registration' };
const config = buildAppConfig({
  OTP_PEPPER: 'p'.repeat(32),
  TOKEN_SECRET: 't'.repeat(32),
  ADMIN_API_KEYS: 'k'.repeat(24),
  DATA_DIR: 'memory://',
});
const clock = { now: () => new Date() };
const random = new CryptoRandomSource();

/** The TokenSigner as it was on jose (same header, claims and checks); null when not installed. */
async function joseSigner() {
  let jose;
  try {
    jose = await import('jose');
  } catch {
    return null;
  }
  const key = new TextEncoder().encode(config.security.tokenSecret);
  return {
    async sign(audience, subject, claims, ttl) {
      const iat = Math.floor(clock.now().getTime() / 1000);
      const token = await new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer('codeward')
        .setAudience(audience)
        .setSubject(subject)
        .setJti(random.uuid())
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl)
        .sign(key);
      return { token, expiresAt: new Date((iat + ttl) * 1000) };
    },
    async verify(token, audience, required) {
      try {
        const { payload } = await jose.jwtVerify(token, key, {
          issuer: 'codeward',
          audience,
          algorithms: ['HS256'],
          currentDate: clock.now(),
          requiredClaims: required,
        });
        return payload;
      } catch {
        return null;
      }
    },
  };
}

async function measure(signer) {
  const sign = [];
  const verify = [];
  const both = [];
  for (let i = 0; i < WARM_UP + RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const { token } = await signer.sign(AUDIENCE, `user${i}@example.com`, CLAIMS, 600);
    const t1 = process.hrtime.bigint();
    const payload = await signer.verify(token, AUDIENCE, REQUIRED);
    const t2 = process.hrtime.bigint();
    if (!payload) throw new Error('a freshly signed token did not verify');
    if (i < WARM_UP) continue;
    sign.push(Number(t1 - t0) / 1e3);
    verify.push(Number(t2 - t1) / 1e3);
    both.push(Number(t2 - t0) / 1e3);
  }
  const p50 = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { sign: p50(sign), verify: p50(verify), both: p50(both) };
}

const row = (name, r) =>
  `${name.padEnd(12)} sign p50 ${r.sign.toFixed(1).padStart(6)} µs   verify p50 ${r.verify
    .toFixed(1)
    .padStart(6)} µs   sign+verify p50 ${r.both.toFixed(1).padStart(6)} µs`;

const jose = await joseSigner();
const node = await measure(new TokenSigner(config, clock, random));
if (jose) {
  const old = await measure(jose);
  console.log(row('jose', old));
  console.log(row('node:crypto', node));
  console.log(`sign+verify p50 ratio jose/node:crypto: ${(old.both / node.both).toFixed(1)}x`);
} else {
  console.log('jose is not installed: measuring the node:crypto signer only');
  console.log(row('node:crypto', node));
}
console.log(`(${RUNS} rounds each after ${WARM_UP} warm-up rounds)`);
