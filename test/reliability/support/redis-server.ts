import { spawn, type ChildProcess } from 'node:child_process';
import { createClient } from '@redis/client';
import { freePort, until } from './instance.js';

/** A private `redis-server` on a spare loopback port that a test can kill and restart. */
export class RedisServer {
  private proc: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  /** Starts (again) on the same port and waits until it answers PING. */
  async restart(): Promise<void> {
    if (this.proc) return;
    const proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.proc = proc;
    proc.once('exit', () => {
      if (this.proc === proc) this.proc = null;
    });
    await until(`redis-server on ${this.port}`, () => this.ping(), 10_000, 50);
  }

  /** SIGKILL: no goodbye to clients, the way a crashed or partitioned Redis looks. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
    this.proc = null;
  }

  async ping(): Promise<boolean> {
    const client = createClient({
      url: this.url,
      socket: { connectTimeout: 500, reconnectStrategy: false },
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.destroy();
    }
  }

  /** Keys matching `pattern` (SCAN), for checking what the service wrote to Redis. */
  async keys(pattern: string): Promise<string[]> {
    const client = createClient({
      url: this.url,
      socket: { connectTimeout: 500, reconnectStrategy: false },
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.keys(pattern);
    } finally {
      client.destroy();
    }
  }
}
