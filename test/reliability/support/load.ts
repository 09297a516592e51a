import type { Answer } from './http.js';

/**
 * Background load: `concurrency` loops each running `step(i)` until stopped or `maxRequests` were
 * made. Lets a test wait until a number of answers came back before and after a fault.
 */
export class Load {
  /** Answers in completion order, each with the index its step was called with. */
  readonly answers: (Answer & { step: number })[] = [];
  private stopped = false;
  private running: Promise<void>[] = [];
  private next = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private readonly step: (i: number) => Promise<Answer>,
    private readonly concurrency: number,
    private readonly maxRequests: number,
  ) {}

  start(): this {
    this.running = Array.from({ length: this.concurrency }, async () => {
      while (!this.stopped && this.next < this.maxRequests) {
        const step = this.next++;
        this.answers.push({ ...(await this.step(step)), step });
        this.waiters = this.waiters.filter((w) => {
          if (this.answers.length < w.count) return true;
          w.resolve();
          return false;
        });
      }
    });
    return this;
  }

  /** Resolves once `count` answers came back in total (or the load ran out of requests). */
  async reached(count: number): Promise<void> {
    if (this.answers.length >= count) return;
    const done = Promise.all(this.running).then(() => undefined);
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push({ count, resolve })),
      done,
    ]);
  }

  async stop(): Promise<(Answer & { step: number })[]> {
    this.stopped = true;
    await Promise.all(this.running);
    return this.answers;
  }
}
