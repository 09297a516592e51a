import { DeliveryError } from '#src/notification/notification.types.js';
import { EmailProvider, type EmailMessage } from './email-provider.js';

/** In-memory email provider for tests: records an outbox and can be told to fail. */
export class FakeEmailProvider extends EmailProvider {
  readonly outbox: EmailMessage[] = [];
  failWith: DeliveryError | null = null;

  constructor(readonly name = 'fake-email') {
    super();
  }

  send(message: EmailMessage): Promise<{ providerMessageId: string }> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.outbox.push(message);
    return Promise.resolve({ providerMessageId: `${this.name}-${this.outbox.length}` });
  }

  lastTo(to: string): EmailMessage | undefined {
    return [...this.outbox].reverse().find((m) => m.to === to);
  }
}
