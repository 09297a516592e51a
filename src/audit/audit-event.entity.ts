import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One append-only audit row. Rows are inserted and only ever deleted by the retention job.
 * Pagination is keyset on (occurred_at, id), newest first; every index ends in id for that.
 */
@Entity('audit_events')
@Index('IDX_audit_events_occurred_at', ['occurredAt', 'id'])
@Index('IDX_audit_events_type_occurred_at', ['type', 'occurredAt', 'id'])
@Index('IDX_audit_events_recipient_occurred_at', ['recipientHash', 'occurredAt', 'id'])
@Index('IDX_audit_events_ip_occurred_at', ['ip', 'occurredAt', 'id'])
export class AuditEventEntity {
  // int8 comes back from pg as a string.
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text', nullable: true })
  channel!: string | null;

  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'recipient_hash', type: 'text', nullable: true })
  recipientHash!: string | null;

  @Column({ name: 'recipient_masked', type: 'text', nullable: true })
  recipientMasked!: string | null;

  // Read back by TypeORM without the cast; written as '{}'::jsonb by the migration.
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
