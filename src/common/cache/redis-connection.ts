import { Logger } from '@nestjs/common';
import { createClient, type RedisClientType } from '@redis/client';

/**
 * The shared Redis client, set up so an outage never stalls a request: no offline queue (commands
 * fail at once while disconnected), bounded connect time, and reconnection in the background.
 */
export class RedisConnection {
  private readonly logger = new Logger('Redis');
  private lastErrorLog = 0;
  readonly client: RedisClientType;

  constructor(url: string) {
    this.client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 1_000,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1_000),
      },
    });
    this.client.on('error', (err: Error) => {
      // At most one line every 5 s while Redis is down.
      if (Date.now() - this.lastErrorLog > 5_000) {
        this.lastErrorLog = Date.now();
        this.logger.warn(`redis unavailable: ${err.message}`);
      }
    });
    this.client.on('ready', () => this.logger.log('redis connected'));
    this.client.connect().catch(() => undefined);
  }

  get ready(): boolean {
    return this.client.isReady;
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close().catch(() => this.client.destroy());
    else this.client.destroy();
  }
}

/** Rejects after `ms` so a slow store can never hold a request. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
