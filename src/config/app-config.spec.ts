import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildAppConfig } from './app-config.js';
import { ENV_SCHEMA, type EnvVarSpec } from './env.schema.js';

const secrets = {
  OTP_PEPPER: 'p'.repeat(32),
  TOKEN_SECRET: 't'.repeat(32),
  ADMIN_API_KEYS: 'k'.repeat(32),
  DATA_DIR: 'memory://',
};

describe('buildAppConfig', () => {
  it('should apply the contract defaults', () => {
    const c = buildAppConfig(secrets);
    expect(c.http.port).toBe(3000);
    expect(c.otp).toMatchObject({
      length: 6,
      ttlSeconds: 600,
      maxFailedAttempts: 5,
      lockoutSeconds: 1800,
    });
    expect(c.rateLimit).toMatchObject({ verifyPerMinute: 3, sendPerMinute: 10, blockSeconds: 900 });
    expect(c.http.trustProxy).toBe(false);
    expect(Object.isFrozen(c.otp)).toBe(true);
  });

  it('should generate a development admin key when ADMIN_API_KEYS lists none', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'codeward-config-'));
    try {
      const c = buildAppConfig({ ...secrets, ADMIN_API_KEYS: ',', DATA_DIR: dataDir });
      expect(c.security.adminApiKeys).toHaveLength(1);
      expect(c.security.adminApiKeys[0].length).toBeGreaterThanOrEqual(32);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('should name every bad variable in one error', () => {
    expect(() => buildAppConfig({ ...secrets, OTP_LENGTH: '3', PORT: 'x' })).toThrow(
      /OTP_LENGTH[\s\S]*PORT|PORT[\s\S]*OTP_LENGTH/,
    );
  });

  it('should refuse to boot in production without secrets or with console providers', () => {
    expect(() => buildAppConfig({ NODE_ENV: 'production', DATA_DIR: 'memory://' })).toThrow(
      /OTP_PEPPER[\s\S]*TOKEN_SECRET[\s\S]*ADMIN_API_KEYS/,
    );
    expect(() => buildAppConfig({ ...secrets, NODE_ENV: 'production' })).toThrow(/console/);
  });

  it('should require admin keys of at least 32 characters in production only', () => {
    const prod = {
      ...secrets,
      NODE_ENV: 'production',
      SMS_PROVIDERS: 'eskiz',
      ESKIZ_EMAIL: 'e@example.com',
      ESKIZ_PASSWORD: 'x',
      EMAIL_PROVIDERS: 'smtp',
      SMTP_URL: 'smtp://u:p@localhost:25',
      EMAIL_FROM: 'codes@example.com',
    };
    expect(() =>
      buildAppConfig({ ...prod, ADMIN_API_KEYS: `${'k'.repeat(32)},${'j'.repeat(31)}` }),
    ).toThrow(/ADMIN_API_KEYS: each key must be at least 32 characters in production/);
    expect(() => buildAppConfig({ ...prod, ADMIN_API_KEYS: 'k'.repeat(32) })).not.toThrow();
    expect(() => buildAppConfig({ ...secrets, ADMIN_API_KEYS: 'k'.repeat(24) })).not.toThrow();
  });

  it('should count IPv6 clients per /64 unless IP_V6_PREFIX says otherwise', () => {
    expect(buildAppConfig(secrets).rateLimit.ipV6Prefix).toBe(64);
    expect(buildAppConfig({ ...secrets, IP_V6_PREFIX: '56' }).rateLimit.ipV6Prefix).toBe(56);
    expect(() => buildAppConfig({ ...secrets, IP_V6_PREFIX: '129' })).toThrow(/IP_V6_PREFIX/);
  });

  it('should require vendor credentials only for the providers named', () => {
    expect(() => buildAppConfig({ ...secrets, SMS_PROVIDERS: 'twilio' })).toThrow(
      /TWILIO_ACCOUNT_SID/,
    );
    expect(() => buildAppConfig({ ...secrets, SMS_PROVIDERS: 'console' })).not.toThrow();
  });

  it('should parse TRUST_PROXY like Express', () => {
    expect(buildAppConfig({ ...secrets, TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(buildAppConfig({ ...secrets, TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(
      buildAppConfig({ ...secrets, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => buildAppConfig({ ...secrets, TRUST_PROXY: 'not-an-ip' })).toThrow(/TRUST_PROXY/);
  });

  it('should never print a secret value in an error', () => {
    try {
      buildAppConfig({ ...secrets, OTP_PEPPER: 'short-secret-value' });
      throw new Error('expected a throw');
    } catch (err) {
      expect((err as Error).message).toMatch(/OTP_PEPPER/);
      expect((err as Error).message).not.toContain('short-secret-value');
    }
  });

  it('should list every variable in .env.example', () => {
    const example = readFileSync('.env.example', 'utf8');
    const listed = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(Object.keys(ENV_SCHEMA).filter((k) => !listed.has(k))).toEqual([]);
  });

  describe('durations and warnings', () => {
    const DURATIONS = Object.keys(ENV_SCHEMA).filter((k) => k.endsWith('_SECONDS'));
    const production = {
      ...secrets,
      NODE_ENV: 'production',
      SMS_PROVIDERS: 'twilio',
      EMAIL_PROVIDERS: 'smtp',
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'x',
      TWILIO_FROM: '+1',
      SMTP_URL: 'smtp://h',
      EMAIL_FROM: 'a@b.c',
    };

    it('should accept every duration setting from 1 second up', () => {
      expect(DURATIONS.length).toBeGreaterThanOrEqual(7);
      for (const name of DURATIONS) {
        expect(() => buildAppConfig({ ...production, [name]: '1' })).not.toThrow();
      }
      const c = buildAppConfig({
        ...production,
        OTP_TTL_SECONDS: '3',
        VERIFICATION_TOKEN_TTL_SECONDS: '2',
      });
      expect(c.otp.ttlSeconds).toBe(3);
      expect(c.security.verificationTokenTtlSeconds).toBe(2);
    });

    it('should still refuse zero, negative and fractional durations (a cooldown may be 0)', () => {
      for (const bad of ['0', '-5', '1.5', 'ten']) {
        expect(() => buildAppConfig({ ...production, OTP_TTL_SECONDS: bad })).toThrow(
          /OTP_TTL_SECONDS/,
        );
      }
      expect(
        buildAppConfig({ ...production, OTP_SEND_COOLDOWN_SECONDS: '0' }).otp.sendCooldownSeconds,
      ).toBe(0);
    });

    it('should start without a warning on the defaults in production', () => {
      expect(buildAppConfig(production).warnings).toEqual([]);
    });

    it('should warn once, naming the variable, for a value outside the usual range', () => {
      const short = buildAppConfig({ ...production, OTP_TTL_SECONDS: '3' }).warnings;
      expect(short).toHaveLength(1);
      expect(short[0]).toMatch(/^OTP_TTL_SECONDS=3 /);
      const long = buildAppConfig({ ...production, OTP_TTL_SECONDS: '900' }).warnings;
      expect(long).toHaveLength(1);
      expect(long[0]).toMatch(/^OTP_TTL_SECONDS=900 .*OWASP ASVS/);
      expect(buildAppConfig({ ...production, OTP_TTL_SECONDS: '600' }).warnings).toEqual([]);
    });

    it('should give every duration setting a guidance range its default lies in', () => {
      const guided = [
        'OTP_TTL_SECONDS',
        'OTP_LOCKOUT_SECONDS',
        'OTP_SEND_COOLDOWN_SECONDS',
        'VERIFICATION_TOKEN_TTL_SECONDS',
        'ACCESS_TOKEN_TTL_SECONDS',
        'IP_BLOCK_SECONDS',
        'ALERT_WINDOW_SECONDS',
      ];
      for (const name of guided) {
        const spec = (ENV_SCHEMA as Record<string, EnvVarSpec<unknown>>)[name];
        expect([name, spec.guidance?.why]).toEqual([name, expect.any(String)]);
        const warnings = buildAppConfig({ ...production, [name]: '1' }).warnings;
        expect(warnings.filter((w) => w.startsWith(`${name}=1 `))).toHaveLength(1);
      }
    });

    it('should warn once that NODE_ENV is unset and it runs in development mode', () => {
      const warnings = buildAppConfig(secrets).warnings;
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/NODE_ENV is not set.*development mode/);
      expect(buildAppConfig({ ...secrets, NODE_ENV: 'development' }).warnings).toEqual([]);
      expect(buildAppConfig({ ...secrets, NODE_ENV: 'test' }).warnings).toEqual([]);
    });
  });
});
