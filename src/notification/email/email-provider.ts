export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  idempotencyKey: string;
}

/** One email transport. Stateless after construction (a connection pool aside). */
export abstract class EmailProvider {
  abstract readonly name: string;
  /** Sends one message. Throws DeliveryError (retryable set) on failure. `signal` aborts at the deadline. */
  abstract send(message: EmailMessage, signal: AbortSignal): Promise<{ providerMessageId: string }>;
}
