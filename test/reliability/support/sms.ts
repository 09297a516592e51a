import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeEskiz } from '../../support/fake-eskiz.js';
import { FakeTwilio } from '../../support/fake-twilio.js';

const CODE = /\b(\d{4,10})\b/;

/** Codes the fake Eskiz accepted (200) for an E.164 phone, oldest first. */
export function eskizCodes(eskiz: FakeEskiz, phone: string): string[] {
  const digits = phone.replace(/\D/g, '');
  return eskiz.sends
    .filter((s) => s.status === 200 && s.fields.mobile_phone === digits)
    .map((s) => CODE.exec(s.fields.message ?? '')?.[1])
    .filter((c): c is string => c !== undefined);
}

/** Codes the fake Twilio accepted (201) for an E.164 phone, oldest first. */
export function twilioCodes(twilio: FakeTwilio, phone: string): string[] {
  return twilio.requests
    .filter((r) => r.status === 201 && r.fields.To === phone)
    .map((r) => CODE.exec(r.fields.Body ?? '')?.[1])
    .filter((c): c is string => c !== undefined);
}

/** The last code delivered to `phone` by either fake. */
export function lastCode(phone: string, eskiz: FakeEskiz, twilio?: FakeTwilio): string {
  const code = [...eskizCodes(eskiz, phone), ...(twilio ? twilioCodes(twilio, phone) : [])].at(-1);
  if (!code) throw new Error(`no code was delivered to ${phone}`);
  return code;
}

export type FrontMode = 'pass' | 'fail' | 'hang' | 'intermittent' | 'delay';

/**
 * An HTTP front for the fake Eskiz that injects faults into SMS sends (logins always pass):
 * `fail` answers 500, `hang` never answers, `intermittent` fails every other send, `delay` holds
 * each send `delayMs` before passing it on. Counts what it did.
 */
export class EskizFront {
  mode: FrontMode = 'pass';
  delayMs = 0;
  failed = 0;
  passed = 0;
  held = 0;
  /** SMS send requests received (whatever was done with them). */
  sendsSeen = 0;
  private flip = false;

  private constructor(
    private readonly server: Server,
    private readonly target: string,
  ) {}

  static async start(eskiz: FakeEskiz): Promise<EskizFront> {
    const server = createServer();
    const front = new EskizFront(server, eskiz.url);
    server.on('request', (req, res) => void front.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return front;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (req.url === '/api/message/sms/send') {
      this.sendsSeen += 1;
      let mode = this.mode;
      if (mode === 'intermittent') {
        this.flip = !this.flip;
        mode = this.flip ? 'fail' : 'pass';
      }
      if (mode === 'fail') {
        this.failed += 1;
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<h1>500 Internal Server Error</h1>');
        return;
      }
      if (mode === 'hang') {
        this.held += 1;
        return;
      }
      if (mode === 'delay') await new Promise((r) => setTimeout(r, this.delayMs));
      this.passed += 1;
    }
    const upstream = request(this.target + (req.url ?? '/'), {
      method: req.method,
      headers: { ...req.headers, host: new URL(this.target).host },
    });
    upstream.on('response', (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    // The caller gave up (its deadline): give up upstream too, as a direct connection would.
    res.on('close', () => {
      if (!res.writableEnded) upstream.destroy();
    });
    upstream.end(body);
  }
}

/** Environment for SMS through Eskiz (and optionally Twilio as the failover). */
export function smsEnv(
  eskizUrl: string,
  eskiz: FakeEskiz,
  twilio?: FakeTwilio,
): Record<string, string> {
  return {
    SMS_PROVIDERS: twilio ? 'eskiz,twilio' : 'eskiz',
    ESKIZ_BASE_URL: eskizUrl,
    ESKIZ_EMAIL: eskiz.email,
    ESKIZ_PASSWORD: eskiz.password,
    ...(twilio
      ? {
          TWILIO_BASE_URL: twilio.url,
          TWILIO_ACCOUNT_SID: twilio.accountSid,
          TWILIO_AUTH_TOKEN: twilio.authToken,
          TWILIO_FROM: '+15005550006',
        }
      : {}),
    // Email is not under test here; production refuses the console provider, so point SMTP at a
    // closed port (no test sends email unless it starts a receiver).
    EMAIL_PROVIDERS: 'smtp',
    SMTP_URL: 'smtp://127.0.0.1:9',
    EMAIL_FROM: 'codeward@example.com',
  };
}
