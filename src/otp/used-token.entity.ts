import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Ids of verification/reset tokens already consumed, kept until the token would have expired. */
@Entity({ name: 'used_tokens' })
export class UsedTokenEntity {
  @PrimaryColumn({ type: 'uuid' })
  jti!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'consumed_at', type: 'timestamptz' })
  consumedAt!: Date;

  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
