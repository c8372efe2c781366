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
 *     - a PR cycle for 10 affected environments (10 environments applied, then `_defaults.yaml` changed on a branch:
 *       see prCycle): `validate`, `affected --format matrix`, `diff`, `plan <env> --json-out` for each (the plan
 *       workflow's matrix jobs), `pr-comment --plan-json`, against 10 bare `terraform plan -out`, one per synthesized
 *       stack.
 * The bare side is `terraform plan -input=false -out=<file>` as a user would type it (state locking on, as the tool's).
 * After the no-change ratio, its profile: bench/plan-stages.ts, stage by stage, beside bare `terraform plan`.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveProviderMirror, terraformEnv } from '../src/terraform/cliconfig';
import { endpointsAsVariables, loadTarget } from '../src/synth';
import { OFFLINE_PROVIDER_OVERRIDES } from '../src/sandbox/offline';
import { startEmulators } from '../src/sandbox/emulators';
import { copyReferenced } from '../src/sandbox/example-repo';
import { BIN, GNU_TIME, median, OUT, REPO } from './lib';

export interface Sample {
  wallMs: number;
  /** The child's stdout, when asked for (`capture`). */
  stdout?: string;
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
export function run(cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; ok?: number[]; capture?: boolean }): Promise<Sample> {
  fs.mkdirSync(OUT, { recursive: true });
  const stat = path.join(OUT, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', stat, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(c, a, { cwd: o.cwd, env: o.env, stdio: ['ignore', o.capture ? 'pipe' : 'ignore', 'pipe'] });
    let err = '';
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-3000)));
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
      else resolve({ wallMs, cpuMs, rssMb, ...(o.capture ? { stdout: out } : {}) });
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

/**
 * `pairs` interleaved pairs (tool first on even pairs, bare first on odd ones) after one warm-up of each (of the tool
 * only with `warmBare` false: where the tool's warm-up already synthesized and initialized what bare runs on).
 */
export async function pairUp(what: string, tool: string, bare: string, goal: number | undefined, pairs: number, a: () => Promise<Sample>, b: () => Promise<Sample>, log: (l: string) => void, warmBare = true): Promise<RatioRow> {
  await a();
  if (warmBare) await b();
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

/**
 * The bare side's environment: the CLI config (mirror, automation flags) a user's terraform would need here, and Go's
 * garbage collector as a user's terraform runs it (the tool's DEFAULT_GOGC is the tool's, not the user's), unless the
 * user running the bench set GOGC.
 */
export function tfEnvFor(repo: string, extra: NodeJS.ProcessEnv, targetFile?: string): NodeJS.ProcessEnv {
  const tool = terraformEnv({ workDir: path.join(repo, '.mwaa-gitops'), providerMirror: resolveProviderMirror() });
  if (process.env.GOGC === undefined) delete tool.GOGC;
  // the stack the tool synthesized for a target reaches the emulators' endpoints through variables, as the tool's
  // own terraform does (src/synth.ts endpointsAsVariables): the bare side gets the same
  const endpoints = targetFile ? endpointsAsVariables(loadTarget(targetFile)).env : {};
  return { ...process.env, ...extra, ...tool, ...endpoints };
}

/** The no-change plan, stage by stage (bench/plan-stages.ts), beside bare `terraform plan`: medians over the runs. */
export interface PlanProfile {
  runs: number;
  /** Median wall ms of each stage of the tool's plan. */
  stagesMs: Record<string, number>;
  toolWallMs: number;
  /** CPU of the whole process tree (node, terraform, the provider) and of the node process alone. */
  toolCpuMs?: number;
  toolNodeCpuMs: number;
  bareWallMs: number;
  bareCpuMs?: number;
}

/** `runs` rounds of plan-stages and bare `terraform plan`, alternating which goes first. */
export async function profilePlan(repo: string, envName: string, target: string, env: NodeJS.ProcessEnv, bare: () => Promise<Sample>, runs: number, log: (l: string) => void): Promise<PlanProfile> {
  const tool: Array<Sample & { stages: Record<string, number>; nodeCpuMs: number }> = [];
  const bares: Sample[] = [];
  const stagesJs = path.join(__dirname, 'plan-stages.js');
  const one = async () => {
    const r = await run(process.execPath, [stagesJs, repo, envName, target], { cwd: repo, env, capture: true });
    const o = JSON.parse(r.stdout ?? '') as { stagesMs: Record<string, number>; nodeCpuMs: number; changes: boolean; reattached: boolean };
    if (o.changes) throw new Error('plan-stages: the no-change plan has changes');
    if (!o.reattached) throw new Error('plan-stages: the provider was not reattached');
    tool.push({ ...r, stages: o.stagesMs, nodeCpuMs: o.nodeCpuMs });
  };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      await one();
      bares.push(await bare());
    } else {
      bares.push(await bare());
      await one();
    }
  }
  const stagesMs: Record<string, number> = {};
  for (const k of Object.keys(tool[0].stages)) stagesMs[k] = Math.round(median(tool.map((t) => t.stages[k] ?? 0)));
  const cpu = (xs: Sample[]) => (xs.every((x) => x.cpuMs !== undefined) ? Math.round(median(xs.map((x) => x.cpuMs!))) : undefined);
  const p: PlanProfile = {
    runs,
    stagesMs,
    toolWallMs: Math.round(median(tool.map((t) => t.wallMs))),
    toolCpuMs: cpu(tool),
    toolNodeCpuMs: Math.round(median(tool.map((t) => t.nodeCpuMs))),
    bareWallMs: Math.round(median(bares.map((b) => b.wallMs))),
    bareCpuMs: cpu(bares),
  };
  log(formatPlanProfile(p));
  return p;
}

export function formatPlanProfile(p: PlanProfile): string {
  const lines = [`no-change plan, stage by stage (bench/plan-stages.ts; median of ${p.runs}):`];
  for (const [k, v] of Object.entries(p.stagesMs)) lines.push(`  ${k.padEnd(16)} ${String(v).padStart(7)} ms`);
  lines.push(`  tool: ${p.toolWallMs} ms wall, CPU ${p.toolCpuMs ?? '?'} ms (node process alone ${p.toolNodeCpuMs} ms; terraform + provider ${p.toolCpuMs !== undefined ? p.toolCpuMs - p.toolNodeCpuMs : '?'} ms)`);
  lines.push(`  bare terraform plan: ${p.bareWallMs} ms wall, CPU ${p.bareCpuMs ?? '?'} ms`);
  return `${lines.join('\n')}\n`;
}

type Step = () => Promise<Sample>;
type Cli = (repo: string, env: NodeJS.ProcessEnv, args: string[], ok?: number[]) => Step;
type Tf = (dir: string, env: NodeJS.ProcessEnv, args: string[]) => Step;
type Emulators = Awaited<ReturnType<typeof startEmulators>>;

/** The bare plan a user would run in a synthesized stack (the tool's plan locks the state too). */
const BARE_PLAN = (out: string) => ['plan', '-input=false', `-out=${out}`];

/**
 * A pull request changing 10 environments that are already applied: a repository of 10 environments extending
 * `_defaults.yaml`, applied on the emulators (5 at a time), committed on `main`; the PR branch changes one Airflow
 * configuration option in `_defaults.yaml`, so all 10 are affected and each plan has one in-place update (the MWAA
 * environment). The tool's cycle is what the shipped plan workflow runs (.github/workflows/plan.yml): `validate`,
 * `affected --format matrix`, `diff`, one `plan <env> --json-out plans` per environment (a matrix job each), and
 * `pr-comment --plan-json plans`; against 10 bare `terraform plan -out`, one per synthesized stack.
 */
export async function prCycle(parent: string, em: Emulators, quiet: NodeJS.ProcessEnv, pairs: number, cli: Cli, tf: Tf, log: (l: string) => void, count = 10): Promise<RatioRow> {
  log(`ratios: a PR cycle for ${count} affected environments: applying ${count} environments first (5 at a time)...`);
  const repo = scratchRepo(parent, 'pr');
  const target = em.writeTarget(path.join(repo, 'target.json'));
  const env = { ...quiet, ...em.awsEnv };
  const names = Array.from({ length: count }, (_, i) => `pr-env-${i}`);
  names.forEach((n, i) => fs.writeFileSync(path.join(repo, 'environments', `${n}.yaml`), devSpec(n, 100 + i, false)));
  await cli(repo, env, ['apply', ...names, '--auto-approve', '--parallel', '5', '--provider-args', target], [0])();
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-qm', 'ten environments, applied']);
  git(repo, ['checkout', '-qb', 'pr']);
  const defaults = path.join(repo, 'environments', '_defaults.yaml');
  const before = fs.readFileSync(defaults, 'utf8');
  const after = before.replace(/core\.default_task_retries: "\d+"/, 'core.default_task_retries: "5"');
  if (after === before) throw new Error('bench: environments/_defaults.yaml has no core.default_task_retries to change');
  fs.writeFileSync(defaults, after);
  git(repo, ['commit', '-qam', 'retry tasks 5 times everywhere']);
  const plans = path.join(repo, 'plans');
  const cycle = () =>
    sequence([
      cli(repo, env, ['validate'], [0]),
      cli(repo, env, ['affected', '--base', 'main', '--format', 'matrix', '--out', path.join(repo, 'affected.json')], [0]),
      cli(repo, env, ['diff', '--base', 'main', '--out', path.join(repo, 'diff.md')], [0, 2]),
      ...names.map((n) => cli(repo, env, ['plan', n, '--provider-args', target, '--json-out', plans], [0])),
      cli(repo, env, ['pr-comment', '--base', 'main', '--plan-json', plans, '--out', path.join(repo, 'comment.md')], [0]),
    ]);
  const tfe = tfEnvFor(repo, env, target);
  const bare = () => sequence(names.map((n) => tf(path.join(repo, 'cdktf.out', 'stacks', n), tfe, BARE_PLAN(path.join(repo, 'bare.tfplan')))));
  const row = await pairUp(`PR cycle, ${count} affected environments (emulators)`, `validate + affected + diff + ${count} x plan --json-out + pr-comment`, `${count} x terraform plan -out`, 1.2, pairs, cycle, bare, log, false);
  // The cycle did what it claims: all 10 affected, each plan an update, the comment names each environment.
  const matrix = JSON.parse(fs.readFileSync(path.join(repo, 'affected.json'), 'utf8')) as { include: Array<{ envs: string }> };
  const affected = matrix.include.flatMap((b) => b.envs.split(' ')).sort();
  if (affected.join(' ') !== [...names].sort().join(' ')) throw new Error(`bench: affected lists ${affected.join(' ')}, expected the ${count} PR environments`);
  const comment = fs.readFileSync(path.join(repo, 'comment.md'), 'utf8');
  for (const n of names) {
    if (!comment.includes(n)) throw new Error(`bench: the PR comment does not mention ${n}`);
    const plan = JSON.parse(fs.readFileSync(path.join(plans, `${n}.json`), 'utf8')) as { resource_changes?: Array<{ change: { actions: string[] } }> };
    const acts = (plan.resource_changes ?? []).flatMap((c) => c.change.actions).filter((a) => a !== 'no-op' && a !== 'read');
    if (acts.length !== 1 || acts[0] !== 'update') throw new Error(`bench: ${n}: expected one in-place update, got ${acts.join(', ') || 'none'}`);
  }
  return row;
}

export function factories(): { cli: Cli; tf: Tf } {
  const cli: Cli = (repo, env, args, ok = [0, 2]) => () => run(process.execPath, [BIN, '-C', repo, ...args], { cwd: repo, env, ok });
  const tf: Tf = (dir, env, args) => () => run('terraform', args, { cwd: dir, env, ok: [0, 2] });
  return { cli, tf };
}

export async function benchRatios(parent: string, pairs: number, log: (l: string) => void, profiles: { noChange?: PlanProfile } = {}, skip: { offline?: boolean; prCycle?: boolean } = {}): Promise<RatioRow[]> {
  const rows: RatioRow[] = [];
  const { cli, tf } = factories();
  const quiet: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1' };

  // 1. A new environment, offline.
  if (!skip.offline) {
    log('ratios: new environment, offline (create-only plan)...');
    const repo = scratchRepo(parent, 'offline');
    fs.writeFileSync(path.join(repo, 'environments', `${DEV}.yaml`), devSpec(DEV, 192, true));
    const target = path.join(repo, 'target.json');
    fs.writeFileSync(target, JSON.stringify(OFFLINE_PROVIDER_OVERRIDES));
    const env = { ...quiet, AWS_EC2_METADATA_DISABLED: 'true' };
    await cli(repo, env, ['plan', DEV, '--provider-args', target])(); // synth + init
    const stack = path.join(repo, 'cdktf.out', 'stacks', DEV);
    rows.push(await pairUp('plan of a new environment (offline)', `mwaa-gitops plan ${DEV}`, 'terraform plan -out', 1.1, pairs, cli(repo, env, ['plan', DEV, '--provider-args', target]), tf(stack, tfEnvFor(repo, env), BARE_PLAN(path.join(repo, 'bare.tfplan'))), log));
  }

  // 2. On the emulators.
  log('ratios: starting the emulators...');
  const em = await startEmulators({ repoRoot: REPO, mwaa: { transitionDelayMs: 200 } });
  try {
    // First: the one ratio not measured before (the longest); the others are logged as they complete.
    if (!skip.prCycle) {
      try {
        rows.push(await prCycle(parent, em, quiet, Math.max(1, Math.ceil(pairs / 2)), cli, tf, log));
      } catch (e) {
        // the other ratios are still measured, printed and written
        log(`ratios: the PR cycle failed: ${(e as Error).message}`);
      }
    }
    log('ratios: applying the dev example (about a minute: the provider waits on the bucket lifecycle rules)...');
    const repo = scratchRepo(parent, 'emulated');
    fs.writeFileSync(path.join(repo, 'environments', `${DEV}.yaml`), devSpec(DEV, 192, false));
    const target = em.writeTarget(path.join(repo, 'target.json'));
    const env = { ...quiet, ...em.awsEnv };
    await cli(repo, env, ['apply', DEV, '--auto-approve', '--provider-args', target], [0])();
    const stack = path.join(repo, 'cdktf.out', 'stacks', DEV);
    const tfe = tfEnvFor(repo, env, target);
    rows.push(await pairUp('no-change plan (emulators)', `mwaa-gitops plan ${DEV}`, 'terraform plan -out', 1.05, pairs, cli(repo, env, ['plan', DEV, '--provider-args', target]), tf(stack, tfe, BARE_PLAN(path.join(repo, 'bare.tfplan'))), log));
    try {
      profiles.noChange = await profilePlan(repo, DEV, target, env, tf(stack, tfe, BARE_PLAN(path.join(repo, 'bare.tfplan'))), pairs, log);
    } catch (e) {
      log(`ratios: the no-change plan profile failed: ${(e as Error).message}`);
    }
    rows.push(await pairUp('drift check (emulators)', `mwaa-gitops drift ${DEV}`, 'terraform plan -refresh-only -out', undefined, pairs, cli(repo, env, ['drift', DEV, '--provider-args', target]), tf(stack, tfe, ['plan', '-refresh-only', '-input=false', `-out=${path.join(repo, 'bare.tfplan')}`]), log));
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
  const profiles: { noChange?: PlanProfile } = {};
  benchRatios(parent, Number(process.argv[2] ?? '3'), (l) => process.stderr.write(`${l}\n`), profiles)
    .then((rows) => process.stdout.write(`${ratioTable(rows)}\n${profiles.noChange ? formatPlanProfile(profiles.noChange) : ''}`))
    .catch((e: Error) => {
      process.stderr.write(`bench: ${e.message}\n`);
      process.exitCode = 1;
    })
    .finally(() => fs.rmSync(parent, { recursive: true, force: true }));
}
