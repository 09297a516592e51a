import { Injectable } from '@nestjs/common';

/** Source of the current time. Every time-based rule asks this, so tests can move time. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
