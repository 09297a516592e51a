import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed admin authentications per client IP in a fixed one-minute window. */
@Entity('admin_auth_failures')
export class AdminAuthFailureEntity {
  @PrimaryColumn({ type: 'text' })
  ip!: string;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  @Column({ type: 'integer' })
  failures!: number;
}
