import type { EmailProvider } from './email/email-provider.js';
import type { SmsProvider } from './sms/sms-provider.js';

/** Ordered failover lists, built once at module init from SMS_PROVIDERS / EMAIL_PROVIDERS. */
export abstract class SmsProviderChain {
  abstract readonly providers: readonly SmsProvider[];
}
export abstract class EmailProviderChain {
  abstract readonly providers: readonly EmailProvider[];
}
