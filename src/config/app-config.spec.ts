import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { buildAppConfig } from './app-config.js';
import { ENV_SCHEMA } from './env.schema.js';

const secrets = {
  OTP_PEPPER: 'p'.repeat(32),
  TOKEN_SECRET: 't'.repeat(32),
  ADMIN_API_KEYS: 'k'.repeat(24),
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
});
