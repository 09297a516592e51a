import type { Channel, Recipient } from '#src/common/recipient/recipient-normalizer.js';
import type { Locale } from '#src/config/app-config.js';

export interface SendInput {
  channel: Channel;
  to: string;
  purpose: string;
  locale?: Locale;
}

export interface SendResult {
  verificationId: string;
  channel: Channel;
  to: string;
  /** Normalised recipient, for callers inside the service (never returned over HTTP). */
  recipient: string;
  purpose: string;
  expiresAt: Date;
  resendAfter: Date;
}

export interface SendOptions {
  /**
   * false: a decoy. The same code row, cooldown and quota as a real send (a random code), but
   * nothing is delivered; audited as `otp.decoy_sent`. For flows where delivering would reveal
   * whether an account exists. Default true.
   */
  deliver?: boolean;
}

/** A send the policy admitted: the allowed purpose, the normalised recipient, the request's now. */
export interface AdmittedSend {
  recipient: Recipient;
  purpose: string;
  now: Date;
}

/** A send whose code row was stored (OtpSendStore.claimSend). `code` exists only for delivery. */
export interface ClaimedSend extends AdmittedSend {
  code: string;
  verificationId: string;
  expiresAt: Date;
  cooldownUntil: Date;
}
