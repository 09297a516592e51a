import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last time an alert rule fired for a subject; the atomic dedupe of alert.raised events. */
@Entity('audit_alert_marks')
export class AuditAlertMarkEntity {
  @PrimaryColumn({ type: 'text' })
  rule!: string;

  /** An IP, a recipient hash, or `all` for global rules. */
  @PrimaryColumn({ type: 'text' })
  subject!: string;

  @Column({ name: 'raised_at', type: 'timestamptz' })
  raisedAt!: Date;
}
