import { Logger } from '@nestjs/common';
import { SmsProvider, type SmsMessage } from './sms-provider.js';

/** Local development only (refused at boot in production): prints the message, code included. */
export class ConsoleSmsProvider extends SmsProvider {
  readonly name = 'console';
  private readonly logger = new Logger('ConsoleSms');

  send(message: SmsMessage): Promise<{ providerMessageId: string }> {
    this.logger.log(`SMS to ${message.to}: ${message.text}`);
    return Promise.resolve({ providerMessageId: `console-${message.idempotencyKey}` });
  }
}
