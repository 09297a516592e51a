import { describe, expect, it } from '@jest/globals';
import { CryptoRandomSource } from './random-source.js';

describe(CryptoRandomSource.name, () => {
  it('should produce codes of exactly the requested length, leading zeros included', () => {
    const sut = new CryptoRandomSource();
    for (const length of [4, 6, 10]) {
      for (let i = 0; i < 200; i++) {
        expect(sut.digits(length)).toMatch(new RegExp(`^\\d{${length}}$`));
      }
    }
  });

  it('should use every digit in every position (no bias towards non-zero leading digits)', () => {
    const sut = new CryptoRandomSource();
    const seen = Array.from({ length: 6 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) [...sut.digits(6)].forEach((d, pos) => seen[pos].add(d));
    for (const s of seen) expect(s.size).toBe(10);
  });
});
