import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForChange } from './wait-for-change.js';

export interface EskizLogin {
  contentType: string | undefined;
  fields: Record<string, string>;
}

export interface EskizSend {
  authorization: string | undefined;
  contentType: string | undefined;
  fields: Record<string, string>;
  /** The HTTP status the fake answered (0 while held). */
  status: number;
}

/**
 * A local stand-in for notify.eskiz.uz on 127.0.0.1: `POST /api/auth/login` (form fields email,
 * password) issues a JWT-shaped token; `POST /api/message/sms/send` (Bearer token; form fields
 * mobile_phone, message, from) answers with Eskiz's bodies. Records every request it parses.
 */
export class FakeEskiz {
  readonly logins: EskizLogin[] = [];
  readonly sends: EskizSend[] = [];
  /** Send requests whose client went away before an answer (the deadline's abort). */
  abortedSends = 0;
  /** Hold every send without answering. */
  hangSends = false;
  /** When set, logins wait for it before answering. */
  loginGate: Promise<void> | null = null;
  /** Numbers (digits) answered with Eskiz's validation error. */
  readonly invalidNumbers = new Set<string>();
  /** Answer every send with 401, even with a fresh token. */
  refuseAllTokens = false;

  private readonly validTokens = new Set<string>();
  private readonly events = new EventEmitter();

  private constructor(
    private readonly server: Server,
    readonly email: string,
    readonly password: string,
  ) {}

  static async start(email = 'ops@example.uz', password = 'eskiz-secret'): Promise<FakeEskiz> {
    const server = createServer();
    const fake = new FakeEskiz(server, email, password);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Every token issued so far stops working (Eskiz answers 401 until the next login). */
  expireTokens(): void {
    this.validTokens.clear();
  }

  /** Resolves once `predicate` holds, re-checked after every request event. */
  waitFor(predicate: () => boolean): Promise<void> {
    return waitForChange(this.events, predicate);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = req.headers['content-type'];
    const fields = parseForm(contentType, await readBody(req));
    if (req.method === 'POST' && req.url === '/api/auth/login') {
      return this.login({ contentType, fields }, res);
    }
    if (req.method === 'POST' && req.url === '/api/message/sms/send') {
      return this.send(
        { authorization: req.headers.authorization, contentType, fields, status: 0 },
        res,
      );
    }
    json(res, 404, { message: 'Not Found' });
  }

  private async login(login: EskizLogin, res: ServerResponse): Promise<void> {
    this.logins.push(login);
    this.changed();
    if (this.loginGate) await this.loginGate;
    if (login.fields.email !== this.email || login.fields.password !== this.password) {
      return json(res, 401, { message: 'Incorrect email or password', status: 'error' });
    }
    const token = jwt();
    this.validTokens.add(token);
    json(res, 200, { message: 'token_generated', data: { token }, token_type: 'bearer' });
  }

  private send(send: EskizSend, res: ServerResponse): void {
    this.sends.push(send);
    res.on('close', () => {
      if (!res.writableEnded) {
        this.abortedSends += 1;
        this.changed();
      }
    });
    const answer = (status: number, body: unknown) => {
      send.status = status;
      json(res, status, body);
      this.changed();
    };
    if (this.hangSends) return this.changed();
    const token = /^Bearer (.+)$/.exec(send.authorization ?? '')?.[1];
    if (!token || !this.validTokens.has(token) || this.refuseAllTokens) {
      return answer(401, { status: 'token-invalid', message: 'Expired' });
    }
    const { mobile_phone: phone, message, from } = send.fields;
    if (!phone || !/^\d{9,15}$/.test(phone) || this.invalidNumbers.has(phone)) {
      return answer(400, {
        status: 'error',
        message: { mobile_phone: ['The mobile phone format is invalid.'] },
      });
    }
    if (!message || !from) {
      return answer(422, {
        status: 'error',
        message: { message: ['The message field is required.'] },
      });
    }
    answer(200, { id: randomUUID(), message: 'Waiting for SMS provider', status: 'waiting' });
  }

  private changed(): void {
    this.events.emit('change');
  }
}

function jwt(): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = { exp: now + 30 * 86400, iat: now, role: 'user', sub: randomUUID() };
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.${randomUUID().replace(/-/g, '')}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Only `application/x-www-form-urlencoded` bodies yield fields; anything else yields none. */
function parseForm(contentType: string | undefined, body: string): Record<string, string> {
  if (!contentType?.startsWith('application/x-www-form-urlencoded')) return {};
  return Object.fromEntries(new URLSearchParams(body));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
