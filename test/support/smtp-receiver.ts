import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { waitForChange } from './wait-for-change.js';

export interface ParsedMail {
  /** Lower-cased header names, unfolded values (encoded words left as sent). */
  headers: Map<string, string>;
  subject: string;
  messageId: string | undefined;
  text: string | undefined;
  html: string | undefined;
}

export interface ReceivedMail {
  envelopeFrom: string | undefined;
  envelopeTo: string[];
  user: string | undefined;
  raw: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server, plain text, AUTH PLAIN/LOGIN allowed without
 * TLS) that keeps every delivered message, parsed back into headers, subject, text and HTML.
 */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  /** Recipients refused at RCPT TO with 550 (mailbox unavailable). */
  readonly rejectRecipients = new Set<string>();
  openConnections = 0;
  totalConnections = 0;

  private readonly events = new EventEmitter();
  private server!: SMTPServer;

  private constructor(
    readonly user: string,
    readonly password: string,
  ) {}

  static async start(user = 'mailer', password = 'mail-secret'): Promise<SmtpReceiver> {
    const receiver = new SmtpReceiver(user, password);
    receiver.server = new SMTPServer({
      secure: false,
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: false,
      onAuth: (auth, _session, cb) => {
        if (auth.username === user && auth.password === password) cb(null, { user });
        else cb(new Error('Invalid username or password'));
      },
      onConnect: (_session, cb) => {
        receiver.openConnections += 1;
        receiver.totalConnections += 1;
        receiver.changed();
        cb();
      },
      onClose: () => {
        receiver.openConnections -= 1;
        receiver.changed();
      },
      onRcptTo: (address: SMTPServerAddress, _session, cb) => {
        if (!receiver.rejectRecipients.has(address.address)) return cb();
        const err = new Error('5.1.1 Mailbox unavailable') as Error & { responseCode: number };
        err.responseCode = 550;
        cb(err);
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const from = session.envelope.mailFrom;
          receiver.messages.push({
            envelopeFrom: from ? from.address : undefined,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            raw,
            parsed: parseMail(raw),
          });
          receiver.changed();
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** `smtp://user:pass@127.0.0.1:port` for SMTP_URL. */
  get url(): string {
    return `smtp://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}`;
  }

  waitFor(predicate: () => boolean): Promise<void> {
    return waitForChange(this.events, predicate);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private changed(): void {
    this.events.emit('change');
  }
}

/** Just enough RFC 5322/2045/2047 parsing to read back what nodemailer writes. */
export function parseMail(raw: string): ParsedMail {
  const { headers, body } = splitEntity(raw);
  const found: { text?: string; html?: string } = {};
  collectParts(headers, body, found);
  return {
    headers,
    subject: decodeWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id'),
    text: found.text,
    html: found.html,
  };
}

function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
  const sep = entity.search(/\r?\n\r?\n/);
  const head = sep < 0 ? entity : entity.slice(0, sep);
  const body = sep < 0 ? '' : entity.slice(sep).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  return { headers, body };
}

function collectParts(
  headers: Map<string, string>,
  body: string,
  found: { text?: string; html?: string },
): void {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = body.split(`--${boundary}`);
    // sections[0] is the preamble; the last starts with "--" (the closing delimiter)
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      const part = splitEntity(section.replace(/^\r?\n/, ''));
      collectParts(part.headers, part.body.replace(/\r?\n$/, ''), found);
    }
    return;
  }
  const decoded = decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit');
  if (/^text\/plain/i.test(type)) found.text ??= decoded;
  else if (/^text\/html/i.test(type)) found.html ??= decoded;
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), adjacent ones joined. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_, _charset: string, enc: string, data: string) =>
        enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64').toString('utf8')
          : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}
