import { randomBytes } from 'node:crypto';

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
  ms: number;
  /** Set when no HTTP answer came back at all (reset, refused, timeout). */
  error?: string;
}

/** One request with a hard deadline; a missing answer is reported, never thrown. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<Answer> {
  const started = performance.now();
  const init: RequestInit = {
    method,
    headers: { ...headers },
    signal: AbortSignal.timeout(timeoutMs),
  };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  try {
    const res = await fetch(base + path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return {
      status: res.status,
      body: parsed,
      headers: res.headers,
      ms: performance.now() - started,
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return {
      status: 0,
      body: undefined,
      headers: new Headers(),
      ms: performance.now() - started,
      error: `${(err as Error).name}: ${cause?.code ?? (err as Error).message}`,
    };
  }
}

export const post = (
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs?: number,
) => call(base, 'POST', path, body, headers, timeoutMs);

export const get = (
  base: string,
  path: string,
  headers: Record<string, string> = {},
  timeoutMs?: number,
) => call(base, 'GET', path, undefined, headers, timeoutMs);

let phoneSeq = Math.floor(Math.random() * 1_000_000);
/**
 * A fresh valid Uzbek mobile number (E.164), unique within the run. Consecutive numbers are spread
 * over the +99890NN destination prefixes (a stride coprime with 10^7), so load that sends many
 * unverified codes does not look like SMS pumping to one prefix (docs/fraud.md).
 */
export function phone(): string {
  phoneSeq = (phoneSeq + 1) % 10_000_000;
  return `+99890${String((phoneSeq * 7_919) % 10_000_000).padStart(7, '0')}`;
}

let ipSeq = 0;
/** A fresh client address for X-Forwarded-For (TEST-NET and private ranges). */
export function ip(): string {
  ipSeq += 1;
  const salt = randomBytes(1)[0];
  return `10.${salt}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
}

/** Counts answers by `status code` (e.g. `{ "429 RECIPIENT_LOCKED": 196 }`). */
export function tally(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const key = a.error ? `ERR ${a.error}` : `${a.status}${a.body?.code ? ` ${a.body.code}` : ''}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/** The contract's error body (API.md "Errors"): statusCode, code, message; Retry-After on 429. */
export function contractProblems(a: Answer, allowedCodes: readonly string[]): string[] {
  const problems: string[] = [];
  if (a.error) return [`no answer: ${a.error}`];
  if (a.status < 400) return problems;
  const b = a.body;
  if (!b || typeof b !== 'object') return [`${a.status}: body is not a JSON object`];
  if (b.statusCode !== a.status) problems.push(`statusCode ${b.statusCode} != ${a.status}`);
  if (!allowedCodes.includes(b.code)) problems.push(`code ${String(b.code)} not in the contract`);
  if (typeof b.message !== 'string' || b.message === '') problems.push('message missing');
  if (b.code === 'VALIDATION_FAILED') {
    const ok =
      Array.isArray(b.details) &&
      b.details.length > 0 &&
      b.details.every((d: any) => typeof d?.field === 'string' && typeof d?.problem === 'string');
    if (!ok) problems.push('VALIDATION_FAILED without details[{field, problem}]');
  }
  if (a.status === 429 || a.status === 503) {
    const header = a.headers.get('retry-after');
    if (a.status === 429 && !header) problems.push('429 without Retry-After');
    if (header && (!/^\d+$/.test(header) || Number(header) !== b.retryAfter)) {
      problems.push(`Retry-After ${header} != retryAfter ${b.retryAfter}`);
    }
  }
  return problems;
}

export const CONTRACT_CODES = [
  'VALIDATION_FAILED',
  'INVALID_RECIPIENT',
  'COUNTRY_NOT_ALLOWED',
  'NUMBER_TYPE_NOT_ALLOWED',
  'DESTINATION_SUSPENDED',
  'CODE_NOT_FOUND',
  'CODE_EXPIRED',
  'CODE_INVALID',
  'SEND_COOLDOWN',
  'SEND_QUOTA_EXCEEDED',
  'RECIPIENT_LOCKED',
  'IP_RATE_LIMITED',
  'DELIVERY_FAILED',
  'TOKEN_INVALID',
  'INVALID_CREDENTIALS',
  'UNAUTHORIZED',
  'SERVICE_UNAVAILABLE',
  'NOT_FOUND',
] as const;
