import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EmailMessage } from '#src/notification/email/email-provider.js';
import { SmtpEmailProvider } from '#src/notification/email/smtp.email-provider.js';
import { DeliveryError } from '#src/notification/notification.types.js';
import { NotificationTemplates } from '#src/notification/templates/notification-templates.js';
import { SmtpReceiver } from '../../support/smtp-receiver.js';

const templates = new NotificationTemplates({ productName: 'Codeward', defaultLocale: 'en' });
const deadline = () => AbortSignal.timeout(5_000);

function otpMail(to: string, code: string, locale: 'en' | 'ru' | 'uz', key: string): EmailMessage {
  const mail = templates.otpEmail({ code, ttlSeconds: 600, purpose: 'password_reset', locale });
  return { to, ...mail, idempotencyKey: key };
}

const codeIn = (s: string | undefined) => /\b(\d{6})\b/.exec(s ?? '')?.[1];

describe(SmtpEmailProvider.name, () => {
  let receiver: SmtpReceiver;
  let sut: SmtpEmailProvider;

  beforeEach(async () => {
    receiver = await SmtpReceiver.start();
    sut = new SmtpEmailProvider({
      url: receiver.url,
      from: 'Codeward <no-reply@codeward.test>',
      timeoutMs: 2_000,
    });
  });
  afterEach(async () => {
    sut.close();
    await receiver.close();
  });

  it('should deliver a text and an HTML part that both carry the code', async () => {
    const result = await sut.send(
      otpMail('john@example.com', '305918', 'en', 'key-en'),
      deadline(),
    );

    expect(receiver.messages).toHaveLength(1);
    const [mail] = receiver.messages;
    expect(mail.user).toBe('mailer');
    expect(mail.envelopeFrom).toBe('no-reply@codeward.test');
    expect(mail.envelopeTo).toEqual(['john@example.com']);
    expect(mail.parsed.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    expect(mail.parsed.subject).toBe('Your Codeward password reset code');
    expect(codeIn(mail.parsed.text)).toBe('305918');
    expect(mail.parsed.html).toContain(
      '<strong style="font-size:24px;letter-spacing:4px">305918</strong>',
    );
    expect(mail.parsed.messageId).toBe('<key-en@codeward.test>');
    expect(result.providerMessageId).toBe('<key-en@codeward.test>');
  });

  it('should keep non-ASCII text intact through the transfer encoding', async () => {
    const sent = otpMail('ivan@example.com', '664210', 'ru', 'key-ru');

    await sut.send(sent, deadline());

    const { parsed, raw } = receiver.messages[0];
    expect(raw).not.toContain('Код сброса'); // encoded on the wire, decoded by the parser
    expect(parsed.subject).toBe(sent.subject);
    expect(parsed.text).toBe(sent.text);
    expect(parsed.html).toBe(sent.html);
    expect(codeIn(parsed.text)).toBe('664210');
  });

  it('should reuse pooled connections and close them on close()', async () => {
    await sut.send(otpMail('a@example.com', '111111', 'en', 'key-a'), deadline());
    await sut.send(otpMail('b@example.com', '222222', 'uz', 'key-b'), deadline());
    await sut.send(otpMail('c@example.com', '333333', 'ru', 'key-c'), deadline());

    expect(receiver.messages.map((m) => codeIn(m.parsed.text))).toEqual([
      '111111',
      '222222',
      '333333',
    ]);
    expect(receiver.totalConnections).toBe(1);
    expect(receiver.openConnections).toBe(1);

    sut.close();

    await receiver.waitFor(() => receiver.openConnections === 0);
  });

  it('should reject without failover a recipient the server refuses with 550', async () => {
    receiver.rejectRecipients.add('nobody@example.com');

    const err = await sut
      .send(otpMail('nobody@example.com', '444444', 'en', 'key-x'), deadline())
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/^smtp: EENVELOPE 550/);
    expect(receiver.messages).toHaveLength(0);
  });

  it('should fail over on bad credentials', async () => {
    const wrong = new SmtpEmailProvider({
      url: receiver.url.replace('mail-secret', 'wrong'),
      from: 'no-reply@codeward.test',
      timeoutMs: 2_000,
    });
    try {
      const err = await wrong
        .send(otpMail('john@example.com', '555555', 'en', 'key-y'), deadline())
        .catch((e: unknown) => e);

      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as DeliveryError).retryable).toBe(true);
      expect((err as Error).message).toMatch(/^smtp: EAUTH 535/);
    } finally {
      wrong.close();
    }
  });
});
