import { AppError } from '../common/errors/app-error.js';

export interface AuditCursor {
  occurredAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `[occurredAt ISO, id]`. */
export function encodeAuditCursor(c: AuditCursor): string {
  return Buffer.from(JSON.stringify([c.occurredAt.toISOString(), c.id])).toString('base64url');
}

export function decodeAuditCursor(raw: string): AuditCursor {
  const bad = () =>
    new AppError('VALIDATION_FAILED', 'cursor is not valid', {
      details: [{ field: 'cursor', problem: 'cursor must be a nextCursor from a previous page' }],
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !/^\d{1,19}$/.test(id)) throw bad();
  const occurredAt = new Date(at);
  if (Number.isNaN(occurredAt.getTime())) throw bad();
  return { occurredAt, id };
}
