import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DeliveryError } from '#src/notification/notification.types.js';
import type { SmsMessage } from '#src/notification/sms/sms-provider.js';
import { TwilioSmsProvider } from '#src/notification/sms/twilio.sms-provider.js';
import { FakeTwilio, twilioError } from '../../support/fake-twilio.js';

const message: SmsMessage = {
  to: '+14155550123',
  text: 'Codeward login code: 739201. Valid for 10 min. Do not share it with anyone.',
  idempotencyKey: 'key-1',
};
const deadline = () => AbortSignal.timeout(5_000);

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe(TwilioSmsProvider.name, () => {
  let twilio: FakeTwilio;
  let sut: TwilioSmsProvider;

  beforeEach(async () => {
    twilio = await FakeTwilio.start();
    sut = new TwilioSmsProvider({
      baseUrl: twilio.url,
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15005550006',
    });
  });
  afterEach(() => twilio.close());

  it('should POST To, From and Body with HTTP Basic auth and return the message sid', async () => {
    const result = await sut.send(message, deadline());

    expect(twilio.requests).toHaveLength(1);
    const [req] = twilio.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(req.contentType).toBe('application/x-www-form-urlencoded');
    const basic = Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64');
    expect(req.authorization).toBe(`Basic ${basic}`);
    expect(req.fields).toEqual({ To: '+14155550123', From: '+15005550006', Body: message.text });
    expect(req.status).toBe(201);
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it.each([
    [21211, "The 'To' number +14155550123 is not a valid phone number."],
    [21614, "'To' number is not a valid mobile number"],
    [21610, 'Attempt to send to unsubscribed recipient'],
    [21612, "The 'To' phone number is not currently reachable via SMS"],
  ])('should reject without failover on recipient error %i', async (code, text) => {
    twilio.recipientErrors.set(message.to, { status: 400, body: twilioError(400, code, text) });

    const err = await failure(sut.send(message, deadline()));

    expect(err.retryable).toBe(false);
    expect(err.message).toBe(`twilio: HTTP 400 error ${code}: ${text}`);
  });

  it('should fail over on bad credentials (20003)', async () => {
    const wrong = new TwilioSmsProvider({
      baseUrl: twilio.url,
      accountSid: twilio.accountSid,
      authToken: 'not-the-token',
      from: '+15005550006',
    });

    const err = await failure(wrong.send(message, deadline()));

    expect(err.retryable).toBe(true);
    expect(err.message).toBe('twilio: HTTP 401 error 20003: Authenticate');
  });

  it('should fail over on rate limiting (20429) and on a 5xx without a JSON body', async () => {
    twilio.nextFailures.push(
      { status: 429, body: twilioError(429, 20429, 'Too Many Requests') },
      { status: 502, body: '<html><body>Bad Gateway</body></html>' },
    );

    const limited = await failure(sut.send(message, deadline()));
    const gateway = await failure(sut.send(message, deadline()));

    expect(limited.retryable).toBe(true);
    expect(limited.message).toMatch(/HTTP 429 error 20429/);
    expect(gateway.retryable).toBe(true);
    expect(gateway.message).toMatch(/HTTP 502: <html><body>Bad Gateway/);
  });

  it('should abort the request at the deadline when Twilio hangs', async () => {
    twilio.hang = true;

    const err = await failure(sut.send(message, AbortSignal.timeout(100)));

    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/aborted at the deadline/);
    await twilio.waitFor(() => twilio.abortedRequests === 1);
  });
});
