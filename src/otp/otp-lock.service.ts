import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import { RecipientNormalizer, type Channel } from '#src/common/recipient/recipient-normalizer.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpAdminRepository } from './otp-admin.repository.js';

/** Recipient lockouts for the admin side: list them, lift one. */
@Injectable()
export class OtpLockService {
  constructor(
    private readonly clock: Clock,
    private readonly repo: OtpAdminRepository,
    private readonly normalizer: RecipientNormalizer,
    private readonly fastPath: OtpFastPath,
  ) {}

  listLocks(): Promise<{ channel: Channel; recipient: string; lockedUntil: Date }[]> {
    return this.repo.listLocks(this.clock.now());
  }

  /** Lifts the lock (and forgets failures) at once; `to` is raw, normalised here. */
  async unlock(channel: Channel, to: string): Promise<boolean> {
    const recipient = this.normalizer.canonical(channel, to);
    const unlocked = await this.repo.unlock(channel, recipient, this.clock.now());
    await this.fastPath.forget(channel, recipient);
    return unlocked;
  }
}
