import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface AdminAuthFailureWindow {
  failures: number;
  windowStartedAt: Date;
}

/** Per-IP failed admin authentications in fixed windows; every change is one atomic statement. */
@Injectable()
export class AdminAuthFailureRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The window still open at `now` for this IP, if any. */
  async findOpen(ip: string, now: Date, windowMs: number): Promise<AdminAuthFailureWindow | null> {
    const rows: { failures: number; window_started_at: Date }[] = await this.ds.query(
      `SELECT failures, window_started_at FROM admin_auth_failures
       WHERE ip = $1 AND window_started_at > $2`,
      [ip, new Date(now.getTime() - windowMs)],
    );
    const r = rows[0];
    return r ? { failures: r.failures, windowStartedAt: r.window_started_at } : null;
  }

  /** Counts one failure; a window older than `windowMs` restarts at `now`. */
  async recordFailure(ip: string, now: Date, windowMs: number): Promise<AdminAuthFailureWindow> {
    const rows: { failures: number; window_started_at: Date }[] = await this.ds.query(
      `INSERT INTO admin_auth_failures AS f (ip, window_started_at, failures) VALUES ($1, $2, 1)
       ON CONFLICT (ip) DO UPDATE SET
         failures = CASE WHEN f.window_started_at <= $3 THEN 1 ELSE f.failures + 1 END,
         window_started_at = CASE WHEN f.window_started_at <= $3 THEN $2 ELSE f.window_started_at END
       RETURNING failures, window_started_at`,
      [ip, now, new Date(now.getTime() - windowMs)],
    );
    return { failures: rows[0].failures, windowStartedAt: rows[0].window_started_at };
  }

  async purgeBefore(before: Date): Promise<number> {
    const [, affected] = await this.ds.query<[unknown[], number]>(
      'DELETE FROM admin_auth_failures WHERE window_started_at < $1',
      [before],
    );
    return affected;
  }
}
