import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryRows } from '#src/common/database/query.js';

/** The row that counts every client's failures together (no client key is ever `*`). */
export const ALL_CLIENTS = '*';

export interface AdminAuthFailureCounts {
  /** This client's failures in its current window, this one included. */
  client: number;
  /** Every client's failures in the current all-clients window, this one included. */
  all: number;
}

const UPSERT = (
  param: string,
) => `INSERT INTO admin_auth_failures AS f (ip, window_started_at, failures)
    VALUES (${param}, $2, 1)
    ON CONFLICT (ip) DO UPDATE SET
      failures = CASE WHEN f.window_started_at <= $3 THEN 1 ELSE f.failures + 1 END,
      window_started_at = CASE WHEN f.window_started_at <= $3 THEN $2 ELSE f.window_started_at END
    RETURNING failures`;

/**
 * Failed admin authentications per client key and for all clients together, in fixed windows.
 * They decide how many failures are written to the audit trail, never the answer.
 */
@Injectable()
export class AdminAuthFailureRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Counts one failure for the client and for all clients, in one statement. */
  async recordFailure(
    client: string,
    now: Date,
    windowMs: number,
  ): Promise<AdminAuthFailureCounts> {
    const rows = await queryRows<AdminAuthFailureCounts>(
      this.ds,
      `WITH c AS (${UPSERT('$1')}), a AS (${UPSERT('$4')})
       SELECT c.failures AS client, a.failures AS "all" FROM c, a`,
      [client, now, new Date(now.getTime() - windowMs), ALL_CLIENTS],
    );
    return { client: Number(rows[0].client), all: Number(rows[0].all) };
  }

  async purgeBefore(before: Date): Promise<number> {
    return execute(this.ds, 'DELETE FROM admin_auth_failures WHERE window_started_at < $1', [
      before,
    ]);
  }
}
