import { describe, expect, it } from '@jest/globals';
import { redactLogValue, redactText, safeError } from './log-redaction.js';

describe('log redaction', () => {
  describe('redactText', () => {
    it('should remove recipients, codes, hashes and tokens from free text', () => {
      const text =
        'Key (email)=(john@example.com) exists; to +998 90 123 45 67 / 998901234567; ' +
        'code 042917; $argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA; ' +
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZw';
      const out = redactText(text);
      for (const secret of [
        'john@example.com',
        '+998 90 123 45 67',
        '998901234567',
        '042917',
        'argon2id',
        'eyJhbGciOiJIUzI1NiJ9',
      ]) {
        expect(out).not.toContain(secret);
      }
      expect(out).toContain('Key (email)=([redacted])');
    });

    it('should redact values PostgreSQL quotes in its messages', () => {
      expect(redactText('invalid input syntax for type uuid: "a@b.c"')).toBe(
        'invalid input syntax for type uuid: "[redacted]"',
      );
    });

    it('should keep what operators need: masked recipients, ports, request ids', () => {
      const text =
        'connect ECONNREFUSED 127.0.0.1:5432 for j***@example.com +998*******67 ' +
        'request 108cc40e-e69c-4622-971d-5fbe42482442 after 150 ms';
      expect(redactText(text)).toBe(text);
    });
  });

  describe('safeError', () => {
    it('should keep the class, a redacted message, the code and frames, never other properties', () => {
      const err = Object.assign(new Error('duplicate key: Key (email)=(a@b.co) already exists'), {
        code: '23505',
        query: 'INSERT INTO hr_accounts ...',
        parameters: ['a@b.co', '$argon2id$v=19$...'],
        detail: 'Key (email)=(a@b.co) already exists.',
      });
      const out = safeError(err);
      expect(out).toMatchObject({ class: 'Error', code: '23505' });
      expect(JSON.stringify(out)).not.toMatch(/a@b\.co|argon2|INSERT/);
      expect(out.stack).toMatch(/^\s+at /);
    });
  });

  describe('redactLogValue', () => {
    it('should redact secret-named keys and errors anywhere in a logged object', () => {
      const out = redactLogValue({
        requestId: 'r-1',
        code: 'VALIDATION_FAILED',
        nested: { password: 'hunter22', to: '+998901234567', otp: '123456', code: '123456' },
        err: new Error('for "x@y.z"'),
      });
      expect(JSON.stringify(out)).not.toMatch(/hunter22|998901234567|123456|x@y\.z/);
      expect(out).toMatchObject({ requestId: 'r-1', code: 'VALIDATION_FAILED' });
    });
  });
});
