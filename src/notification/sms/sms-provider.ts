export interface SmsMessage {
  /** E.164, with the leading +. */
  to: string;
  text: string;
  idempotencyKey: string;
}

/** One SMS vendor. Stateless after construction (a cached auth token aside). */
export abstract class SmsProvider {
  abstract readonly name: string;
  /** Sends one message. Throws DeliveryError (retryable set) on vendor failure. `signal` aborts at the deadline. */
  abstract send(message: SmsMessage, signal: AbortSignal): Promise<{ providerMessageId: string }>;
}
