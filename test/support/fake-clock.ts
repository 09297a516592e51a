import { Clock } from '#src/common/clock/clock.js';

/** A clock tests move by hand: expiry, cooldown and lockout without sleeping. */
export class FakeClock extends Clock {
  private ms: number;

  constructor(start: Date | string = '2026-01-15T10:00:00.000Z') {
    super();
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  advanceSeconds(s: number): void {
    this.ms += s * 1000;
  }
}
