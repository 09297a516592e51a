import { Logger } from '@nestjs/common';
import { EmailProvider, type EmailMessage } from './email-provider.js';

/** Local development only (refused at boot in production): prints the message, code included. */
export class ConsoleEmailProvider extends EmailProvider {
  readonly name = 'console';
  private readonly logger = new Logger('ConsoleEmail');

  send(message: EmailMessage): Promise<{ providerMessageId: string }> {
    this.logger.log(`Email to ${message.to}: ${message.subject}\n${message.text}`);
    return Promise.resolve({ providerMessageId: `console-${message.idempotencyKey}` });
  }
}
