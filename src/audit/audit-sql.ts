// The audit trail's rows, for another module's statement that must commit a state change and its
// audit rows together (AuditService.prepare builds the row, AuditService.stored reports what the
// statement wrote). The audit module owns the table: its name, its columns and how a row fills
// them; the caller only says where each row's type and details come from.

/** A row as the service hands it over (already hashed, masked and scrubbed): every column but the id. */
export interface NewAuditEventRow {
  occurredAt: Date;
  type: string;
  channel: string | null;
  purpose: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  recipientHash: string | null;
  recipientMasked: string | null;
  details: Record<string, unknown>;
}

/** The columns every audit insert names, in the order auditInsertSql fills them. */
export const AUDIT_INSERT_COLUMNS =
  'occurred_at, type, channel, purpose, ip, user_agent, request_id, recipient_hash, recipient_masked, details';

/** How many parameters the common part of a row takes (auditRowValues). */
export const AUDIT_ROW_PARAMS = 8;

/** The common part of a row (everything but type and details), as auditInsertSql's parameters. */
export function auditRowValues(row: NewAuditEventRow): unknown[] {
  return [
    row.occurredAt,
    row.channel,
    row.purpose,
    row.ip,
    row.userAgent,
    row.requestId,
    row.recipientHash,
    row.recipientMasked,
  ];
}

export interface AuditInsertSource {
  /** Number of the first of the AUDIT_ROW_PARAMS consecutive parameters (`$first`). */
  first: number;
  /** The relation (a CTE's name) with one row per event to write. */
  from: string;
  /** SQL over `from`: each event's type (text, one of AUDIT_EVENT_TYPES) and details (jsonb). */
  type: string;
  details: string;
  /** SQL over `from` ordering the inserts (ids are time-ordered). */
  orderBy?: string;
}

/**
 * `INSERT INTO audit_events (…) SELECT … FROM <from> RETURNING id, type, details`, usable as a
 * data-modifying CTE's body or as a statement. The details must already be masked: the statement
 * writes them as given (`scrubDetails` does not run on them).
 */
export function auditInsertSql(s: AuditInsertSource): string {
  const p = (i: number) => `$${s.first + i}`;
  const order = s.orderBy ? ` ORDER BY ${s.orderBy}` : '';
  return `INSERT INTO audit_events (${AUDIT_INSERT_COLUMNS})
         SELECT ${p(0)}, ${s.type}, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${s.details}
         FROM ${s.from}${order}
         RETURNING id, type, details`;
}
