import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './instance.js';

/**
 * A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL here). `cut('reset')` drops every
 * connection and refuses new ones (a restart or crash); `cut('blackhole')` freezes every connection
 * and accepts new ones without ever forwarding (a network partition). `restore()` heals it.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  private mode: 'open' | 'reset' | 'blackhole' = 'open';
  private readonly held = new Set<Socket>();
  connections = 0;

  private constructor(
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(await freePort(), targetPort);
    await proxy.listen();
    return proxy;
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.mode === 'blackhole') {
      this.held.add(client);
      client.once('close', () => this.held.delete(client));
      return;
    }
    this.connections += 1;
    const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const done = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', done);
    upstream.once('close', done);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  async cut(how: 'reset' | 'blackhole' = 'reset'): Promise<void> {
    this.mode = how;
    if (how === 'reset') {
      const server = this.server;
      this.server = null;
      const closed = server ? new Promise<void>((r) => server.close(() => r())) : undefined;
      for (const [a, b] of this.pairs) {
        a.resetAndDestroy();
        b.destroy();
      }
      this.pairs.clear();
      await closed;
    } else {
      // Freeze: nothing more flows either way, but no socket closes.
      for (const [a, b] of this.pairs) {
        a.unpipe(b);
        b.unpipe(a);
        a.pause();
        b.pause();
      }
    }
  }

  async restore(): Promise<void> {
    const was = this.mode;
    this.mode = 'open';
    if (was === 'blackhole') {
      // The frozen connections are dead to their clients by now: drop them, as a healed
      // partition does once TCP gives up.
      for (const [a, b] of this.pairs) {
        a.resetAndDestroy();
        b.destroy();
      }
      this.pairs.clear();
      for (const s of this.held) s.resetAndDestroy();
      this.held.clear();
    }
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.cut('reset');
    for (const s of this.held) s.destroy();
  }
}
