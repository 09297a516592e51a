// Over 200 lines on purpose: one case per way a token must be refused (algorithm, encoding, length,
// signature, claims, clock), plus the literal tokens the previous signer issued.
import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { buildAppConfig } from '#src/config/app-config.js';
import { RandomSource } from './random-source.js';
import { MAX_TOKEN_LENGTH, TokenSigner, type JwtPayload } from './token-signer.js';

// Signed by the jose-based TokenSigner (jose 6.2.17) before it was replaced, with SECRET at NOW and
// the ids below: tokens already in users' hands must keep verifying, byte for byte the same.
const SECRET = 'codeward-fixture-token-secret-0123456789';
const NOW = '2026-03-01T12:00:00.000Z';
const IDS = [
  '0b7f6c1e-3f4a-4d2b-9c8e-5a6b7c8d9e0f',
  '5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
];
const JOSE_VERIFICATION =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjaCI6ImVtYWlsIiwicHVyIjoiaHJfcmVnaXN0cmF0aW9uIiwiaXNzIjoiY29kZXdhcmQiLCJhdWQiOiJjb2Rld2FyZDp2ZXJpZmljYXRpb24iLCJzdWIiOiJ1c2VyQGV4YW1wbGUuY29tIiwianRpIjoiMGI3ZjZjMWUtM2Y0YS00ZDJiLTljOGUtNWE2YjdjOGQ5ZTBmIiwiaWF0IjoxNzcyMzY2NDAwLCJleHAiOjE3NzIzNjcwMDB9.JTPx0U3ymSPCnMKTh4eWIT_rTms9yY-RCBgJ4mUvqCY';
const JOSE_HR_ACCESS =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJwd2QiOjE3NjcyMjU2MDAwMDAsImlzcyI6ImNvZGV3YXJkIiwiYXVkIjoiY29kZXdhcmQ6aHItYWNjZXNzIiwic3ViIjoiM2YyNTA0ZTAtNGY4OS00MWQzLTlhMGMtMDMwNWU4MmMzMzAxIiwianRpIjoiNWQxYzJiM2EtNGU1Zi00YTZiLThjN2QtOWUwZjFhMmIzYzRkIiwiaWF0IjoxNzcyMzY2NDAwLCJleHAiOjE3NzIzNzAwMDB9.VVWXMZQ8XtQmq98VLuT7khUx6J7HzL_0PjKYLE49BWQ';
const JOSE_RESET =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJjb2Rld2FyZCIsImF1ZCI6ImNvZGV3YXJkOnBhc3N3b3JkLXJlc2V0Iiwic3ViIjoidXNlckBleGFtcGxlLmNvbSIsImp0aSI6IjlhOGI3YzZkLTVlNGYtNGEzYi04YzJkLTFlMGY5YThiN2M2ZCIsImlhdCI6MTc3MjM2NjQwMCwiZXhwIjoxNzcyMzY3MDAwfQ.gzfZQpvhZV-OpWkno2YKzNENv1fQTHHRa8SAlRyCNmc';

const VERIFICATION = 'codeward:verification';
const HR_ACCESS = 'codeward:hr-access';
const REQUIRED = ['jti', 'sub', 'exp', 'iat'];
const IAT = Date.parse(NOW) / 1000;
const HS256_HEADER = { alg: 'HS256', typ: 'JWT' };

class FixedIds extends RandomSource {
  private next = 0;
  digits(length: number): string {
    return '0'.repeat(length);
  }
  uuid(): string {
    return IDS[this.next++ % IDS.length];
  }
  token(): string {
    return 'x';
  }
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const hmac = (algorithm: string, input: string, key = SECRET) =>
  createHmac(algorithm, key).update(input).digest('base64url');

/** A token built by hand and signed with the real key, so only the check under test can fail. */
function forge(
  payload: object | string,
  options: { header?: object | string; key?: string; algorithm?: string } = {},
): string {
  const header = options.header ?? HS256_HEADER;
  const h = typeof header === 'string' ? header : b64(JSON.stringify(header));
  const p = typeof payload === 'string' ? payload : b64(JSON.stringify(payload));
  return `${h}.${p}.${hmac(options.algorithm ?? 'sha256', `${h}.${p}`, options.key)}`;
}

const validClaims = (overrides: Record<string, unknown> = {}): JwtPayload => ({
  iss: 'codeward',
  aud: VERIFICATION,
  sub: 'user@example.com',
  jti: IDS[0],
  iat: IAT,
  exp: IAT + 600,
  ...overrides,
});

describe(TokenSigner.name, () => {
  let clock: FakeClock;
  let sut: TokenSigner;

  beforeEach(() => {
    clock = new FakeClock(NOW);
    const config = buildAppConfig({
      OTP_PEPPER: 'p'.repeat(32),
      TOKEN_SECRET: SECRET,
      ADMIN_API_KEYS: 'k'.repeat(24),
      DATA_DIR: 'memory://',
    });
    sut = new TokenSigner(config, clock, new FixedIds());
  });

  const verify = (token: string, audience = VERIFICATION) => sut.verify(token, audience, REQUIRED);

  describe('tokens signed by jose before the change', () => {
    it('should verify a verification token and return its claims', async () => {
      await expect(verify(JOSE_VERIFICATION)).resolves.toEqual({
        ch: 'email',
        pur: 'hr_registration',
        ...validClaims(),
      });
    });

    it('should verify an HR access token and a reset token', async () => {
      await expect(verify(JOSE_HR_ACCESS, HR_ACCESS)).resolves.toMatchObject({
        pwd: 1767225600000,
        sub: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        exp: IAT + 3600,
      });
      await expect(verify(JOSE_RESET, 'codeward:password-reset')).resolves.toMatchObject({
        sub: 'user@example.com',
        jti: IDS[2],
      });
    });

    it('should issue byte-identical tokens for the same inputs', async () => {
      const claims = { ch: 'email', pur: 'hr_registration' };
      const v = await sut.sign(VERIFICATION, 'user@example.com', claims, 600);
      const a = await sut.sign(
        HR_ACCESS,
        '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        { pwd: 1767225600000 },
        3600,
      );
      const r = await sut.sign('codeward:password-reset', 'user@example.com', {}, 600);
      expect([v.token, a.token, r.token]).toEqual([JOSE_VERIFICATION, JOSE_HR_ACCESS, JOSE_RESET]);
      expect(v.expiresAt).toEqual(new Date('2026-03-01T12:10:00.000Z'));
    });
  });

  describe('sign', () => {
    it('should round-trip and keep kinds apart by audience', async () => {
      const { token } = await sut.sign(HR_ACCESS, 'account-id', { pwd: 1 }, 60);
      await expect(verify(token, HR_ACCESS)).resolves.toMatchObject({ sub: 'account-id', pwd: 1 });
      await expect(verify(token, VERIFICATION)).resolves.toBeNull();
    });

    it('should reject (not throw) a lifetime that is not a finite number', async () => {
      await expect(sut.sign(VERIFICATION, 's', {}, Number.NaN)).rejects.toThrow(TypeError);
    });
  });

  describe('verify', () => {
    it('should accept a hand-built token, proving the forged cases below fail on one check', async () => {
      await expect(verify(forge(validClaims()))).resolves.toEqual(validClaims());
    });

    it.each([
      ['none', { alg: 'none', typ: 'JWT' }],
      ['HS512', { alg: 'HS512', typ: 'JWT' }],
      ['RS256', { alg: 'RS256', typ: 'JWT' }],
      ['hs256 (case)', { alg: 'hs256', typ: 'JWT' }],
      ['HS256 with crit', { alg: 'HS256', typ: 'JWT', crit: ['exp'] }],
      ['HS256 reordered', { typ: 'JWT', alg: 'HS256' }],
    ])('should reject a header with alg %s even when HMAC-SHA256 signed', async (_, header) => {
      await expect(verify(forge(validClaims(), { header }))).resolves.toBeNull();
    });

    it('should reject alg none with an empty signature and HS512 signed with SHA-512', async () => {
      const none = forge(validClaims(), { header: { alg: 'none' } }).replace(/[^.]*$/, '');
      const hs512 = forge(validClaims(), { header: { alg: 'HS512' }, algorithm: 'sha512' });
      await expect(verify(none)).resolves.toBeNull();
      await expect(verify(hs512)).resolves.toBeNull();
    });

    it.each([
      ['empty', ''],
      ['one segment', 'abc'],
      ['two segments', JOSE_VERIFICATION.split('.').slice(0, 2).join('.')],
      ['four segments', `${JOSE_VERIFICATION}.e30`],
      ['empty segments', '..'],
      ['empty payload', forge('')],
    ])('should reject malformed segments (%s)', async (_, token) => {
      await expect(verify(token)).resolves.toBeNull();
    });

    it.each([
      ['header not JSON', forge(validClaims(), { header: b64('not json') })],
      ['payload not JSON', forge(b64('{"iss":"codeward"'))],
      ['payload an array', forge(b64('[1,2]'))],
      ['payload null', forge(b64('null'))],
      ['payload invalid UTF-8', forge(b64(invalidUtf8Claims()))],
    ])('should reject a correctly signed token whose %s', async (_, token) => {
      await expect(verify(token)).resolves.toBeNull();
    });

    it('should reject a wrong signature of the right length, and one made with another key', async () => {
      const [h, p, s] = JOSE_VERIFICATION.split('.');
      const flipped = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
      await expect(verify(flipped)).resolves.toBeNull();
      await expect(verify(forge(validClaims(), { key: 'another-secret' }))).resolves.toBeNull();
    });

    it('should reject signatures of the wrong length without throwing', async () => {
      const [h, p, s] = JOSE_VERIFICATION.split('.');
      const bytes = Buffer.from(s, 'base64url');
      await expect(verify(`${h}.${p}.${b64(bytes.subarray(0, 16))}`)).resolves.toBeNull();
      await expect(verify(`${h}.${p}.${b64(Buffer.concat([bytes, bytes]))}`)).resolves.toBeNull();
      await expect(verify(`${h}.${p}.`)).resolves.toBeNull();
    });

    it('should honour exp against the Clock: valid until the second it expires', async () => {
      clock.advanceSeconds(599);
      await expect(verify(JOSE_VERIFICATION)).resolves.not.toBeNull();
      clock.advanceSeconds(1);
      await expect(verify(JOSE_VERIFICATION)).resolves.toBeNull();
    });

    it('should refuse a token before its nbf and accept it from then on', async () => {
      const token = forge(validClaims({ nbf: IAT + 60 }));
      await expect(verify(token)).resolves.toBeNull();
      clock.advanceSeconds(60);
      await expect(verify(token)).resolves.toMatchObject({ nbf: IAT + 60 });
    });

    it.each([
      ['another issuer', { iss: 'someone-else' }],
      ['no issuer', { iss: undefined }],
      ['another audience', { aud: HR_ACCESS }],
      ['an audience array', { aud: [VERIFICATION] }],
      ['a missing required claim', { jti: undefined }],
      ['exp as a string', { exp: String(IAT + 600) }],
      ['iat as a string', { iat: String(IAT) }],
      ['sub as a number', { sub: 42 }],
    ])('should reject %s', async (_, overrides) => {
      await expect(verify(forge(validClaims(overrides)))).resolves.toBeNull();
    });

    it('should reject an exp that JSON turns into Infinity', async () => {
      const payload = JSON.stringify(validClaims()).replace(/"exp":\d+/, '"exp":1e400');
      await expect(verify(forge(b64(payload)))).resolves.toBeNull();
    });

    it(`should accept ${MAX_TOKEN_LENGTH} characters and refuse one more`, async () => {
      const ofLength = (n: number) => {
        for (let fill = 0; fill < 4000; fill++) {
          const token = forge(validClaims({ fill: 'x'.repeat(fill) }));
          if (token.length === n) return token;
        }
        throw new Error(`no token of length ${n}`);
      };
      await expect(verify(ofLength(MAX_TOKEN_LENGTH))).resolves.not.toBeNull();
      await expect(verify(ofLength(MAX_TOKEN_LENGTH + 1))).resolves.toBeNull();
    });

    it.each([
      ['a padded signature', (h: string, p: string, s: string) => `${h}.${p}.${s}=`],
      ['+ and / in the signature', (h: string, p: string, s: string) => `${h}.${p}.${toStd(s)}`],
      [
        'stray low bits in the signature',
        (h: string, p: string, s: string) => `${h}.${p}.${bump(s)}`,
      ],
      ['whitespace in the signature', (h: string, p: string, s: string) => `${h}.${p}.${s} `],
    ])('should reject non-canonical base64url: %s', async (_, mangle) => {
      const [h, p, s] = JOSE_VERIFICATION.split('.');
      expect(s).toMatch(/[-_]/); // else the +/ case would test nothing
      expect(mangle(h, p, s)).not.toBe(JOSE_VERIFICATION);
      await expect(verify(mangle(h, p, s))).resolves.toBeNull();
    });

    it('should reject a padded payload even when the signature covers it', async () => {
      const p = b64(JSON.stringify(validClaims()));
      expect(p.length % 4).not.toBe(0); // else there would be no padding to add
      await expect(verify(forge(`${p}${'='.repeat(4 - (p.length % 4))}`))).resolves.toBeNull();
    });

    it('should return null for a value that is not a string', async () => {
      await expect(verify(42 as unknown as string)).resolves.toBeNull();
    });
  });
});

// Standard base64 alphabet; decodes to the same bytes under a lenient decoder.
function toStd(s: string): string {
  return s.replace(/-/g, '+').replace(/_/g, '/');
}

// The last character of a 32-byte signature carries 2 unused bits; setting one keeps the bytes.
function bump(s: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(s[s.length - 1]);
  return s.slice(0, -1) + alphabet[last | 1];
}

// Valid claims except that `sub` holds a lone 0xff byte (a lenient decoder would read U+FFFD).
function invalidUtf8Claims(): Buffer {
  const [before, after] = JSON.stringify(validClaims({ sub: '@' })).split('@');
  return Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
}
