import { describe, expect, it } from '@jest/globals';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { buildAppConfig } from '#src/config/app-config.js';
import { destinationOf } from './destination.js';
import { numberRefusal } from './number-type.policy.js';

const config = (env: Record<string, string> = {}) =>
  buildAppConfig({
    OTP_PEPPER: 'p'.repeat(32),
    TOKEN_SECRET: 't'.repeat(32),
    ADMIN_API_KEYS: 'k'.repeat(24),
    DATA_DIR: 'memory://',
    ...env,
  });
const rules = (env: Record<string, string> = {}) => config(env).smsGuard;

const normalizer = new RecipientNormalizer(config());
const destination = (e164: string, prefixDigits: number) =>
  destinationOf(normalizer.normalize('sms', e164), prefixDigits);

const refusal = (e164: string, env?: Record<string, string>) =>
  numberRefusal(destination(e164, 4), rules(env));

describe(numberRefusal.name, () => {
  it('should allow mobiles and refuse other types with the defaults', () => {
    expect(refusal('+998901234567')).toBeNull();
    expect(refusal('+12025550100')).toBeNull(); // FIXED_LINE_OR_MOBILE
    expect(refusal('+19005550199')).toBe('number_type'); // PREMIUM_RATE
    expect(refusal('+442079460000')).toBe('number_type'); // FIXED_LINE
    expect(refusal('+448001234567')).toBe('number_type'); // TOLL_FREE
  });

  it('should allow the types that are listed, and only those', () => {
    const env = { SMS_ALLOWED_NUMBER_TYPES: 'PREMIUM_RATE' };
    expect(refusal('+449012345678', env)).toBeNull();
    expect(refusal('+447400123456', env)).toBe('number_type');
  });

  it('should refuse numbers of no country unless NON_GEOGRAPHIC is listed, and then by type', () => {
    expect(refusal('+881612345678')).toBe('non_geographic');
    const env = { SMS_ALLOWED_NUMBER_TYPES: 'mobile, NON_GEOGRAPHIC' };
    expect(refusal('+881612345678', env)).toBeNull();
    expect(refusal('+80012345678', env)).toBe('number_type');
  });
});

describe(destinationOf.name, () => {
  it('should give the prefix as country code plus national digits', () => {
    expect(destination('+998901234567', 4)).toEqual({
      e164: '+998901234567',
      type: 'MOBILE',
      country: 'UZ',
      prefix: '+9989012',
    });
    expect(destination('+870773111632', 2)).toMatchObject({
      country: undefined,
      prefix: '+87077',
    });
  });

  it('should take a national number typed by a client as the same destination', () => {
    expect(destinationOf(normalizer.normalize('sms', '(90) 123-45-67'), 3)).toEqual({
      e164: '+998901234567',
      type: 'MOBILE',
      country: 'UZ',
      prefix: '+998901',
    });
  });
});

describe('SMS guard configuration', () => {
  it('should apply the contract defaults', () => {
    expect(rules()).toEqual({
      allowedNumberTypes: ['MOBILE', 'FIXED_LINE_OR_MOBILE'],
      breaker: true,
      prefixDigits: 4,
      windowSeconds: 3600,
      minSends: 50,
      minConversion: 0.2,
      openSeconds: 3600,
      probeSends: 3,
      allowPrefixes: [],
    });
  });

  it('should name bad values', () => {
    expect(() => rules({ SMS_ALLOWED_NUMBER_TYPES: 'MOBILE,SATELLITE' })).toThrow(
      /SMS_ALLOWED_NUMBER_TYPES/,
    );
    expect(() => rules({ SMS_BREAKER_MIN_CONVERSION: '1.5' })).toThrow(
      /SMS_BREAKER_MIN_CONVERSION/,
    );
    expect(() => rules({ SMS_BREAKER: 'maybe' })).toThrow(/SMS_BREAKER/);
    expect(() => rules({ SMS_BREAKER_ALLOW_PREFIXES: '+99890,abc' })).toThrow(
      /SMS_BREAKER_ALLOW_PREFIXES/,
    );
    expect(rules({ SMS_BREAKER_ALLOW_PREFIXES: '+998 90, 99891' }).allowPrefixes).toEqual([
      '+99890',
      '+99891',
    ]);
    expect(rules({ SMS_BREAKER_WINDOW_SECONDS: '1', SMS_BREAKER_OPEN_SECONDS: '1' })).toMatchObject(
      { windowSeconds: 1, openSeconds: 1 },
    );
  });
});
