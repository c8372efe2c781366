/**
 * Synthesis benchmark (a script, not a test): `node dist/bench/synth.js [--runs N] [--envs N]`.
 *
 *  1. `mwaa-gitops synth` of one environment in a cold process (node bin/mwaa-gitops, validation included);
 *  2. the same for 100 environments: wall time and peak RSS (GNU time when available);
 *  3. `cdktf synth` (cdktf-cli 0.21.0) on the same app (dist/main.js through cdktf.json) and the same
 *     repositories, run alternately with (1) and (2), and the ratio.
 *
 * cdktf-cli is not a project dependency (476 packages, ~420 MB with jsii/pacmak); the script uses
 * `CDKTF_CLI` or ~/.cache/mwaa-gitops/cdktf-cli-0.21.0/node_modules/.bin/cdktf (bench/lib.ts CDKTF_PREFIX), installed
 * on demand with `npm install --prefix <that directory> cdktf-cli@0.21.0`. Without it, step 3 is skipped.
 * Results: printed, and written to bench/out/synth.json.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..');
const OUT = path.join(REPO, 'bench', 'out');
const BIN = path.join(REPO, 'bin', 'mwaa-gitops');
const MAIN = path.join(REPO, 'dist', 'main.js');
const CDKTF = process.env.CDKTF_CLI ?? path.join(OUT, 'cdktf-cli', 'node_modules', '.bin', 'cdktf');
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

function envYaml(name: string): string {
  return [
    'apiVersion: mwaa-gitops/v1',
    `name: ${name}`,
    'region: us-east-1',
    'account: "123456789012"',
    'airflow:',
    '  version: "2.10.3"',
    '  environmentClass: mw1.small',
    '  workers: { min: 1, max: 5 }',
    '  configuration:',
    '    core.default_task_retries: "3"',
    'tags:',
    '  team: bench',
    '',
  ].join('\n');
}

function makeRepo(n: number): string {
  const root = path.join(OUT, `synth-repo-${n}`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'environments'), { recursive: true });
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(root, 'environments', `env-${String(i).padStart(3, '0')}.yaml`), envYaml(`env-${String(i).padStart(3, '0')}`));
  fs.writeFileSync(path.join(root, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: `node ${MAIN}`, sendCrashReports: 'false' }));
  return root;
}

interface Run {
  ms: number;
  maxRssMb?: number;
}

/** One cold process; wall time measured here, peak RSS from GNU time (`%M`, KB). */
function timed(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Run {
  const rssFile = path.join(OUT, 'rss.txt');
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c, a, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  const maxRssMb = GNU_TIME ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : undefined;
  return { ms, maxRssMb };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function summarize(runs: Run[]): { medianMs: number; minMs: number; maxRssMb?: number } {
  const rss = runs.map((r) => r.maxRssMb).filter((x): x is number => x !== undefined);
  return { medianMs: Math.round(median(runs.map((r) => r.ms))), minMs: Math.round(Math.min(...runs.map((r) => r.ms))), maxRssMb: rss.length ? Math.round(Math.max(...rss)) : undefined };
}

function main(): void {
  fs.mkdirSync(OUT, { recursive: true });
  const runs = arg('--runs', 5);
  const many = arg('--envs', 100);
  const haveCdktf = fs.existsSync(CDKTF);
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CI: '1', NO_COLOR: '1' };
  const results: Record<string, unknown> = { node: process.version, runs, cdktfCli: haveCdktf ? CDKTF : null };

  for (const n of [1, many]) {
    const repo = makeRepo(n);
    const env = { ...baseEnv, MWAA_GITOPS_REPO: repo };
    const ours: Run[] = [];
    const theirs: Run[] = [];
    const count = n === 1 ? runs : Math.max(1, Math.ceil(runs / 2));
    for (let i = 0; i < count; i++) {
      // alternate the two tools so machine noise hits both alike
      fs.rmSync(path.join(repo, 'cdktf.out'), { recursive: true, force: true });
      ours.push(timed('node', [BIN, '-C', repo, 'synth'], repo, env));
      if (haveCdktf) {
        fs.rmSync(path.join(repo, 'cdktf.out'), { recursive: true, force: true });
        theirs.push(timed(CDKTF, ['synth'], repo, env));
      }
    }
    const stacks = fs.readdirSync(path.join(repo, 'cdktf.out', 'stacks')).length;
    if (stacks !== n) throw new Error(`expected ${n} stacks, found ${stacks}`);
    const o = summarize(ours);
    const entry: Record<string, unknown> = { environments: n, mwaaGitopsSynth: o };
    if (haveCdktf) {
      const t = summarize(theirs);
      entry.cdktfSynth = t;
      entry.speedup = Number((t.medianMs / o.medianMs).toFixed(1));
    }
    results[`envs_${n}`] = entry;
    process.stdout.write(`${JSON.stringify(entry)}\n`);
  }
  fs.writeFileSync(path.join(OUT, 'synth.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`written ${path.relative(process.cwd(), path.join(OUT, 'synth.json'))}\n`);
}

main();
