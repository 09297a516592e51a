import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, type OtpHashAlgorithm } from '#src/config/app-config.js';
import { Pbkdf2Pool } from '#src/common/crypto/pbkdf2-pool.js';

/**
 * Hashes codes in a self-describing format, so a change of OTP_HASH or a rotated pepper never
 * breaks codes already sent:
 *   hmac-sha256$<keyId>$<digest>
 *   pbkdf2-sha256$<keyId>$<iterations>$<salt>$<digest>
 * `keyId` names the pepper (a short fingerprint), so OTP_PEPPER_PREVIOUS still verifies old codes.
 * The hashed value binds the code to its purpose and recipient.
 */
@Injectable()
export class OtpHasher implements OnApplicationShutdown {
  private readonly peppers = new Map<string, string>();
  private readonly currentKeyId: string;
  private readonly algorithm: OtpHashAlgorithm;
  private readonly iterations: number;
  private readonly pool: Pbkdf2Pool;

  constructor(config: AppConfig) {
    this.currentKeyId = keyIdOf(config.security.otpPepper);
    this.peppers.set(this.currentKeyId, config.security.otpPepper);
    const previous = config.security.otpPepperPrevious;
    if (previous) this.peppers.set(keyIdOf(previous), previous);
    this.algorithm = config.otp.hash;
    this.iterations = config.otp.pbkdf2Iterations;
    this.pool = new Pbkdf2Pool(config.otp.hashMaxConcurrency, config.otp.hashMaxQueue);
  }

  async hash(code: string, context: string): Promise<string> {
    const pepper = this.peppers.get(this.currentKeyId)!;
    if (this.algorithm === 'hmac-sha256') {
      return `hmac-sha256$${this.currentKeyId}$${hmac(pepper, context, code).toString('base64url')}`;
    }
    const salt = randomBytes(16);
    const digest = await this.pool.hash(`${pepper}:${context}:${code}`, salt, this.iterations);
    return `pbkdf2-sha256$${this.currentKeyId}$${this.iterations}$${salt.toString('base64url')}$${digest.toString('base64url')}`;
  }

  /**
   * The stored forms `code` would have under HMAC with each known pepper, for a comparison made
   * inside the database statement that also claims the attempt. Null when codes are hashed with
   * PBKDF2 (salted: no candidate can be computed ahead).
   */
  hmacCandidates(code: string, context: string): string[] | null {
    if (this.algorithm !== 'hmac-sha256') return null;
    return [...this.peppers].map(
      ([keyId, pepper]) =>
        `hmac-sha256$${keyId}$${hmac(pepper, context, code).toString('base64url')}`,
    );
  }

  /** Constant-time check of `code` against a stored hash of any supported format and known pepper. */
  async verify(code: string, context: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    const pepper = this.peppers.get(parts[1] ?? '');
    if (!pepper) return false;
    let expected: Buffer;
    let actual: Buffer;
    if (parts[0] === 'hmac-sha256' && parts.length === 3) {
      expected = Buffer.from(parts[2], 'base64url');
      actual = hmac(pepper, context, code);
    } else if (parts[0] === 'pbkdf2-sha256' && parts.length === 5) {
      const iterations = Number(parts[2]);
      if (!Number.isInteger(iterations) || iterations < 1) return false;
      expected = Buffer.from(parts[4], 'base64url');
      actual = await this.pool.hash(
        `${pepper}:${context}:${code}`,
        Buffer.from(parts[3], 'base64url'),
        iterations,
        expected.length || 32,
      );
    } else {
      return false;
    }
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}

function hmac(pepper: string, context: string, code: string): Buffer {
  return createHmac('sha256', pepper).update(`${context}:${code}`).digest();
}

function keyIdOf(pepper: string): string {
  return createHash('sha256').update(pepper).digest('hex').slice(0, 8);
}
