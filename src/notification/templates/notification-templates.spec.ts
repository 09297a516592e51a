import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Locale } from '#src/config/app-config.js';
import { NotificationTemplates } from './notification-templates.js';
import { smsSize } from './sms-encoding.js';
import { TemplateError } from './template-overrides.js';

const LOCALES: Locale[] = ['en', 'ru', 'uz'];
const PURPOSES = ['hr_registration', 'password_reset', 'login', 'some_other_purpose'];
const templates = (over: Partial<ConstructorParameters<typeof NotificationTemplates>[0]> = {}) =>
  new NotificationTemplates({ productName: 'Codeward', defaultLocale: 'en', ...over });
// The longest a code (OTP_LENGTH 10) and a lifetime (OTP_TTL_SECONDS 86400) can be.
const worst = { code: '9876543210', ttlSeconds: 86_400 };

describe(NotificationTemplates.name, () => {
  describe('otpSms', () => {
    it.each(PURPOSES.flatMap((p) => LOCALES.map((l) => [l, p] as const)))(
      'should fit one SMS segment in %s for %s, even with the longest code and lifetime',
      (locale, purpose) => {
        const text = templates().otpSms({ ...worst, purpose, locale });
        const size = smsSize(text);
        expect(text).toContain('9876543210');
        expect(text).toContain('1440');
        expect(text).toContain('Codeward');
        if (locale === 'ru') {
          expect(size.encoding).toBe('ucs2');
          expect(text.length).toBeLessThanOrEqual(70);
        } else {
          expect(size.encoding).toBe('gsm7');
          expect(size.units).toBeLessThanOrEqual(160);
        }
      },
    );

    it('should put the code before any other number, so a reader of the SMS sees it first', () => {
      for (const locale of LOCALES) {
        const text = templates().otpSms({
          code: '482913',
          ttlSeconds: 300,
          purpose: 'login',
          locale,
        });
        expect(text.match(/\d+/)?.[0]).toBe('482913');
        expect(text).toContain('5');
      }
    });

    it('should word each purpose differently', () => {
      const sut = templates();
      const texts = PURPOSES.map((purpose) =>
        sut.otpSms({ code: '111111', ttlSeconds: 600, purpose, locale: 'en' }),
      );
      expect(new Set(texts).size).toBe(PURPOSES.length);
      expect(texts[1]).toMatch(/password reset/);
    });

    it('should use the default locale for a missing or unknown locale', () => {
      const sut = templates({ defaultLocale: 'ru' });
      const expected = sut.otpSms({ code: '1234', ttlSeconds: 60, purpose: 'login', locale: 'ru' });
      expect(sut.otpSms({ code: '1234', ttlSeconds: 60, purpose: 'login' })).toBe(expected);
      expect(sut.otpSms({ code: '1234', ttlSeconds: 60, purpose: 'login', locale: 'de' })).toBe(
        expected,
      );
      expect(expected).toMatch(/код/);
    });
  });

  describe('otpEmail', () => {
    it.each(LOCALES)('should render subject, text and html with the code in %s', (locale) => {
      const mail = templates().otpEmail({
        code: '123456',
        ttlSeconds: 900,
        purpose: 'hr_registration',
        locale,
      });
      expect(mail.subject).toContain('Codeward');
      expect(mail.subject).not.toContain('123456');
      expect(mail.text).toContain('123456');
      expect(mail.text).toContain('15');
      expect(mail.html).toContain('123456');
      expect(mail.html).toMatch(/^<!doctype html>/);
    });

    it('should HTML-escape values in the html part only', () => {
      const mail = templates({ productName: 'A&B <Corp> "x"' }).otpEmail({
        code: '123456',
        ttlSeconds: 600,
        purpose: 'login',
        locale: 'en',
      });
      expect(mail.html).toContain('A&amp;B &lt;Corp&gt; &quot;x&quot;');
      expect(mail.html).not.toContain('<Corp>');
      expect(mail.text).toContain('A&B <Corp> "x"');
      expect(mail.subject).toContain('A&B <Corp> "x"');
    });
  });

  describe('passwordChangedEmail', () => {
    it.each(LOCALES)('should name the product and carry no code in %s', (locale) => {
      const mail = templates().passwordChangedEmail(locale);
      expect(mail.subject).toContain('Codeward');
      expect(mail.text).toContain('Codeward');
      expect(mail.html).toContain('Codeward');
      expect(mail.text).not.toMatch(/\d{4,}/);
    });
  });

  describe('overrides from TEMPLATES_DIR', () => {
    let dir: string;
    const write = (path: string, body: string) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), body);
    };

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'cw-templates-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('should use a purpose file, trimmed, and keep built-ins for the rest', () => {
      write('uz/login.sms.txt', 'Kod {{ code }} ({{minutes}} daqiqa) - {{product}}\n');
      const sut = templates({ templatesDir: dir });
      expect(sut.otpSms({ code: '4321', ttlSeconds: 120, purpose: 'login', locale: 'uz' })).toBe(
        'Kod 4321 (2 daqiqa) - Codeward',
      );
      expect(sut.otpSms({ code: '4321', ttlSeconds: 120, purpose: 'login', locale: 'en' })).toBe(
        templates().otpSms({ code: '4321', ttlSeconds: 120, purpose: 'login', locale: 'en' }),
      );
    });

    it('should apply default.* files to purposes without their own file', () => {
      write('en/default.email.subject.txt', 'Code for {{product}}');
      write('en/default.email.txt', 'Code: {{code}}');
      write('en/login.email.txt', 'Login code: {{code}}');
      const sut = templates({ templatesDir: dir });
      const reset = sut.otpEmail({
        code: '5555',
        ttlSeconds: 60,
        purpose: 'password_reset',
        locale: 'en',
      });
      const login = sut.otpEmail({ code: '5555', ttlSeconds: 60, purpose: 'login', locale: 'en' });
      expect(reset.subject).toBe('Code for Codeward');
      expect(reset.text).toBe('Code: 5555');
      expect(login.text).toBe('Login code: 5555');
      expect(login.html).toContain('Login code:');
    });

    it('should escape values, not the markup, of an HTML override', () => {
      write('ru/login.email.html', '<h1>{{product}}</h1><p>Код: <b>{{code}}</b></p>');
      const sut = templates({ templatesDir: dir, productName: '<script>x</script>' });
      const mail = sut.otpEmail({ code: '777777', ttlSeconds: 60, purpose: 'login', locale: 'ru' });
      expect(mail.html).toBe('<h1>&lt;script&gt;x&lt;/script&gt;</h1><p>Код: <b>777777</b></p>');
    });

    it('should override the password-changed notice', () => {
      write('en/password_changed.email.subject.txt', '{{product}}: password changed');
      const sut = templates({ templatesDir: dir });
      expect(sut.passwordChangedEmail('en').subject).toBe('Codeward: password changed');
    });

    it('should refuse at construction an OTP template without {{code}} or with a typo', () => {
      write('en/login.sms.txt', 'Your code is {{cod}}');
      write('ru/login.email.txt', 'Без кода');
      expect(() => templates({ templatesDir: dir })).toThrow(TemplateError);
      expect(() => templates({ templatesDir: dir })).toThrow(
        /en\/login\.sms\.txt[\s\S]*ru\/login\.email\.txt|ru\/login\.email\.txt[\s\S]*en\/login\.sms\.txt/,
      );
    });

    it('should refuse a password-changed template that would show a code', () => {
      write('en/password_changed.email.txt', 'Code {{code}}');
      expect(() => templates({ templatesDir: dir })).toThrow(/password_changed/);
    });

    it('should refuse a TEMPLATES_DIR that does not exist', () => {
      expect(() => templates({ templatesDir: join(dir, 'missing') })).toThrow(TemplateError);
    });
  });
});

describe('smsSize', () => {
  it('should count GSM-7 extension characters twice and switch to UCS-2 outside the alphabet', () => {
    expect(smsSize('abc')).toEqual({ encoding: 'gsm7', units: 3, singleSegment: true });
    expect(smsSize('[€]')).toEqual({ encoding: 'gsm7', units: 6, singleSegment: true });
    expect(smsSize('a'.repeat(161)).singleSegment).toBe(false);
    expect(smsSize('oʻ')).toEqual({ encoding: 'ucs2', units: 2, singleSegment: true });
    expect(smsSize('к'.repeat(71)).singleSegment).toBe(false);
  });
});
