import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForChange } from './wait-for-change.js';

export interface TwilioRequest {
  method: string | undefined;
  path: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  fields: Record<string, string>;
  status: number;
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** Twilio's REST error body, as its API returns it. */
export const twilioError = (status: number, code: number, message: string): TwilioErrorBody => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

/**
 * A local stand-in for api.twilio.com on 127.0.0.1:
 * `POST /2010-04-01/Accounts/{sid}/Messages.json` with HTTP Basic auth (sid:token) and form
 * fields To, From, Body. Answers 201 with a Message resource or Twilio's error bodies.
 */
export class FakeTwilio {
  readonly requests: TwilioRequest[] = [];
  abortedRequests = 0;
  hang = false;
  /** Recipients (E.164) answered with a Twilio error. */
  readonly recipientErrors = new Map<string, { status: number; body: TwilioErrorBody | string }>();
  /** Answers the next requests with these, in order, before any other check. */
  readonly nextFailures: { status: number; body: TwilioErrorBody | string }[] = [];

  private readonly events = new EventEmitter();

  private constructor(
    private readonly server: Server,
    readonly accountSid: string,
    readonly authToken: string,
  ) {}

  static async start(
    accountSid = `AC${randomBytes(16).toString('hex')}`,
    authToken = randomBytes(16).toString('hex'),
  ): Promise<FakeTwilio> {
    const server = createServer();
    const fake = new FakeTwilio(server, accountSid, authToken);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  waitFor(predicate: () => boolean): Promise<void> {
    return waitForChange(this.events, predicate);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = req.headers['content-type'];
    const body = await readBody(req);
    const record: TwilioRequest = {
      method: req.method,
      path: req.url,
      authorization: req.headers.authorization,
      contentType,
      fields: contentType?.startsWith('application/x-www-form-urlencoded')
        ? Object.fromEntries(new URLSearchParams(body))
        : {},
      status: 0,
    };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableEnded) {
        this.abortedRequests += 1;
        this.events.emit('change');
      }
    });
    const answer = (status: number, payload: unknown) => {
      record.status = status;
      if (!res.destroyed) {
        const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
        const type = typeof payload === 'string' ? 'text/html' : 'application/json';
        res.writeHead(status, { 'content-type': type });
        res.end(text);
      }
      this.events.emit('change');
    };
    if (this.hang) return void this.events.emit('change');
    const failure = this.nextFailures.shift();
    if (failure) return answer(failure.status, failure.body);
    const expectedPath = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    if (req.method !== 'POST' || req.url !== expectedPath) {
      return answer(404, twilioError(404, 20404, 'The requested resource was not found'));
    }
    const basic = Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64');
    if (req.headers.authorization !== `Basic ${basic}`) {
      return answer(401, twilioError(401, 20003, 'Authenticate'));
    }
    const { To: to, From: from, Body: text } = record.fields;
    if (!to) return answer(400, twilioError(400, 21604, "A 'To' phone number is required."));
    if (!from) return answer(400, twilioError(400, 21603, "A 'From' phone number is required."));
    if (!text) return answer(400, twilioError(400, 21602, 'Message body is required.'));
    const planned = this.recipientErrors.get(to);
    if (planned) return answer(planned.status, planned.body);
    answer(201, this.messageResource(to, from, text));
  }

  private messageResource(to: string, from: string, body: string) {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString();
    return {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: {
        media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}/Media.json`,
      },
      to,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
