import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
// The suite runs its own build of the app: the same compiler and settings as `nest build`
// (tsc builder, tsconfig.build.json) but a private output directory per test process, so another
// build of dist/ (which `nest build` empties first) never pulls files from under running
// instances. Inside node_modules, so the build still resolves the project's packages.
const BUILDS = join(ROOT, 'node_modules/.cache/codeward-reliability');
const BUILD = join(BUILDS, String(process.pid));

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles the app when this process has no build yet or the sources changed since. Returns the
 * built entry point (dist/src/main.js of the private build).
 */
export function ensureBuilt(): string {
  for (const entry of existsSync(BUILDS) ? readdirSync(BUILDS) : []) {
    if (!alive(Number(entry))) rmSync(join(BUILDS, entry), { recursive: true, force: true });
  }
  const main = join(BUILD, 'dist/src/main.js');
  const sources = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
  const newest = Math.max(...sources.map((s) => newestMtime(join(ROOT, s))));
  if (existsSync(main) && statSync(main).mtimeMs >= newest) return main;

  mkdirSync(BUILD, { recursive: true });
  // The build's own package scope: ES modules, and `#src/…` naming this build (package.json
  // "imports" of the project names its dist/).
  writeFileSync(
    join(BUILD, 'package.json'),
    JSON.stringify({ type: 'module', imports: { '#src/*.js': './dist/src/*.js' } }),
  );
  const tsconfig = join(BUILD, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.build.json'),
      compilerOptions: { outDir: './dist-next', sourceMap: false },
    }),
  );
  rmSync(join(BUILD, 'dist-next'), { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: 180_000,
  });
  rmSync(join(BUILD, 'dist'), { recursive: true, force: true });
  renameSync(join(BUILD, 'dist-next'), join(BUILD, 'dist'));
  return main;
}
