import { createHash } from 'node:crypto';
import { DeliveryError } from '#src/notification/notification.types.js';
import { describeBody, isRecord, postForm, type FormResponse } from './form-post.js';
import { SmsProvider, type SmsMessage } from './sms-provider.js';

export interface EskizOptions {
  baseUrl: string;
  email: string;
  password: string;
  from: string;
  /** Bounds a login shared by several sends; each send still stops at its own deadline. */
  loginTimeoutMs: number;
}

/** Where the token is shared between instances (the AppCache); a miss or failure is fine. */
export interface TokenStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
}

const DAY_MS = 86_400_000;

/**
 * Eskiz (notify.eskiz.uz). Logs in for a bearer token, keeps it in the shared cache and in memory,
 * and on a 401 logs in again once, a single login shared by every send that saw the same expired
 * token, then retries the send once.
 */
export class EskizSmsProvider extends SmsProvider {
  readonly name = 'eskiz';
  private readonly cacheKey: string;
  private memoryToken: string | undefined;
  private login: Promise<string> | null = null;

  constructor(
    private readonly options: EskizOptions,
    private readonly store: TokenStore | null,
  ) {
    super();
    const id = createHash('sha256').update(`${options.baseUrl}\n${options.email}`).digest('hex');
    this.cacheKey = `notify:eskiz:token:${id.slice(0, 16)}`;
  }

  async send(message: SmsMessage, signal: AbortSignal): Promise<{ providerMessageId: string }> {
    const token = await this.currentToken(signal);
    let res = await this.post(token, message, signal);
    if (res.status === 401) {
      const fresh = await this.refreshedToken(token, signal);
      res = await this.post(fresh, message, signal);
      if (res.status === 401) {
        throw new DeliveryError('eskiz: token refused right after a fresh login');
      }
    }
    return this.accepted(res);
  }

  private post(token: string, message: SmsMessage, signal: AbortSignal): Promise<FormResponse> {
    return postForm(
      'eskiz',
      `${this.base()}/api/message/sms/send`,
      {
        mobile_phone: message.to.replace(/\D/g, ''),
        message: message.text,
        from: this.options.from,
      },
      { authorization: `Bearer ${token}` },
      signal,
    );
  }

  private accepted(res: FormResponse): { providerMessageId: string } {
    const body = res.body;
    if (res.status >= 200 && res.status < 300) {
      const id = isRecord(body) ? body.id : undefined;
      if (typeof id === 'string' || typeof id === 'number') {
        return { providerMessageId: String(id) };
      }
      throw new DeliveryError(`eskiz: HTTP ${res.status} without a message id`);
    }
    // A validation error on the number itself: no other vendor would reach it either.
    const rejectsNumber = (res.status === 400 || res.status === 422) && mentionsPhoneField(body);
    throw new DeliveryError(`eskiz: HTTP ${res.status}: ${describeBody(body)}`, !rejectsNumber);
  }

  private async currentToken(signal: AbortSignal): Promise<string> {
    if (this.memoryToken) return this.memoryToken;
    const shared = await this.store?.get<string>(this.cacheKey);
    if (shared) {
      this.memoryToken = shared;
      return shared;
    }
    return this.refreshedToken(undefined, signal);
  }

  /** A token other than `stale`: one another send or instance already got, or a new login. */
  private refreshedToken(stale: string | undefined, signal: AbortSignal): Promise<string> {
    if (this.memoryToken && this.memoryToken !== stale) return Promise.resolve(this.memoryToken);
    this.login ??= this.loginOnce(stale).finally(() => {
      this.login = null;
    });
    return untilAborted(this.login, signal);
  }

  private async loginOnce(stale: string | undefined): Promise<string> {
    const shared = await this.store?.get<string>(this.cacheKey);
    const token = shared && shared !== stale ? shared : await this.logIn();
    this.memoryToken = token;
    return token;
  }

  private async logIn(): Promise<string> {
    const res = await postForm(
      'eskiz',
      `${this.base()}/api/auth/login`,
      { email: this.options.email, password: this.options.password },
      {},
      AbortSignal.timeout(this.options.loginTimeoutMs),
    );
    const data = isRecord(res.body) && isRecord(res.body.data) ? res.body.data : undefined;
    if (res.status !== 200 || typeof data?.token !== 'string' || data.token === '') {
      throw new DeliveryError(`eskiz: login failed: HTTP ${res.status}: ${describeBody(res.body)}`);
    }
    await this.store?.set(this.cacheKey, data.token, tokenTtlMs(data.token));
    return data.token;
  }

  private base(): string {
    return this.options.baseUrl.replace(/\/+$/, '');
  }
}

function mentionsPhoneField(body: unknown): boolean {
  if (!isRecord(body)) return false;
  const fields = [body.message, body.errors, body.data].filter(isRecord);
  return fields.some((f) => 'mobile_phone' in f);
}

/**
 * Eskiz tokens are JWTs valid for about 30 days; cache until a minute before `exp`. Wall time on
 * purpose (not the injectable Clock): `exp` is the vendor's real time.
 */
function tokenTtlMs(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      exp?: unknown;
    };
    if (typeof payload.exp === 'number') {
      return Math.min(payload.exp * 1000 - Date.now() - 60_000, 30 * DAY_MS);
    }
  } catch {
    // not a JWT: fall through
  }
  return DAY_MS;
}

/** Waits for a shared promise, but gives up when this caller's own deadline passes. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DeliveryError('eskiz: aborted at the deadline'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeliveryError('eskiz: aborted at the deadline'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
