import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import { AppError } from '#src/common/errors/app-error.js';

// OWASP Password Storage Cheat Sheet, argon2id minimum: 19 MiB, 2 iterations, 1 lane
// (about 25–40 ms per hash on one core here).
const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;
// argon2 runs on libuv's thread pool (4 threads); keep two free for pg, dns and fs work.
const MAX_CONCURRENT = 2;
const MAX_QUEUED = 128;

/**
 * argon2id password hashing on a bounded queue. `verifyAgainstDummy` does the work of a real
 * verification for callers that have no account to check, so timing does not reveal that.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private dummyHash!: string;

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(16).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return this.bounded(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  /** false for a wrong password or an unreadable hash; never throws for either. */
  verify(hash: string, password: string): Promise<boolean> {
    return this.bounded(() => argon2.verify(hash, password).catch(() => false));
  }

  async verifyAgainstDummy(password: string): Promise<false> {
    await this.verify(this.dummyHash, password);
    return false;
  }

  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= MAX_CONCURRENT) {
      if (this.waiting.length >= MAX_QUEUED) {
        throw new AppError('SERVICE_UNAVAILABLE', 'Too many password checks in progress', {
          retryAfter: 1,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
