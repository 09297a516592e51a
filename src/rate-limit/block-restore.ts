import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import { DurableRateLimitCounter, VolatileRateLimitCounter } from './rate-limit-counter.js';

const PAGE = 500;
/**
 * How long a restore vouches for Redis. Every way Redis can miss a block is also signalled at once
 * (a reconnection, or a block decided in PostgreSQL while Redis answered late, drop the mark), so
 * this only bounds the case where that signal itself was lost; past it, the next client Redis does
 * not know starts a new restore. Long enough that even a very large table of blocks (an attack
 * from many addresses) is not re-read often.
 */
export const RESTORE_VALID_MS = 10 * 60_000;

/**
 * Copies every block standing in PostgreSQL into Redis, in pages, then marks Redis as holding
 * them all. Until then (boot, a Redis restart or flush, a reconnect), a client Redis does not
 * know is looked up in PostgreSQL one by one; after it, a new client costs no PostgreSQL query
 * (a flood from many addresses would otherwise cost one each). One restore at a time per
 * instance; a failed one is retried by the next client Redis does not know.
 */
@Injectable()
export class BlockRestore {
  private readonly logger = new Logger(BlockRestore.name);
  private running: Promise<void> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly redis: VolatileRateLimitCounter,
    private readonly pg: DurableRateLimitCounter,
  ) {}

  /** Starts a restore unless one is running; resolves when that one ends (never rejects). */
  start(): Promise<void> {
    this.running ??= this.run()
      .catch((err: unknown) => {
        this.logger.warn(`restoring IP blocks into Redis failed: ${(err as Error).message}`);
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async run(): Promise<void> {
    // The epoch is read before PostgreSQL: an unblock after this point makes every later seed,
    // and the mark, a no-op (the next unknown client starts again).
    const epoch = await this.redis.unblockEpoch();
    const now = this.clock.now();
    let after: { ip: string; endpoint: string } | null = null;
    for (;;) {
      const page = await this.pg.activeBlocks(now, after, PAGE);
      const seeded = await Promise.all(
        page.map((b) =>
          this.redis.seedBlock(b.ip, b.endpoint, now, b.blockedUntil, b.count, epoch),
        ),
      );
      if (seeded.includes(false)) return;
      if (page.length < PAGE) break;
      after = page[page.length - 1];
    }
    await this.redis.markRestored(epoch, RESTORE_VALID_MS);
  }
}
