import { DeliveryError } from '#src/notification/notification.types.js';
import { describeBody, isRecord, postForm } from './form-post.js';
import { SmsProvider, type SmsMessage } from './sms-provider.js';

export interface TwilioOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
}

/**
 * Twilio error codes that mean the recipient itself cannot get the message (invalid, not a mobile
 * number, unreachable, or opted out with STOP): failing over to another vendor would not help.
 * https://www.twilio.com/docs/api/errors
 */
export const TWILIO_RECIPIENT_ERRORS: ReadonlySet<number> = new Set([
  21211, // invalid 'To' phone number
  21217, // phone number does not appear to be valid
  21407, // this phone number type does not support SMS
  21421, // phone number is invalid
  21610, // attempt to send to an unsubscribed recipient
  21612, // 'To' phone number is not currently reachable via SMS
  21614, // 'To' number is not a valid mobile number
]);

/** Twilio Programmable Messaging: one POST per message, HTTP Basic auth with the account SID. */
export class TwilioSmsProvider extends SmsProvider {
  readonly name = 'twilio';
  private readonly url: string;
  private readonly authorization: string;

  constructor(private readonly options: TwilioOptions) {
    super();
    const base = options.baseUrl.replace(/\/+$/, '');
    this.url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
    const basic = Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64');
    this.authorization = `Basic ${basic}`;
  }

  async send(message: SmsMessage, signal: AbortSignal): Promise<{ providerMessageId: string }> {
    const res = await postForm(
      'twilio',
      this.url,
      { To: message.to, From: this.options.from, Body: message.text },
      { authorization: this.authorization },
      signal,
    );
    const body = isRecord(res.body) ? res.body : undefined;
    if (res.status >= 200 && res.status < 300) {
      if (typeof body?.sid === 'string') return { providerMessageId: body.sid };
      throw new DeliveryError(`twilio: HTTP ${res.status} without a message sid`);
    }
    const code = typeof body?.code === 'number' ? body.code : undefined;
    const detail =
      typeof body?.message === 'string' ? body.message : describeBody(res.body) || 'no body';
    throw new DeliveryError(
      `twilio: HTTP ${res.status}${code === undefined ? '' : ` error ${code}`}: ${detail}`,
      code === undefined || !TWILIO_RECIPIENT_ERRORS.has(code),
    );
  }
}
