import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OTP_PEPPER = 'reliability-pepper-0123456789abcdef0123';
export const TOKEN_SECRET = 'reliability-token-secret-0123456789abcdef';
export const ADMIN_KEY = 'reliability-admin-key-0123456789';

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` every `everyMs` until it returns true; throws after `timeoutMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  everyMs = 100,
  giveUp?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = giveUp?.();
    if (reason) throw new Error(`gave up waiting for ${what}: ${reason}`);
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface InstanceOptions {
  main: string;
  env: Record<string, string>;
  /** Wait for /health/live instead of /health/ready (e.g. when Redis is deliberately down). */
  waitFor?: 'ready' | 'live' | 'none';
  startTimeoutMs?: number;
}

/** One `node dist/src/main.js` process on its own port; keeps the tail of its output. */
export class Instance {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitCode: number | null | undefined = undefined;

  private constructor(
    readonly proc: ChildProcess,
    readonly port: number,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exitCode = code;
        resolve({ code, signal });
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** The last ~20 KB the process wrote (for failure messages). */
  get logs(): string {
    return this.output;
  }

  static async start(options: InstanceOptions): Promise<Instance> {
    const port = await freePort();
    const cwd = mkdtempSync(join(tmpdir(), 'cw-rel-')); // no .env, no ./data of the repo
    const proc = spawn(process.execPath, [options.main], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        OTP_PEPPER,
        TOKEN_SECRET,
        ADMIN_API_KEYS: ADMIN_KEY,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const instance = new Instance(proc, port);
    const path = { ready: '/health/ready', live: '/health/live', none: '' }[
      options.waitFor ?? 'ready'
    ];
    if (path) {
      try {
        await until(
          `${path} on port ${port}`,
          async () => {
            const res = await fetch(instance.url + path, { signal: AbortSignal.timeout(2_000) });
            await res.arrayBuffer();
            return res.status === 200;
          },
          options.startTimeoutMs ?? 60_000,
          100,
          () => (instance.alive ? undefined : `exited with ${instance.exitCode}`),
        );
      } catch (err) {
        instance.kill();
        throw new Error(`instance did not start: ${(err as Error).message}\n${instance.logs}`, {
          cause: err,
        });
      }
      if (!instance.alive) throw new Error(`instance exited during start-up\n${instance.logs}`);
    }
    return instance;
  }

  /** Sends a signal and waits (bounded) for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000) {
    if (!this.alive) return this.exited;
    this.proc.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`instance on ${this.port} did not exit within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Throws with the process's last output when it is no longer running. */
  assertAlive(): void {
    if (!this.alive) {
      throw new Error(`instance on ${this.port} exited (${this.exitCode})\n${this.logs}`);
    }
  }

  kill(): void {
    if (this.alive) this.proc.kill('SIGKILL');
  }
}

/** Starts several instances in parallel; on any failure, stops the others. */
export async function startInstances(count: number, options: InstanceOptions): Promise<Instance[]> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => Instance.start(options)),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    for (const r of results) if (r.status === 'fulfilled') r.value.kill();
    throw failed.reason;
  }
  return results.map((r) => (r as PromiseFulfilledResult<Instance>).value);
}
