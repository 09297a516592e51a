// Plain SQL builders shared by AuditEventRepository and bench/audit-query.mjs (through dist/), so
// the benchmark times exactly the statement the admin API issues. No typeorm here.

export interface AuditPageFilter {
  type?: string;
  channel?: string;
  purpose?: string;
  recipientHash?: string;
  ip?: string;
  /** Inclusive lower bound on occurred_at. */
  since?: Date;
  /** Exclusive upper bound on occurred_at. */
  until?: Date;
  /** Keyset position: rows strictly older than (occurredAt, id). */
  after?: { occurredAt: Date; id: string };
  limit: number;
}

export const AUDIT_PAGE_COLUMNS =
  'id, occurred_at, type, channel, purpose, recipient_masked, ip, request_id, details';

/** Newest first by (occurred_at, id); fetches limit + 1 rows so the caller knows if more exist. */
export function buildAuditPageQuery(f: AuditPageFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (f.type !== undefined) add((p) => `type = ${p}`, f.type);
  if (f.channel !== undefined) add((p) => `channel = ${p}`, f.channel);
  if (f.purpose !== undefined) add((p) => `purpose = ${p}`, f.purpose);
  if (f.recipientHash !== undefined) add((p) => `recipient_hash = ${p}`, f.recipientHash);
  if (f.ip !== undefined) add((p) => `ip = ${p}`, f.ip);
  if (f.since !== undefined) add((p) => `occurred_at >= ${p}`, f.since);
  if (f.until !== undefined) add((p) => `occurred_at < ${p}`, f.until);
  if (f.after !== undefined) {
    params.push(f.after.occurredAt, f.after.id);
    where.push(`(occurred_at, id) < ($${params.length - 1}, $${params.length}::bigint)`);
  }
  params.push(f.limit + 1);
  const sql =
    `SELECT ${AUDIT_PAGE_COLUMNS} FROM audit_events` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY occurred_at DESC, id DESC LIMIT $${params.length}`;
  return { sql, params };
}
