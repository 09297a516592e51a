import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '#src/common/clock/clock.js';

const SAMPLES = 32;
const INITIAL_BUDGET_MS = 20;

/** Waiting in real time: the port WorkTimeMimic waits through, so tests can drive it. */
export abstract class Sleeper {
  abstract sleep(ms: number): Promise<void>;
}

@Injectable()
export class TimerSleeper extends Sleeper {
  async sleep(ms: number): Promise<void> {
    await sleep(ms);
  }
}

/**
 * Makes a path that skips some work answer when the path that does it would. Before the paths
 * part, `deadline()` schedules one instant on the Clock: now plus the longest recent duration of
 * the real work. Each path does its work, then `until(deadline)` waits for that instant. The
 * answer comes at the deadline on both paths; only real work slower than every recent sample ends
 * later.
 */
@Injectable()
export class WorkTimeMimic {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {}

  /** The instant both paths answer at, for work starting now. */
  deadline(): Date {
    const budget = this.samples.length === 0 ? INITIAL_BUDGET_MS : Math.max(...this.samples);
    return new Date(this.clock.now().getTime() + budget);
  }

  /** Runs the real path's work and keeps its duration on the Clock as a sample when it succeeds. */
  async measure<T>(work: () => Promise<T>): Promise<T> {
    const started = this.clock.now().getTime();
    const result = await work();
    this.record(this.clock.now().getTime() - started);
    return result;
  }

  record(ms: number): void {
    this.samples[this.next] = Math.max(0, ms);
    this.next = (this.next + 1) % SAMPLES;
  }

  /** Waits until `deadline` on the Clock; at once if it has passed. */
  async until(deadline: Date): Promise<void> {
    const left = deadline.getTime() - this.clock.now().getTime();
    if (left > 0) await this.sleeper.sleep(left);
  }
}
