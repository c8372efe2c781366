/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): self time per function (name, file, line) and per package
 * (node_modules/<pkg>, node internals, or this repository), top entries first.
 *
 *   node dist/bench/profile.js <file.cpuprofile> [top=20]
 */
import * as fs from 'fs';
import * as path from 'path';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  topFunctions: ProfileEntry[];
  byPackage: ProfileEntry[];
}

function packageOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  if (url.startsWith('node:')) return 'node internals';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const dist = /\/dist\/([^/]+)\//.exec(url);
  return dist ? `mwaa-gitops ${dist[1]}/` : url;
}

export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const totalUs = p.endTime - p.startTime;
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)?.callFrame;
    if (!cf) continue;
    const where = cf.url ? `${cf.url.replace(/^file:\/\//, '').replace(/^.*?node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const k = cf.functionName.startsWith('(') && !cf.url ? cf.functionName : packageOf(cf.url);
    pkg.set(k, (pkg.get(k) ?? 0) + us);
  }
  const list = (m: Map<string, number>, n: number): ProfileEntry[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, percent: Math.round((us / totalUs) * 1000) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), topFunctions: list(fn, top), byPackage: list(pkg, 12) };
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [`total ${s.totalMs} ms (sampled)`, 'self time by package:'];
  for (const e of s.byPackage) lines.push(`  ${e.selfMs.toFixed(0).padStart(7)} ms ${e.percent.toFixed(1).padStart(5)}%  ${e.name}`);
  lines.push('top functions by self time:');
  for (const e of s.topFunctions) lines.push(`  ${e.selfMs.toFixed(0).padStart(7)} ms ${e.percent.toFixed(1).padStart(5)}%  ${e.name}`);
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile.js <file.cpuprofile> [top]\n');
    process.exitCode = 1;
  } else {
    process.stdout.write(formatProfile(summarizeProfile(path.resolve(file), Number(process.argv[3] ?? '20'))));
  }
}
