import { request } from 'undici';
import { DeliveryError } from '#src/notification/notification.types.js';

export interface FormResponse {
  status: number;
  /** Parsed JSON when the body is JSON, else the raw text (possibly empty). */
  body: unknown;
}

/**
 * POSTs `application/x-www-form-urlencoded` fields with undici's `request` (kept-alive
 * connections; about a quarter of the CPU of `fetch`, which is built on it, see BENCHMARKS.md).
 * Network failures, aborts and redirects (never followed) become retryable DeliveryErrors naming
 * the vendor; other HTTP statuses are left to the caller.
 */
export async function postForm(
  vendor: string,
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<FormResponse> {
  let status: number;
  let text: string;
  try {
    const res = await request(url, {
      method: 'POST',
      headers: {
        ...headers,
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(fields).toString(),
      signal,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    if (signal.aborted) throw new DeliveryError(`${vendor}: request aborted at the deadline`);
    const e = err as { code?: string; message?: string; cause?: { code?: string } };
    throw new DeliveryError(
      `${vendor}: request failed: ${e.code ?? e.cause?.code ?? e.message ?? 'unknown error'}`,
    );
  }
  if (status >= 300 && status < 400) {
    throw new DeliveryError(`${vendor}: request failed: redirect (${String(status)}) refused`);
  }
  return { status, body: parseBody(text) };
}

function parseBody(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : '';
  } catch {
    return text;
  }
}

/** A short, single-line description of a vendor's error body for DeliveryError messages. */
export function describeBody(body: unknown): string {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return raw.replace(/\s+/g, ' ').slice(0, 200);
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
