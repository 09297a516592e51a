import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
// A private copy of dist/, so another `nest build` (which empties dist/) cannot pull files from
// under running instances. Inside node_modules so the copy still resolves the project's packages.
// One copy per test process, so two runs at once never replace each other's files either.
const SNAPSHOTS = join(ROOT, 'node_modules/.cache/codeward-reliability');
const SNAPSHOT = join(SNAPSHOTS, String(process.pid));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds the app with `nest build` when dist/ is missing or older than the sources, then snapshots
 * it. Returns the path of the built entry point (the snapshot's dist/src/main.js).
 */
export function ensureBuilt(): string {
  const main = join(ROOT, 'dist/src/main.js');
  const sources = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
  const newest = Math.max(...sources.map((s) => newestMtime(join(ROOT, s))));
  if (!existsSync(main) || statSync(main).mtimeMs < newest) {
    execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 180_000 });
  }
  for (const entry of existsSync(SNAPSHOTS) ? readdirSync(SNAPSHOTS) : []) {
    if (!alive(Number(entry))) rmSync(join(SNAPSHOTS, entry), { recursive: true, force: true });
  }
  rmSync(SNAPSHOT, { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), join(SNAPSHOT, 'dist'), { recursive: true });
  return join(SNAPSHOT, 'dist/src/main.js');
}

export const snapshotPath = (relative: string): string => join(SNAPSHOT, 'dist', relative);
