import { DeliveryError } from '#src/notification/notification.types.js';
import { SmsProvider, type SmsMessage } from './sms-provider.js';

/** In-memory SMS provider for tests: records an outbox and can be told to fail. */
export class FakeSmsProvider extends SmsProvider {
  readonly outbox: SmsMessage[] = [];
  failWith: DeliveryError | null = null;

  constructor(readonly name = 'fake-sms') {
    super();
  }

  send(message: SmsMessage): Promise<{ providerMessageId: string }> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.outbox.push(message);
    return Promise.resolve({ providerMessageId: `${this.name}-${this.outbox.length}` });
  }

  lastTo(to: string): SmsMessage | undefined {
    return [...this.outbox].reverse().find((m) => m.to === to);
  }
}
