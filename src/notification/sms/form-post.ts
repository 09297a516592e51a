import { DeliveryError } from '../notification.types.js';

export interface FormResponse {
  status: number;
  /** Parsed JSON when the body is JSON, else the raw text (possibly empty). */
  body: unknown;
}

/**
 * POSTs `application/x-www-form-urlencoded` fields with Node's fetch. Network failures and aborts
 * become retryable DeliveryErrors naming the vendor; HTTP statuses are left to the caller.
 */
export async function postForm(
  vendor: string,
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<FormResponse> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        ...headers,
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(fields).toString(),
      signal,
      redirect: 'error',
    });
    text = await res.text();
  } catch (err) {
    if (signal.aborted) throw new DeliveryError(`${vendor}: request aborted at the deadline`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryError(
      `${vendor}: request failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
    );
  }
  return { status: res.status, body: parseBody(text) };
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
