import type { Locale } from '#src/config/app-config.js';

export type Channel = 'sms' | 'email';

/** One OTP message to deliver. `to` is already normalised (E.164 or lower-cased email). */
export interface OtpMessageRequest {
  channel: Channel;
  to: string;
  code: string;
  purpose: string;
  locale: Locale;
  ttlSeconds: number;
  /** Unique per send; a provider never receives the same key twice. */
  idempotencyKey: string;
}

/** What happened at one provider during one delivery. Never holds the code or the message text. */
export interface ProviderOutcome {
  provider: string;
  ok: boolean;
  providerMessageId?: string;
  /** `failed`: vendor error; `timeout`: past NOTIFY_TIMEOUT_MS; `rejected`: recipient invalid, no failover. */
  status: 'accepted' | 'failed' | 'timeout' | 'rejected';
  error?: string;
  durationMs: number;
}

export interface DeliveryResult {
  delivered: boolean;
  provider?: string;
  providerMessageId?: string;
  outcomes: ProviderOutcome[];
}

/** Thrown by a provider adapter on vendor failure. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** false when the vendor says the recipient itself is invalid: failing over would not help. */
    readonly retryable: boolean = true,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
