/**
 * The ratios of `npm run bench`: the tool against what a user would otherwise run, side by side in one run, each pair
 * interleaved (tool, bare, bare, tool, ...) so machine drift hits both alike. Each figure is the median of the
 * pairwise ratios, on wall time and on CPU time (user + sys of the whole process tree, providers included: GNU time).
 *
 *  1. new environment (create-only), offline: `mwaa-gitops plan <env>` (validate, synth, init check, plan, summary)
 *     against bare `terraform plan -out` in the synthesized stack (same CLI config; zones pinned, fake credentials,
 *     no AWS call);
 *  2. on the emulators (moto + the MWAA fake), the dev example applied once first:
 *     - no-change plan: `mwaa-gitops plan <env>` against bare `terraform plan -out`;
 *     - drift: `mwaa-gitops drift <env>` against `terraform plan -refresh-only -out`;
 *     - a PR cycle for 10 affected environments (10 new environments on a branch): `validate`, `affected --base`,
 *       `diff --base`, `plan <env> --json-out` for each (the plan workflow's matrix job), `pr-comment --plan-json`,
 *       against 10 bare `terraform plan -out`, one per synthesized stack.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveProviderMirror, terraformEnv } from '../src/terraform/cliconfig';
import { OFFLINE_PROVIDER_OVERRIDES } from '../src/sandbox/offline';
import { startEmulators } from '../src/sandbox/emulators';
import { copyReferenced } from '../src/sandbox/example-repo';
import { BIN, GNU_TIME, median, OUT, REPO } from './lib';

export interface Sample {
  wallMs: number;
  cpuMs?: number;
  rssMb?: number;
}

export interface RatioRow {
  what: string;
  tool: string;
  bare: string;
  goal?: number;
  pairs: number;
  toolWallMs: number;
  bareWallMs: number;
  toolCpuMs?: number;
  bareCpuMs?: number;
  /** Median of the pairwise tool/bare ratios. */
  wallRatio: number;
  cpuRatio?: number;
  toolPeakRssMb?: number;
  met?: boolean;
}

const DEV = 'analytics-dev';

/** One child process, asynchronously (the MWAA fake answers from this process): wall, CPU and peak RSS. */
export function run(cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; ok?: number[] }): Promise<Sample> {
  fs.mkdirSync(OUT, { recursive: true });
  const stat = path.join(OUT, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', stat, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(c, a, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-3000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      let cpuMs: number | undefined;
      let rssMb: number | undefined;
      if (GNU_TIME && fs.existsSync(stat)) {
        const last = fs.readFileSync(stat, 'utf8').trim().split('\n').pop() ?? '';
        const [u, s, m] = last.split(' ').map(Number);
        if (Number.isFinite(u) && Number.isFinite(s)) cpuMs = (u + s) * 1000;
        if (Number.isFinite(m)) rssMb = m / 1024;
        fs.rmSync(stat, { force: true });
      }
      if (!(o.ok ?? [0]).includes(code ?? -1)) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${err}`));
      else resolve({ wallMs, cpuMs, rssMb });
    });
  });
}

/** Several commands in sequence as one sample (times added, peak RSS the largest). */
export async function sequence(steps: Array<() => Promise<Sample>>): Promise<Sample> {
  let wallMs = 0;
  let cpuMs: number | undefined = 0;
  let rssMb = 0;
  for (const s of steps) {
    const r = await s();
    wallMs += r.wallMs;
    cpuMs = cpuMs === undefined || r.cpuMs === undefined ? undefined : cpuMs + r.cpuMs;
    rssMb = Math.max(rssMb, r.rssMb ?? 0);
  }
  return { wallMs, cpuMs, rssMb: rssMb || undefined };
}

/** `pairs` interleaved pairs (tool first on even pairs, bare first on odd ones) after one warm-up of each. */
export async function pairUp(what: string, tool: string, bare: string, goal: number | undefined, pairs: number, a: () => Promise<Sample>, b: () => Promise<Sample>, log: (l: string) => void): Promise<RatioRow> {
  await a();
  await b();
  const ta: Sample[] = [];
  const tb: Sample[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      ta.push(await a());
      tb.push(await b());
    } else {
      tb.push(await b());
      ta.push(await a());
    }
  }
  const cpu = ta.every((x) => x.cpuMs !== undefined) && tb.every((x) => x.cpuMs !== undefined);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const row: RatioRow = {
    what,
    tool,
    bare,
    goal,
    pairs,
    toolWallMs: Math.round(median(ta.map((x) => x.wallMs))),
    bareWallMs: Math.round(median(tb.map((x) => x.wallMs))),
    toolCpuMs: cpu ? Math.round(median(ta.map((x) => x.cpuMs!))) : undefined,
    bareCpuMs: cpu ? Math.round(median(tb.map((x) => x.cpuMs!))) : undefined,
    wallRatio: r2(median(ta.map((x, i) => x.wallMs / tb[i].wallMs))),
    cpuRatio: cpu ? r2(median(ta.map((x, i) => x.cpuMs! / tb[i].cpuMs!))) : undefined,
    toolPeakRssMb: Math.round(Math.max(...ta.map((x) => x.rssMb ?? 0))) || undefined,
  };
  if (goal !== undefined) row.met = row.wallRatio <= goal;
  log(`  ${what}: tool ${row.toolWallMs} ms vs bare ${row.bareWallMs} ms, ratio ${row.wallRatio} wall${row.cpuRatio !== undefined ? `, ${row.cpuRatio} CPU` : ''}${goal !== undefined ? ` (goal <= ${goal})` : ''}`);
  return row;
}

function devSpec(name: string, octet: number, pinZones: boolean): string {
  const text = fs.readFileSync(path.join(REPO, 'environments', `${DEV}.yaml`), 'utf8');
  let out = text.replace(/^name: .*$/m, `name: ${name}`).replace(/10\.192\./g, `10.${octet}.`);
  if (pinZones) out = out.replace(/^extends: .*$/m, '$&\naccount: "123456789012"').replace(/^  mode: create$/m, '$&\n  availabilityZoneIds: [use1-az1, use1-az2]');
  return out;
}

function git(cwd: string, args: string[]): void {
  const r = require('child_process').spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

function scratchRepo(parent: string, name: string): string {
  const work = path.join(parent, name);
  fs.mkdirSync(path.join(work, 'environments'), { recursive: true });
  copyReferenced(REPO, work);
  fs.writeFileSync(path.join(work, '.gitignore'), '.mwaa-gitops/\ncdktf.out/\nplans/\n*.json\n*.tfplan\n');
  return work;
}

function tfEnvFor(repo: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, ...extra, ...terraformEnv({ workDir: path.join(repo, '.mwaa-gitops'), providerMirror: resolveProviderMirror() }) };
}

export async function benchRatios(parent: string, pairs: number, log: (l: string) => void): Promise<RatioRow[]> {
  const rows: RatioRow[] = [];
  const cli = (repo: string, env: NodeJS.ProcessEnv, args: string[], ok: number[] = [0, 2]) => () => run(process.execPath, [BIN, '-C', repo, ...args], { cwd: repo, env, ok });
  const tf = (dir: string, env: NodeJS.ProcessEnv, args: string[]) => () => run('terraform', args, { cwd: dir, env, ok: [0, 2] });
  const quiet: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1' };

  // 1. A new environment, offline.
  {
    log('ratios: new environment, offline (create-only plan)...');
    const repo = scratchRepo(parent, 'offline');
    fs.writeFileSync(path.join(repo, 'environments', `${DEV}.yaml`), devSpec(DEV, 192, true));
    const target = path.join(repo, 'target.json');
    fs.writeFileSync(target, JSON.stringify(OFFLINE_PROVIDER_OVERRIDES));
    const env = { ...quiet, AWS_EC2_METADATA_DISABLED: 'true' };
    await cli(repo, env, ['plan', DEV, '--provider-args', target])(); // synth + init
    const stack = path.join(repo, 'cdktf.out', 'stacks', DEV);
    rows.push(await pairUp('plan of a new environment (offline)', `mwaa-gitops plan ${DEV}`, 'terraform plan -out', 1.1, pairs, cli(repo, env, ['plan', DEV, '--provider-args', target]), tf(stack, tfEnvFor(repo, env), ['plan', '-input=false', '-lock=false', `-out=${path.join(repo, 'bare.tfplan')}`]), log));
  }

  // 2. On the emulators.
  log('ratios: starting the emulators and applying the dev example (about a minute: the provider waits on the bucket lifecycle rules)...');
  const em = await startEmulators({ repoRoot: REPO, mwaa: { transitionDelayMs: 200 } });
  try {
    const repo = scratchRepo(parent, 'emulated');
    fs.writeFileSync(path.join(repo, 'environments', `${DEV}.yaml`), devSpec(DEV, 192, false));
    const target = em.writeTarget(path.join(repo, 'target.json'));
    const env = { ...quiet, ...em.awsEnv };
    await cli(repo, env, ['apply', DEV, '--auto-approve', '--provider-args', target], [0])();
    const stack = path.join(repo, 'cdktf.out', 'stacks', DEV);
    const tfe = tfEnvFor(repo, env);
    rows.push(await pairUp('no-change plan (emulators)', `mwaa-gitops plan ${DEV}`, 'terraform plan -out', 1.05, pairs, cli(repo, env, ['plan', DEV, '--provider-args', target]), tf(stack, tfe, ['plan', '-input=false', '-lock=false', `-out=${path.join(repo, 'bare.tfplan')}`]), log));
    rows.push(await pairUp('drift check (emulators)', `mwaa-gitops drift ${DEV}`, 'terraform plan -refresh-only -out', undefined, pairs, cli(repo, env, ['drift', DEV, '--provider-args', target]), tf(stack, tfe, ['plan', '-refresh-only', '-input=false', '-lock=false', `-out=${path.join(repo, 'bare.tfplan')}`]), log));

    // A PR adding 10 environments.
    log('ratios: a PR cycle for 10 affected environments...');
    git(repo, ['init', '-q', '-b', 'main']);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-qm', 'base']);
    git(repo, ['checkout', '-qb', 'pr']);
    const names = Array.from({ length: 10 }, (_, i) => `pr-env-${i}`);
    names.forEach((n, i) => fs.writeFileSync(path.join(repo, 'environments', `${n}.yaml`), devSpec(n, 100 + i, false)));
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-qm', 'ten environments']);
    const plans = path.join(repo, 'plans');
    const cycle = () =>
      sequence([
        cli(repo, env, ['validate'], [0]),
        cli(repo, env, ['affected', '--base', 'main', '--format', 'json', '--out', path.join(repo, 'affected.json')], [0]),
        cli(repo, env, ['diff', '--base', 'main', '--out', path.join(repo, 'diff.md')], [0, 2]),
        ...names.map((n) => cli(repo, env, ['plan', n, '--provider-args', target, '--json-out', path.join(plans, `${n}.json`)])),
        cli(repo, env, ['pr-comment', '--base', 'main', '--plan-json', plans, '--out', path.join(repo, 'comment.md')], [0]),
      ]);
    const bare = () => sequence(names.map((n) => tf(path.join(repo, 'cdktf.out', 'stacks', n), tfe, ['plan', '-input=false', '-lock=false', `-out=${path.join(repo, 'bare.tfplan')}`])));
    rows.push(await pairUp('PR cycle, 10 affected environments (emulators)', 'validate + affected + diff + 10 x plan --json-out + pr-comment', '10 x terraform plan -out', 1.2, Math.max(1, Math.ceil(pairs / 2)), cycle, bare, log));
    const comment = fs.readFileSync(path.join(repo, 'comment.md'), 'utf8');
    for (const n of names) if (!comment.includes(n)) throw new Error(`the PR comment does not mention ${n}`);
  } finally {
    await em.stop();
  }
  return rows;
}

export function ratioTable(rows: RatioRow[]): string {
  const out = ['| measured | tool | bare | tool median (ms) | bare median (ms) | ratio, wall | ratio, CPU | goal | pairs |', '|---|---|---|---:|---:|---:|---:|---|---:|'];
  for (const r of rows) {
    out.push(`| ${r.what} | \`${r.tool}\` | \`${r.bare}\` | ${r.toolWallMs} | ${r.bareWallMs} | **${r.wallRatio}** | ${r.cpuRatio ?? ''} | ${r.goal === undefined ? '' : `<= ${r.goal} ${r.met ? 'met' : 'MISSED'}`} | ${r.pairs} |`);
  }
  return `${out.join('\n')}\n`;
}

/** Stand-alone: `node dist/bench/ratios.js [pairs]`. */
if (require.main === module) {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-ratios-'));
  benchRatios(parent, Number(process.argv[2] ?? '3'), (l) => process.stderr.write(`${l}\n`))
    .then((rows) => process.stdout.write(ratioTable(rows)))
    .catch((e: Error) => {
      process.stderr.write(`bench: ${e.message}\n`);
      process.exitCode = 1;
    })
    .finally(() => fs.rmSync(parent, { recursive: true, force: true }));
}
