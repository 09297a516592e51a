import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** Randomness behind a port so tests can pin codes and ids. */
export abstract class RandomSource {
  /** A string of `length` decimal digits, uniformly random, leading zeros allowed. */
  abstract digits(length: number): string;
  abstract uuid(): string;
  abstract token(bytes: number): string;
}

@Injectable()
export class CryptoRandomSource extends RandomSource {
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(randomInt(0, 10));
    return out;
  }

  uuid(): string {
    return randomUUID();
  }

  token(bytes: number): string {
    return randomBytes(bytes).toString('base64url');
  }
}
