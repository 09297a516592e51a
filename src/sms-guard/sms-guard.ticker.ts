import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import { BreakerCounter } from './breaker-counter.js';
import { BreakerStates } from './breaker-states.js';

const TICK_MS = 1_000;
const PURGE_EVERY_TICKS = 600;

/**
 * Once a second, off every request's path: writes the buffered verifications, refreshes this
 * instance's view of the breakers (and so the open-breakers gauge), and every ten minutes drops
 * count buckets that left the window.
 */
@Injectable()
export class SmsGuardTicker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SmsGuard');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private ticks = 0;

  constructor(
    private readonly clock: Clock,
    private readonly counter: BreakerCounter,
    private readonly states: BreakerStates,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => {
        this.running = null;
      });
    }, TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.counter.flush(this.clock.now()).catch(() => undefined);
  }

  async tick(): Promise<void> {
    const now = this.clock.now();
    try {
      await this.counter.flush(now);
      await this.states.refreshIfStale(now);
      if (++this.ticks % PURGE_EVERY_TICKS === 0) await this.counter.purge(now);
    } catch (err) {
      this.logger.debug(`sms guard tick failed: ${(err as Error).message}`);
    }
  }
}
