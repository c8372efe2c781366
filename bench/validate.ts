/**
 * Validation benchmark (a script, not a test): `npm run build && node dist/bench/validate.js [--envs N] [--runs N]`.
 *
 * Generates N (default 100) varied environment specs in a temp repository (bench/lib.ts: mixed classes, routing,
 * existing networks, KMS modes, artifacts, a shared `extends` base, configuration options), then
 * validates all of them in this one process, `--runs` times (default 5): schema + every MWAA rule +
 * cross-file rules. Prints min/median/max wall time of validateFiles and peak RSS. The first run
 * includes schema compilation and rule-table loading (cold); all runs are reported.
 */
import * as fs from 'fs';
import { hasErrors } from '../src/findings';
import { discoverEnvironments, validateFiles } from '../src/engine/validate';
import { arg, makeRepo } from './lib';

function main(): void {
  const envs = arg('--envs', 100);
  const runs = arg('--runs', 5);
  const root = makeRepo(envs);
  const files = discoverEnvironments(root);
  const times: number[] = [];
  let report = validateFiles([], { repoRoot: root });
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    report = validateFiles(files, { repoRoot: root });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const byRule = new Map<string, number>();
  for (const f of report.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`validate ${files.length} specs in one process, ${runs} runs (first run cold: schema compile + rule tables)`);
  console.log(`  runs (ms):   ${times.map((t) => t.toFixed(1)).join(', ')}`);
  console.log(`  min/median/max: ${sorted[0].toFixed(1)} / ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} / ${sorted[sorted.length - 1].toFixed(1)} ms`);
  console.log(`  peak RSS:    ${rssMb.toFixed(1)} MB`);
  console.log(`  findings:    ${report.findings.length} (${[...byRule].map(([k, v]) => `${k} x${v}`).join(', ') || 'none'}); invalid: ${hasErrors(report.findings)}`);
  fs.rmSync(root, { recursive: true, force: true });
}

main();
