// CPU cost of telling the SMS guard what a phone number is, per send and per verify, through the
// service's own RecipientNormalizer and SmsGuardService (stores stubbed: no I/O is measured), and
// how many times libphonenumber parses or classifies a number on each path.
// Usage: npx nest build && node bench/recipient-parse.mjs [dist directory, default ./dist]
// Bounded: 6 x 20 000 operations per figure, a few seconds in all.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const dist = pathToFileURL(`${path.resolve(process.argv[2] ?? 'dist')}/`);

// Counts libphonenumber-js parses: every import of `libphonenumber-js/max` gets a wrapper whose
// parse functions count their calls (the ESM bindings themselves cannot be patched).
const real = import.meta.resolve('libphonenumber-js/max');
const wrapper = `data:text/javascript,${encodeURIComponent(`
  import * as lib from ${JSON.stringify(real)};
  export * from ${JSON.stringify(real)};
  const counted = (fn) => (...args) => { globalThis.__parses.n++; return fn(...args); };
  globalThis.__parses = { n: 0 };
  export const parsePhoneNumberFromString = counted(lib.parsePhoneNumberFromString);
  export const parsePhoneNumber = counted(lib.parsePhoneNumber);
  export const parsePhoneNumberWithError = counted(lib.parsePhoneNumberWithError);
  export const isValidPhoneNumber = counted(lib.isValidPhoneNumber);
  export default parsePhoneNumberFromString;
`)}`;
const hooks = `data:text/javascript,${encodeURIComponent(`
  export async function resolve(specifier, context, next) {
    if (specifier === 'libphonenumber-js/max') return { url: ${JSON.stringify(wrapper)}, shortCircuit: true };
    return next(specifier, context);
  }
`)}`;
register(hooks);

const lib = await import('libphonenumber-js/max');
const { buildAppConfig } = await import(new URL('src/config/app-config.js', dist).href);
const { RecipientNormalizer } = await import(
  new URL('src/common/recipient/recipient-normalizer.js', dist).href
);
const { SmsGuardService } = await import(new URL('src/sms-guard/sms-guard.service.js', dist).href);

// getType() / isValid() run the type patterns of the full metadata: count them too.
const proto = Object.getPrototypeOf(lib.parsePhoneNumberFromString('+998901234567'));
const calls = { getType: 0, isValid: 0 };
for (const name of Object.keys(calls)) {
  const original = proto[name];
  proto[name] = function (...args) {
    calls[name]++;
    return original.apply(this, args);
  };
}

const config = buildAppConfig({
  OTP_PEPPER: 'p'.repeat(32),
  TOKEN_SECRET: 't'.repeat(32),
  ADMIN_API_KEYS: 'k'.repeat(24),
  DATA_DIR: 'memory://',
});
const now = new Date('2026-01-15T10:00:00Z');
const normalizer = new RecipientNormalizer(config);
// Stores stubbed as a closed breaker with no counts: only the classification is measured.
const guard = new SmsGuardService(
  config,
  { now: () => now },
  { countSend: () => Promise.resolve(null), noteVerified: () => undefined },
  { peek: () => undefined },
  { admit: () => Promise.resolve(null) },
  { record: () => Promise.resolve() },
  { smsRefusals: { inc: () => undefined } },
  normalizer, // used by the admin's prefix look-up only (not measured)
);
const meta = { ip: '127.0.0.1', userAgent: 'bench', requestId: 'bench' };

// What clients type, all of them numbers the default policy lets through (MOBILE or
// FIXED_LINE_OR_MOBILE): UZ in its three usual forms, RU, KZ (+7), US, GB, DE.
const INPUTS = [
  '+998901234567',
  '998 93 770 00 01',
  '90 555 12 34',
  '+7 912 345-67-89',
  '+7 701 234 5678',
  '+1 202 555 0100',
  '+44 7400 123456',
  '+49 1512 3456789',
];
const recipients = INPUTS.map((raw) => normalizer.normalize('sms', raw));

const paths = {
  'send: guard.check + guard.recordSend': async (i) => {
    const r = recipients[i % recipients.length];
    await guard.check(r, 'login', meta);
    await guard.recordSend(r);
  },
  'verify: guard.recordVerified': (i) => {
    guard.recordVerified(recipients[i % recipients.length]);
  },
  'send: normalize + check + recordSend': async (i) => {
    const r = normalizer.normalize('sms', INPUTS[i % INPUTS.length]);
    await guard.check(r, 'login', meta);
    await guard.recordSend(r);
  },
  'verify: normalize + recordVerified': (i) => {
    guard.recordVerified(normalizer.normalize('sms', INPUTS[i % INPUTS.length]));
  },
};

const N = 20_000;
const ROUNDS = 5;

// CPU time of this process (user + system), not wall time: the machine is shared, and another
// process's load stretches wall time but not the CPU this one spends. Median of ROUNDS.
async function measure(fn) {
  for (let i = 0; i < N; i++) await fn(i); // warm-up
  const perOp = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await fn(i);
    const { user, system } = process.cpuUsage(t0);
    perOp.push((user + system) / N);
  }
  return perOp.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

async function count(fn) {
  const before = { parses: globalThis.__parses.n, ...calls };
  const n = INPUTS.length;
  for (let i = 0; i < n; i++) await fn(i);
  const per = (k, v) => `${((v - before[k]) / n).toFixed(2)} ${k}`;
  return [
    per('parses', globalThis.__parses.n),
    per('getType', calls.getType),
    per('isValid', calls.isValid),
  ].join(', ');
}

console.log(`dist: ${dist.pathname}  node ${process.version}`);
for (const [name, fn] of Object.entries(paths)) {
  const counts = await count(fn);
  const us = await measure(fn);
  console.log(`${name.padEnd(40)} ${us.toFixed(2).padStart(7)} µs CPU/op   per op: ${counts}`);
}
