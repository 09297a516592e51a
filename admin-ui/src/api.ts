// The admin API, same origin. The key lives in sessionStorage only and travels as a Bearer header:
// no cookie, so no CSRF surface; closing the tab forgets it.

const KEY = 'codeward.adminKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const session = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string): void => sessionStorage.setItem(KEY, key),
  clear: (): void => sessionStorage.removeItem(KEY),
};

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  details?: { field?: unknown; problem?: unknown }[];
}

async function toError(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON: fall back to the status text
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${res.status}`;
  let message = typeof body.message === 'string' ? body.message : res.statusText || code;
  if (Array.isArray(body.details) && body.details.length > 0) {
    const problems = body.details
      .map((d) => (typeof d.problem === 'string' ? d.problem : ''))
      .filter((p) => p.length > 0);
    if (problems.length > 0) message = `${message}: ${problems.join('; ')}`;
  }
  return new ApiError(res.status, code, message);
}

/** Called when the API refuses the stored key, so the app can go back to the sign-in form. */
let onUnauthorized: (message: string) => void = () => undefined;
export function setUnauthorizedHandler(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

export async function request<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  key: string | null = session.get(),
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', `The service did not answer (${String(err)})`);
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && key === session.get()) onUnauthorized(err.message);
    throw err;
  }
  return (await res.json()) as T;
}

export const get = <T>(path: string) => request<T>('GET', path);

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// ---- Shapes of the answers the page reads (see /docs) ----

export interface ChannelStats {
  sends: number;
  deliveryFailures: number;
  verificationsSucceeded: number;
  verificationsFailed: number;
  lockouts: number;
  codesAttempted: number;
  firstAttemptVerified: number;
  firstAttemptSuccessRate: number | null;
}

export interface Stats {
  since: string;
  until: string;
  channels: { sms: ChannelStats; email: ChannelStats };
  ipBlocks: number;
}

export interface ChannelSeries {
  sends: number[];
  deliveryFailures: number[];
  verificationsSucceeded: number[];
  verificationsFailed: number[];
  lockouts: number[];
  codesAttempted: number[];
  firstAttemptVerified: number[];
}

export interface Series {
  since: string;
  until: string;
  bucketSeconds: number;
  buckets: string[];
  channels: { sms: ChannelSeries; email: ChannelSeries };
  ipBlocks: number[];
  alerts: number[];
}

export interface ProviderStats {
  channel: string;
  provider: string;
  attempts: number;
  accepted: number;
  failed: number;
  timeouts: number;
  rejected: number;
  successRate: number | null;
  avgLatencyMs: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

export interface IpBlock {
  ip: string;
  endpoint: string;
  blockedUntil: string;
}

export interface RecipientLock {
  channel: 'sms' | 'email';
  recipient: string;
  lockedUntil: string;
}

/** A destination prefix whose SMS-pumping breaker is open (sends refused) or half-open (probing). */
export interface DestinationBreaker {
  prefix: string;
  state: 'open' | 'half_open';
  openUntil: string;
  probeUntil: string | null;
}

/** An email throttled after too many failed logins; the API only gives it masked. */
export interface LoginThrottle {
  email: string;
  lockedUntil: string;
}

/** `destinations` and `logins` appear when the service has those features. */
export interface Blocks {
  ips: IpBlock[];
  recipients: RecipientLock[];
  destinations?: DestinationBreaker[];
  logins?: LoginThrottle[];
}

export interface AuditEvent {
  id: string;
  occurredAt: string;
  type: string;
  channel: string | null;
  purpose: string | null;
  recipient: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Alert {
  id: string;
  occurredAt: string;
  rule: string;
  subject: string;
  channel: string | null;
  count: number | null;
  threshold: number | null;
  windowSeconds: number | null;
}
