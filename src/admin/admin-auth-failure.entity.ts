import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed admin authentications per client key (and `*` for all clients together) in a fixed
 * one-minute window: they bound the audit rows a flood of failures writes.
 */
@Entity('admin_auth_failures')
export class AdminAuthFailureEntity {
  @PrimaryColumn({ type: 'text' })
  ip!: string;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  @Column({ type: 'integer' })
  failures!: number;
}
