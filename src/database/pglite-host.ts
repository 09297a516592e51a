import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';

/**
 * The embedded PostgreSQL (PGlite) behind the ordinary `pg` driver. PGlite does not lock its data
 * directory, so we take a pid lock file: two processes on one directory would corrupt it.
 */
export class PgliteHost {
  private constructor(
    readonly pglite: PGlite,
    private readonly lockFile?: string,
  ) {}

  static async open(dataDir: string): Promise<PgliteHost> {
    if (dataDir.startsWith('memory://')) return new PgliteHost(await PGlite.create(dataDir));
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    const lockFile = join(dataDir, 'pglite.lock');
    acquireLock(lockFile);
    try {
      return new PgliteHost(await PGlite.create(dir), lockFile);
    } catch (err) {
      rmSync(lockFile, { force: true });
      throw err;
    }
  }

  /** Options for TypeORM's `extra`: pg clients speak to PGlite instead of a socket. */
  pgExtra(): Record<string, unknown> {
    const cfg = createPgConfig(this.pglite);
    return { connection: cfg.connection, max: 1, idleTimeoutMillis: 0 };
  }

  async close(): Promise<void> {
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      if (this.lockFile) rmSync(this.lockFile, { force: true });
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function acquireLock(lockFile: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new Error(
          `The embedded database at ${lockFile} is in use by process ${pid}; ` +
            'stop it, or point DATA_DIR elsewhere (or use DATABASE_URL for several instances).',
          { cause: err },
        );
      }
      rmSync(lockFile, { force: true }); // stale lock from a process that is gone
    }
  }
  throw new Error(`Could not lock ${lockFile}`);
}
