import { createHmac, randomBytes } from 'node:crypto';
import pg from 'pg';
import { OTP_PEPPER } from './instance.js';

/** The PostgreSQL server (CI sets DATABASE_URL) and Redis (REDIS_URL); loopback defaults otherwise. */
export const PG_BASE_URL = process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/postgres';
export const REDIS_BASE_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A fresh database for one suite, a pool to inspect it, and its URL (optionally via another port). */
export class SuiteDatabase {
  readonly pool: pg.Pool;

  private constructor(
    readonly name: string,
    readonly url: string,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
  }

  static async create(): Promise<SuiteDatabase> {
    const name = `cw_rel_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_BASE_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(PG_BASE_URL);
    url.pathname = `/${name}`;
    return new SuiteDatabase(name, url.toString());
  }

  /** This database's URL with the host port replaced (e.g. to go through a TCP proxy). */
  urlViaPort(port: number): string {
    const url = new URL(this.url);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    return url.toString();
  }

  get serverPort(): number {
    return Number(new URL(this.url).port || 5432);
  }

  async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  /** Audit events of `type` for a normalised recipient (audit_events.recipient_hash). */
  async auditCount(type: string, recipient: string): Promise<number> {
    const rows = await this.query<{ n: string }>(
      'SELECT count(*) AS n FROM audit_events WHERE type = $1 AND recipient_hash = $2',
      [type, recipientHash(recipient)],
    );
    return Number(rows[0].n);
  }

  async drop(): Promise<void> {
    await this.pool.end();
    const admin = new pg.Client({ connectionString: PG_BASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

/**
 * audit_events.recipient_hash as AuditService writes it: HMAC-SHA256 of the normalised recipient
 * under a key derived from OTP_PEPPER (src/audit/audit.service.ts).
 */
export function recipientHash(recipient: string): string {
  const key = createHmac('sha256', OTP_PEPPER).update('codeward:audit-recipient:v1').digest();
  return createHmac('sha256', key).update(recipient).digest('hex');
}

/** A unique Redis key prefix per suite, so suites sharing one Redis never see each other's keys. */
export const redisPrefix = (): string => `rel${randomBytes(4).toString('hex')}:`;
