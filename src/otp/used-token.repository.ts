import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryRows } from '#src/common/database/query.js';

/** Ids of consumed tokens, kept until the token would have expired. */
@Injectable()
export class UsedTokenRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records a token id as used; true only the first time. */
  async markUsed(jti: string, kind: string, now: Date, expiresAt: Date): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `INSERT INTO used_tokens (jti, kind, consumed_at, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (jti) DO NOTHING RETURNING jti`,
      [jti, kind, now, expiresAt],
    );
    return rows.length === 1;
  }

  async purgeExpired(now: Date): Promise<void> {
    await execute(
      this.db,
      `DELETE FROM used_tokens WHERE jti IN (SELECT jti FROM used_tokens WHERE expires_at <= $1 LIMIT 5000)`,
      [now],
    );
  }
}
