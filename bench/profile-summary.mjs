// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by package (or file) and the top
// functions. Usage: node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg || 25);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) {
  self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (url) => {
  if (!url) return '(native/vm)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return url;
  const d = /\/(dist\/src\/[^/]+)/.exec(url);
  return d ? d[1] : url.split('/').slice(-2).join('/');
};
const pkg = new Map();
const fn = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  const { functionName, url, lineNumber } = n.callFrame;
  const p =
    functionName === '(idle)' ||
    functionName === '(program)' ||
    functionName === '(garbage collector)'
      ? functionName
      : where(url);
  pkg.set(p, (pkg.get(p) ?? 0) + t);
  const k = `${functionName || '(anonymous)'} ${where(url)}:${lineNumber + 1}`;
  fn.set(k, (fn.get(k) ?? 0) + t);
}
const pct = (t) => ((100 * t) / total).toFixed(1).padStart(5) + ' %';
console.log(`total ${(total / 1e6).toFixed(2)} s sampled`);
console.log('\nby package/file:');
for (const [k, t] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t), k);
console.log('\ntop functions (self):');
for (const [k, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t), k);
