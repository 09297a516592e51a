import type { HitResult } from '#src/rate-limit/rate-limit.types.js';
import { hitResult } from './rate-limit.factory.js';

// Fakes of RateLimitStore's collaborators for unit specs: each answers what a case scripts and
// records what it was asked. The real stores are tested on real servers (test/integration).

/** RedisRateLimitStore: scripted hit() answers; `failure` makes every call throw. */
export class FakeRedisStore {
  available = true;
  failure: Error | null = null;
  /** Answers of hit(), in order; `null` = Redis does not know the key (asked with ifKnown). */
  answers: (HitResult | null)[] = [];
  seeded: { ip: string; endpoint: string; blockedUntil: Date; count: number }[] = [];
  cleared: { ip: string; endpoints: string[] }[] = [];

  async hit(): Promise<HitResult | null> {
    if (this.failure) throw this.failure;
    if (this.answers.length === 0) throw new Error('unexpected redis hit');
    return this.answers.shift()!;
  }

  epoch = '0';
  /** The epoch and ttl of each markRestored() that applied. */
  marks: { epoch: string; ttlMs: number }[] = [];
  forgotten = 0;

  async unblockEpoch(): Promise<string> {
    if (this.failure) throw this.failure;
    return this.epoch;
  }

  async seedBlock(
    ip: string,
    endpoint: string,
    _now: Date,
    blockedUntil: Date,
    count: number,
    epoch: string,
  ): Promise<boolean> {
    if (epoch !== this.epoch) return false;
    this.seeded.push({ ip, endpoint, blockedUntil, count });
    return true;
  }

  async markRestored(epoch: string, ttlMs: number): Promise<boolean> {
    if (epoch !== this.epoch) return false;
    this.marks.push({ epoch, ttlMs });
    return true;
  }

  async forgetRestored(): Promise<void> {
    if (this.failure) throw this.failure;
    this.forgotten++;
  }

  async clear(ip: string, endpoints: string[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.cleared.push({ ip, endpoints });
  }
}

/** PostgresRateLimitStore: one hit() answer, blocks by `<endpoint>|<ip>`. */
export class FakePostgresStore {
  failure: Error | null = null;
  answer: HitResult = hitResult();
  hits = 0;
  blocks = new Map<string, Date>();
  recorded: { ip: string; endpoint: string; blockedUntil: Date; count: number }[] = [];

  async hit(): Promise<HitResult> {
    if (this.failure) throw this.failure;
    this.hits++;
    return this.answer;
  }

  async findBlock(ip: string, endpoint: string, now: Date): Promise<Date | null> {
    const until = this.blocks.get(`${endpoint}|${ip}`);
    return until && until > now ? until : null;
  }

  /** Pages asked of activeBlocks(). */
  pages = 0;

  async activeBlocks(
    now: Date,
    after: { ip: string; endpoint: string } | null,
    limit: number,
  ): Promise<{ ip: string; endpoint: string; blockedUntil: Date; count: number }[]> {
    this.pages++;
    return [...this.blocks]
      .filter(([, until]) => until > now)
      .map(([key, blockedUntil]) => {
        const [endpoint, ip] = key.split('|');
        return { ip, endpoint, blockedUntil, count: 4 };
      })
      .sort((a, b) => (a.ip + '|' + a.endpoint < b.ip + '|' + b.endpoint ? -1 : 1))
      .filter((b) => !after || b.ip + '|' + b.endpoint > after.ip + '|' + after.endpoint)
      .slice(0, limit);
  }

  async recordBlock(
    ip: string,
    endpoint: string,
    _now: Date,
    blockedUntil: Date,
    count: number,
  ): Promise<void> {
    this.recorded.push({ ip, endpoint, blockedUntil, count });
  }

  async unblock(ip: string): Promise<string[]> {
    return [...this.blocks.keys()].filter((k) => k.endsWith(`|${ip}`)).map((k) => k.split('|')[0]);
  }
}

/** AppCache without expiry. */
export class FakeCache {
  readonly entries = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    return this.entries.get(key) as T | undefined;
  }
  async set<T>(key: string, value: T): Promise<void> {
    this.entries.set(key, value);
  }
  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

/** AuditService: the recorded events. */
export class FakeAudit {
  readonly events: { type: string; ip?: string; details?: Record<string, unknown> }[] = [];
  async record(event: { type: string; ip?: string; details?: Record<string, unknown> }) {
    this.events.push(event);
  }
}
