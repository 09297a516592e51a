import type { Channel } from '#src/common/recipient/recipient-normalizer.js';

export interface VerifyInput {
  channel: Channel;
  to: string;
  purpose: string;
  code: string;
}

export interface VerifyResult {
  verified: true;
  verificationToken: string;
  expiresAt: Date;
  recipient: string;
  /** The send the matched code belonged to. */
  verificationId: string;
}
