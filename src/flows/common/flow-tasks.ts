import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Work a flow finishes after answering (so the answer's timing does not depend on it), tracked so
 * that shutdown waits for it and tests can wait for it. A task's failure is logged, never thrown.
 */
@Injectable()
export class FlowTasks implements BeforeApplicationShutdown {
  private readonly logger = new Logger(FlowTasks.name);
  private readonly running = new Set<Promise<void>>();

  /**
   * Starts `task` on a later turn of the event loop, after the current request's answer has been
   * written (the embedded database runs queries on the event loop, so starting at once would delay
   * the answer by the task's first queries).
   */
  run(name: string, task: () => Promise<void>): void {
    const p = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((err: unknown) => this.logger.error({ err, task: name }, 'background task failed'))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves once every task started so far, and any they started, has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.idle();
  }
}
