import { describe, expect, it } from '@jest/globals';
import { buildAppConfig } from '../../config/app-config.js';
import { RecipientNormalizer } from './recipient-normalizer.js';

const sut = (env: Record<string, string> = {}) =>
  new RecipientNormalizer(
    buildAppConfig({
      OTP_PEPPER: 'p'.repeat(32),
      TOKEN_SECRET: 't'.repeat(32),
      ADMIN_API_KEYS: 'k'.repeat(24),
      DATA_DIR: 'memory://',
      ...env,
    }),
  );

describe(RecipientNormalizer.name, () => {
  it.each([
    '+998 90 123 45 67',
    '+998-90-123-45-67',
    '998901234567',
    '90 123 45 67',
    '(90) 123-45-67',
  ])('should normalise %s to +998901234567', (raw) => {
    expect(sut().normalize('sms', raw)).toEqual({
      channel: 'sms',
      value: '+998901234567',
      country: 'UZ',
    });
  });

  it('should use DEFAULT_PHONE_REGION for national numbers', () => {
    expect(sut({ DEFAULT_PHONE_REGION: 'RU' }).normalize('sms', '8 (912) 345-67-89').value).toBe(
      '+79123456789',
    );
  });

  it.each(['', '123', '+998 90', 'abc', '+1 555 000 0000 0000 00', '++998901234567'])(
    'should reject %p',
    (raw) => {
      expect(() => sut().normalize('sms', raw)).toThrow(
        expect.objectContaining({ code: 'INVALID_RECIPIENT' }),
      );
    },
  );

  it('should enforce SMS_ALLOWED_COUNTRIES', () => {
    const n = sut({ SMS_ALLOWED_COUNTRIES: 'UZ,KZ' });
    expect(n.normalize('sms', '+998901234567').value).toBe('+998901234567');
    expect(() => n.normalize('sms', '+79123456789')).toThrow(
      expect.objectContaining({ code: 'COUNTRY_NOT_ALLOWED' }),
    );
    // Admin look-ups are not bound by the allow-list.
    expect(n.canonical('sms', '+7 912 345 67 89')).toBe('+79123456789');
  });

  it('should trim and lower-case email addresses', () => {
    expect(sut().normalize('email', ' John@Example.COM ').value).toBe('john@example.com');
  });

  it.each([
    'john',
    'john@',
    '@example.com',
    'john@example',
    'a b@example.com',
    `${'x'.repeat(250)}@example.com`,
  ])('should reject email %p', (raw) => {
    expect(() => sut().normalize('email', raw)).toThrow(
      expect.objectContaining({ code: 'INVALID_RECIPIENT' }),
    );
  });
});
