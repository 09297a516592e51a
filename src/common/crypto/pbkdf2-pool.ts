import { Worker } from 'node:worker_threads';
import { AppError } from '#src/common/errors/app-error.js';

// Runs in each worker: synchronous PBKDF2 off the main thread and off libuv's shared pool, so a
// burst of slow hashes never queues the database driver's DNS/fs work behind it.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { pbkdf2Sync } = require('node:crypto');
parentPort.on('message', ({ id, password, salt, iterations, keylen }) => {
  try {
    const out = pbkdf2Sync(password, Buffer.from(salt, 'base64'), iterations, keylen, 'sha256');
    parentPort.postMessage({ id, hash: out.toString('base64') });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err) });
  }
});
`;

interface Job {
  id: number;
  password: string;
  salt: string;
  iterations: number;
  keylen: number;
  resolve: (hash: Buffer) => void;
  reject: (err: Error) => void;
}

/**
 * A bounded pool of worker threads for PBKDF2. At most `concurrency` hashes run at once and at
 * most `maxQueue` wait; past that the caller gets 503 SERVICE_UNAVAILABLE with Retry-After, so a
 * flood of verifications cannot take the CPU from everything else.
 */
export class Pbkdf2Pool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 1;

  constructor(
    private readonly concurrency: number,
    private readonly maxQueue: number,
  ) {}

  hash(password: string, salt: Buffer, iterations: number, keylen = 32): Promise<Buffer> {
    if (this.running.size >= this.concurrency && this.queue.length >= this.maxQueue) {
      return Promise.reject(
        new AppError('SERVICE_UNAVAILABLE', 'Too many verifications in progress; retry shortly', {
          retryAfter: 1,
        }),
      );
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        password,
        salt: salt.toString('base64'),
        iterations,
        keylen,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new Error('pool closed'));
    await Promise.all(this.all.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker =
        this.idle.pop() ?? (this.all.length < this.concurrency ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.postMessage({
        id: job.id,
        password: job.password,
        salt: job.salt,
        iterations: job.iterations,
        keylen: job.keylen,
      });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (msg: { hash?: string; error?: string }) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      this.idle.push(worker);
      if (job) {
        if (msg.hash) job.resolve(Buffer.from(msg.hash, 'base64'));
        else job.reject(new Error(msg.error ?? 'pbkdf2 failed'));
      }
      this.pump();
    });
    worker.on('error', (err) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      this.all.splice(this.all.indexOf(worker), 1);
      job?.reject(err);
      this.pump();
    });
    this.all.push(worker);
    return worker;
  }
}
