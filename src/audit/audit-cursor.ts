import { AppError } from '#src/common/errors/app-error.js';

const MAX_BIGINT = 9_223_372_036_854_775_807n;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

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
  if (BigInt(id) > MAX_BIGINT) throw bad(); // audit_events.id is a bigint
  // Only what encodeAuditCursor writes: a four-digit year (PostgreSQL holds 4713 BC-294276 AD,
  // JavaScript +-275760; a cursor outside either would fail in the query).
  if (!ISO_INSTANT.test(at)) throw bad();
  const occurredAt = new Date(at);
  if (Number.isNaN(occurredAt.getTime()) || occurredAt.toISOString() !== at) throw bad();
  return { occurredAt, id };
}
