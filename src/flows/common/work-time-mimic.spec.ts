import { describe, expect, it } from '@jest/globals';
import { Clock } from '#src/common/clock/clock.js';
import { Sleeper, WorkTimeMimic } from './work-time-mimic.js';

class ManualClock extends Clock {
  ms = Date.parse('2026-01-15T10:00:00.000Z');
  now(): Date {
    return new Date(this.ms);
  }
}

/** Sleeps on the manual clock: moves it forward and records when each wait ended. */
class ClockSleeper extends Sleeper {
  readonly wokeAt: number[] = [];
  constructor(private readonly clock: ManualClock) {
    super();
  }
  sleep(ms: number): Promise<void> {
    this.clock.ms += ms;
    this.wokeAt.push(this.clock.ms);
    return Promise.resolve();
  }
}

function setup() {
  const clock = new ManualClock();
  const sleeper = new ClockSleeper(clock);
  const sut = new WorkTimeMimic(clock, sleeper);
  /** Work that takes `ms` on the clock. */
  const work = (ms: number) => () => {
    clock.ms += ms;
    return Promise.resolve('done');
  };
  return { clock, sleeper, sut, work };
}

describe(WorkTimeMimic.name, () => {
  it('should answer both paths at the same scheduled deadline on the clock', async () => {
    const { clock, sut, work } = setup();
    await sut.measure(work(40)); // one sample of the real path

    const realStart = clock.ms;
    const real = sut.deadline();
    await sut.measure(work(25));
    await sut.until(real);
    const realEnd = clock.ms;

    const decoyStart = clock.ms;
    const decoy = sut.deadline();
    await work(3)();
    await sut.until(decoy);
    const decoyEnd = clock.ms;

    expect(real.getTime() - realStart).toBe(40);
    expect(decoy.getTime() - decoyStart).toBe(40);
    expect(realEnd).toBe(real.getTime());
    expect(decoyEnd).toBe(decoy.getTime());
  });

  it('should schedule the deadline at the slowest recent sample, and the initial estimate before any', async () => {
    const { clock, sut, work } = setup();
    expect(sut.deadline().getTime() - clock.ms).toBe(20);
    for (const ms of [12, 55, 30]) await sut.measure(work(ms));
    expect(sut.deadline().getTime() - clock.ms).toBe(55);
  });

  it('should not wait when the work has passed the deadline, and forget samples beyond the last 32', async () => {
    const { clock, sleeper, sut, work } = setup();
    await sut.measure(work(10));
    const deadline = sut.deadline();
    await sut.measure(work(15));
    await sut.until(deadline);
    expect(clock.ms - deadline.getTime()).toBe(5);
    expect(sleeper.wokeAt).toEqual([]);
    for (let i = 0; i < 32; i++) await sut.measure(work(1));
    expect(sut.deadline().getTime() - clock.ms).toBe(1);
  });

  it('should keep no sample of work that failed', async () => {
    const { clock, sut } = setup();
    await expect(
      sut.measure(() => {
        clock.ms += 500;
        return Promise.reject(new Error('delivery failed'));
      }),
    ).rejects.toThrow('delivery failed');
    expect(sut.deadline().getTime() - clock.ms).toBe(20);
  });
});
