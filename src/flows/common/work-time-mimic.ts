import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const SAMPLES = 32;

/**
 * Makes a path that skips some work take about as long as the path that does it: the real path
 * reports how long that work took, the other path waits a duration drawn from the recent ones.
 * Wall-clock padding (not the Clock port): it is about response time, not business time.
 */
export class WorkTimeMimic {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(private readonly initialMs: number) {}

  /** Times `work` and keeps the duration as a sample when it succeeds (the path being imitated). */
  async measure<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await work();
    this.record(performance.now() - started);
    return result;
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % SAMPLES;
  }

  /** Waits as long as a randomly chosen recent sample (the initial estimate before any). */
  async imitate(): Promise<void> {
    const pick =
      this.samples.length === 0 ? this.initialMs : this.samples[randomInt(this.samples.length)];
    await sleep(pick);
  }
}
