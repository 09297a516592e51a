import { describe, expect, it } from '@jest/globals';
import { buildAppConfig } from '#src/config/app-config.js';
import { OtpHasher } from './otp-hasher.js';

const PEPPER_A = 'a'.repeat(32);
const PEPPER_B = 'b'.repeat(32);
const config = (env: Record<string, string>) =>
  buildAppConfig({
    TOKEN_SECRET: 't'.repeat(32),
    ADMIN_API_KEYS: 'k'.repeat(24),
    DATA_DIR: 'memory://',
    ...env,
  });

async function withHasher<T>(
  env: Record<string, string>,
  fn: (h: OtpHasher) => Promise<T>,
): Promise<T> {
  const hasher = new OtpHasher(config(env));
  try {
    return await fn(hasher);
  } finally {
    await hasher.onApplicationShutdown();
  }
}

describe(OtpHasher.name, () => {
  it('should store hmac-sha256 hashes in a self-describing format without the code', async () => {
    await withHasher({ OTP_PEPPER: PEPPER_A }, async (h) => {
      const stored = await h.hash('042917', 'login:+998901234567');
      expect(stored).toMatch(/^hmac-sha256\$[0-9a-f]{8}\$[A-Za-z0-9_-]{43}$/);
      expect(stored).not.toContain('042917');
      expect(await h.verify('042917', 'login:+998901234567', stored)).toBe(true);
      expect(await h.verify('042918', 'login:+998901234567', stored)).toBe(false);
    });
  });

  it('should bind the code to purpose and recipient', async () => {
    await withHasher({ OTP_PEPPER: PEPPER_A }, async (h) => {
      const stored = await h.hash('042917', 'login:+998901234567');
      expect(await h.verify('042917', 'password_reset:+998901234567', stored)).toBe(false);
      expect(await h.verify('042917', 'login:+998901234568', stored)).toBe(false);
    });
  });

  it('should hash with pbkdf2-sha256 and a per-code salt, and verify it', async () => {
    await withHasher(
      { OTP_PEPPER: PEPPER_A, OTP_HASH: 'pbkdf2-sha256', PBKDF2_ITERATIONS: '1000' },
      async (h) => {
        const one = await h.hash('123456', 'login:x@y.z');
        const two = await h.hash('123456', 'login:x@y.z');
        expect(one).toMatch(/^pbkdf2-sha256\$[0-9a-f]{8}\$1000\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
        expect(one).not.toBe(two);
        expect(await h.verify('123456', 'login:x@y.z', one)).toBe(true);
        expect(await h.verify('654321', 'login:x@y.z', one)).toBe(false);
      },
    );
  });

  it('should keep verifying codes hashed before a change of OTP_HASH', async () => {
    const old = await withHasher({ OTP_PEPPER: PEPPER_A }, (h) => h.hash('111222', 'login:a@b.co'));
    await withHasher(
      { OTP_PEPPER: PEPPER_A, OTP_HASH: 'pbkdf2-sha256', PBKDF2_ITERATIONS: '1000' },
      async (h) => {
        expect(await h.verify('111222', 'login:a@b.co', old)).toBe(true);
      },
    );
  });

  it('should verify codes hashed with the previous pepper after rotation, and refuse unknown peppers', async () => {
    const old = await withHasher({ OTP_PEPPER: PEPPER_A }, (h) => h.hash('111222', 'login:a@b.co'));
    await withHasher({ OTP_PEPPER: PEPPER_B, OTP_PEPPER_PREVIOUS: PEPPER_A }, async (h) => {
      expect(await h.verify('111222', 'login:a@b.co', old)).toBe(true);
    });
    await withHasher({ OTP_PEPPER: PEPPER_B }, async (h) => {
      expect(await h.verify('111222', 'login:a@b.co', old)).toBe(false);
    });
  });

  it('should offer HMAC candidates that match a stored hash under the current or previous pepper', async () => {
    const old = await withHasher({ OTP_PEPPER: PEPPER_A }, (h) => h.hash('111222', 'login:a@b.co'));
    await withHasher({ OTP_PEPPER: PEPPER_B, OTP_PEPPER_PREVIOUS: PEPPER_A }, async (h) => {
      const fresh = await h.hash('111222', 'login:a@b.co');
      expect(h.hmacCandidates('111222', 'login:a@b.co')).toEqual(
        expect.arrayContaining([old, fresh]),
      );
      expect(h.hmacCandidates('111223', 'login:a@b.co')).not.toContain(fresh);
    });
    await withHasher({ OTP_PEPPER: PEPPER_A, OTP_HASH: 'pbkdf2-sha256' }, async (h) => {
      expect(h.hmacCandidates('111222', 'login:a@b.co')).toBeNull();
    });
  });

  it('should refuse malformed stored values', async () => {
    await withHasher({ OTP_PEPPER: PEPPER_A }, async (h) => {
      for (const bad of [
        '',
        'plain',
        'md5$x$y',
        'hmac-sha256$zz$abc',
        'pbkdf2-sha256$x$notanumber$s$d',
      ]) {
        expect(await h.verify('123456', 'login:a@b.co', bad)).toBe(false);
      }
    });
  });

  it('should answer 503 when the pbkdf2 queue is full instead of queueing without bound', async () => {
    await withHasher(
      {
        OTP_PEPPER: PEPPER_A,
        OTP_HASH: 'pbkdf2-sha256',
        PBKDF2_ITERATIONS: '200000',
        HASH_MAX_CONCURRENCY: '1',
        HASH_MAX_QUEUE: '1',
      },
      async (h) => {
        const results = await Promise.allSettled([1, 2, 3, 4].map((i) => h.hash(String(i), 'ctx')));
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
        expect(rejected).toHaveLength(2);
        expect(rejected[0].reason).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          meta: { retryAfter: 1 },
        });
      },
    );
  });
});
