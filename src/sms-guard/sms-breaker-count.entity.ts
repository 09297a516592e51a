import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Codes sent and verified per destination prefix and time bucket (a tenth of the window): the
 * breaker's rolling counts when Redis is not configured.
 */
@Entity({ name: 'sms_breaker_counts' })
export class SmsBreakerCountEntity {
  @PrimaryColumn({ type: 'text' })
  prefix!: string;

  /** floor(epoch ms / bucket length). */
  @PrimaryColumn({ type: 'bigint' })
  bucket!: string;

  @Column({ type: 'int', default: 0 })
  sends!: number;

  @Column({ type: 'int', default: 0 })
  verified!: number;
}
