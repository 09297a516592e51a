import { createTransport, type Transporter } from 'nodemailer';
import { DeliveryError } from '#src/notification/notification.types.js';
import { EmailProvider, type EmailMessage } from './email-provider.js';

export interface SmtpOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`. */
  url: string;
  from: string;
  /** Bounds connecting, greeting and each socket wait (the send's deadline aside). */
  timeoutMs: number;
  maxConnections?: number;
}

// SMTP replies that refuse the recipient address itself (RFC 5321 4.2.2/4.2.3).
const RECIPIENT_REFUSED = new Set([550, 551, 553]);

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/**
 * SMTP through a nodemailer connection pool, opened lazily and closed by `close()` on shutdown.
 * The Message-ID is derived from the idempotency key, so a receiving server can recognise a
 * duplicate. nodemailer cannot cancel a send in flight; the deadline stops the wait for it.
 */
export class SmtpEmailProvider extends EmailProvider {
  readonly name = 'smtp';
  private readonly transport: Transporter;
  private readonly domain: string;

  constructor(private readonly options: SmtpOptions) {
    super();
    this.transport = createTransport({
      url: options.url,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: Math.max(options.timeoutMs * 2, 10_000),
    });
    this.domain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'codeward.local';
  }

  async send(message: EmailMessage, signal: AbortSignal): Promise<{ providerMessageId: string }> {
    if (signal.aborted) throw new DeliveryError('smtp: aborted at the deadline');
    const messageId = `<${message.idempotencyKey}@${this.domain}>`;
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId,
      });
      return { providerMessageId: messageId };
    } catch (err) {
      throw toDeliveryError(err as SmtpFailure);
    }
  }

  close(): void {
    this.transport.close();
  }
}

function toDeliveryError(err: SmtpFailure): DeliveryError {
  const refused =
    err.code === 'EENVELOPE' &&
    err.command === 'RCPT TO' &&
    err.responseCode !== undefined &&
    RECIPIENT_REFUSED.has(err.responseCode);
  const what = [err.code, err.responseCode].filter((v) => v !== undefined).join(' ');
  const text = (err.message ?? 'unknown error').replace(/\s+/g, ' ').slice(0, 200);
  return new DeliveryError(`smtp: ${what ? `${what}: ` : ''}${text}`, !refused);
}
