import { describe, expect, it } from '@jest/globals';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { buildAppConfig } from '#src/config/app-config.js';
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
      phone: { type: 'MOBILE', callingCode: '998', nationalNumber: '901234567' },
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

  describe('phone details', () => {
    // Example numbers of libphonenumber's metadata (PhoneNumberMetadata.xml, exampleNumber).
    it.each([
      ['mobile', '+44 7400 123456', 'MOBILE', 'GB', '44', '7400123456'],
      ['fixed-line', '+44 121 234 5678', 'FIXED_LINE', 'GB', '44', '1212345678'],
      ['premium-rate', '+44 901 234 5678', 'PREMIUM_RATE', 'GB', '44', '9012345678'],
      ['toll-free', '+44 800 123 4567', 'TOLL_FREE', 'GB', '44', '8001234567'],
      ['fixed-line or mobile', '+1 201 555 0123', 'FIXED_LINE_OR_MOBILE', 'US', '1', '2015550123'],
      [
        'non-geographic mobile (Iridium)',
        '+881 6 1234 5678',
        'MOBILE',
        undefined,
        '881',
        '612345678',
      ],
      ['non-geographic toll-free', '+800 1234 5678', 'TOLL_FREE', undefined, '800', '12345678'],
    ])(
      'should give the type of a %s number from its one parse',
      (_, raw, type, country, cc, nsn) => {
        const recipient = sut().normalize('sms', raw);
        expect(recipient.country).toBe(country);
        expect(recipient.phone).toEqual({ type, callingCode: cc, nationalNumber: nsn });
      },
    );

    it.each([
      ['UZ', '91 234 56 78', 'MOBILE'],
      ['GB', '0121 234 5678', 'FIXED_LINE'],
      ['GB', '09012 345678', 'PREMIUM_RATE'],
      ['RU', '8 (800) 555-35-35', 'TOLL_FREE'],
      ['US', '(201) 555-0123', 'FIXED_LINE_OR_MOBILE'],
    ])(
      'should read a national number of %s (%s) as parsing its E.164 again would',
      (region, raw, type) => {
        const recipient = sut({ DEFAULT_PHONE_REGION: region }).normalize('sms', raw);
        const again = parsePhoneNumberFromString(recipient.value)!;
        expect(recipient.phone.type).toBe(type);
        expect(recipient).toEqual({
          channel: 'sms',
          value: again.number,
          country: again.country,
          phone: {
            type: again.getType(),
            callingCode: again.countryCallingCode,
            nationalNumber: again.nationalNumber,
          },
        });
      },
    );

    it('should read international numbers for admins, valid ones only, with no allow-list', () => {
      const n = sut({ SMS_ALLOWED_COUNTRIES: 'UZ', DEFAULT_PHONE_REGION: 'GB' });
      expect(n.international('+442079460000')).toMatchObject({
        value: '+442079460000',
        country: 'GB',
        phone: { type: 'FIXED_LINE', callingCode: '44', nationalNumber: '2079460000' },
      });
      expect(n.international('+870773111632')?.phone.callingCode).toBe('870');
      expect(n.international('+99893')).toBeNull();
      expect(n.international('+4420794600001')).toBeNull();
    });
  });

  describe('remembered parses', () => {
    it('should answer a text seen before with the same frozen recipient', () => {
      const normalizer = sut();
      const first = normalizer.normalize('sms', '+998 90 123 45 67');
      const again = normalizer.normalize('sms', '+998 90 123 45 67');

      expect(again).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
      expect(Object.isFrozen(first.phone)).toBe(true);
    });

    it('should refuse a remembered invalid text every time, and apply the allow-list every time', () => {
      const normalizer = sut({ SMS_ALLOWED_COUNTRIES: 'UZ' });
      for (let i = 0; i < 3; i++) {
        expect(() => normalizer.normalize('sms', '+1 555')).toThrow(
          expect.objectContaining({ code: 'INVALID_RECIPIENT' }),
        );
        expect(() => normalizer.normalize('sms', '+7 912 345 67 89')).toThrow(
          expect.objectContaining({ code: 'COUNTRY_NOT_ALLOWED' }),
        );
      }
      expect(normalizer.canonical('sms', '+7 912 345 67 89')).toBe('+79123456789');
    });

    it('should keep at most 1 024 texts, forgetting the least recently used', () => {
      const normalizer = sut();
      const first = normalizer.normalize('sms', '+998901000000');
      for (let i = 1; i <= 1_024; i++) {
        normalizer.normalize('sms', `+99890${String(1_000_000 + i)}`);
      }

      expect((normalizer as unknown as { phones: Map<string, unknown> }).phones.size).toBe(1_024);
      expect(normalizer.normalize('sms', '+998901000000')).not.toBe(first);
      expect(normalizer.normalize('sms', '+998901000000')).toEqual(first);
    });
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
