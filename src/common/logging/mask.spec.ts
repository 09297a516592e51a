import { describe, expect, it } from '@jest/globals';
import { maskEmail, maskPhone } from './mask.js';

describe('mask', () => {
  it('should keep the country prefix and last two digits of a phone', () => {
    expect(maskPhone('+998901234567')).toBe('+998*******67');
  });

  it('should keep the first letter and the domain of an email', () => {
    expect(maskEmail('john@example.com')).toBe('j***@example.com');
  });
});
