/**
 * The benchmark (`npm run bench`; a script, not a test). In one run, in a few minutes:
 *
 *  - the ratios (bench/ratios.ts), each the tool against what a user would otherwise run, interleaved:
 *    the tool's `plan` of a new environment / bare `terraform plan` (offline; goal <= 1.10), the tool's no-change
 *    plan / bare `terraform plan` (emulators; goal <= 1.05), `drift` / `terraform plan -refresh-only` (emulators),
 *    a PR cycle for 10 affected environments / 10 bare plans (emulators; goal <= 1.2);
 *  - validate and synth of N generated environments (default N = 1 and 300; bench/lib.ts specYaml) as cold CLI
 *    processes: time, time per environment and peak RSS (how cost grows with N); `cdktf synth` (cdktf-cli 0.21.0)
 *    on the same app at N = 1 only (beyond that it measures our own app plus a fixed start-up);
 *  - scale: a 300-environment git repository with `environments/_defaults.yaml` changed (every environment affected):
 *    `validate`, `affected --format matrix` and `diff` as cold CLI processes, wall time and CPU time, and their sum
 *    against the goal (under 3 s in all);
 *  - a CPU profile of `synth` at the largest N (top self time), and the no-change plan stage by stage
 *    (bench/plan-stages.ts) beside bare `terraform plan`;
 *  - prints the tables and writes bench/results.json (machine info, timestamp, every figure).
 *
 * Options: --scale-only (the 300-environment case alone, then write the results), --no-offline, --no-pr-cycle (skip those ratios), --no-scale (skip the 300-environment case), --no-cdktf (skip cdktf-cli; otherwise installed on demand into ~/.cache/mwaa-gitops/cdktf-cli-0.21.0), --no-ratios,
 * --pairs <n> (interleaved pairs per ratio, default 3), --quick (fewer runs), --sizes 1,300, --keep (keep the temp
 * repositories), --results <file> (default bench/results.json).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BIN, cdktfCli, flag, machineInfo, MAIN_JS, makeDefaultsChangedRepo, makeRepo, median, OUT, quietEnv, REPO, Run, stats, Stats, statsOf, timed } from './lib';
import { benchRatios, formatPlanProfile, ratioTable, type PlanProfile, type RatioRow } from './ratios';
import { formatProfile, summarizeProfile, ProfileSummary } from './profile';

const log = (l: string) => process.stderr.write(`${l}\n`);

function pairsArg(quick: boolean): number {
  const i = process.argv.indexOf('--pairs');
  return i >= 0 ? Number(process.argv[i + 1]) : quick ? 1 : 3;
}

function sizesArg(): number[] {
  const i = process.argv.indexOf('--sizes');
  return i >= 0 ? process.argv[i + 1].split(',').map(Number) : [1, 300];
}

interface Row {
  stage: string;
  what: string;
  n: number;
  stats?: Stats;
  note?: string;
}

const rows: Row[] = [];

function record(stage: string, what: string, n: number, runs: Run[] | Stats | undefined, note?: string): Stats | undefined {
  const s = runs === undefined ? undefined : Array.isArray(runs) ? statsOf(runs) : runs;
  rows.push({ stage, what, n, stats: s, note });
  const fmt = s ? `${s.minMs.toFixed(0)} / ${s.medianMs.toFixed(0)} / ${s.maxMs.toFixed(0)} ms (${s.runs} runs)${s.peakRssMb !== undefined ? `, peak ${s.peakRssMb.toFixed(0)} MB` : ''}` : 'not measured';
  log(`  ${stage} ${what} N=${n}: ${fmt}${note ? ` — ${note}` : ''}`);
  return s;
}

function find(stage: string, what: string, n: number): Stats | undefined {
  return rows.find((r) => r.stage === stage && r.what === what && r.n === n)?.stats;
}

function runsFor(n: number, quick: boolean): number {
  if (quick) return n >= 100 ? 1 : 2;
  return n >= 100 ? 3 : 5;
}

function countStacks(repo: string): number {
  const dir = path.join(repo, 'cdktf.out', 'stacks');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'cdk.tf.json'))).length : 0;
}

function benchValidate(repo: string, n: number, quick: boolean): void {
  const cli: Run[] = [];
  const inner: Run[] = [];
  const innerMs: number[] = [];
  for (let i = 0; i < runsFor(n, quick); i++) {
    cli.push(timed('node', [BIN, '-C', repo, 'validate'], { cwd: repo, env: quietEnv() }));
    const r = timed('node', [path.join(__dirname, 'validate-child.js'), repo], { cwd: repo, env: quietEnv() });
    const out = JSON.parse(r.stdout) as { validateMs: number; files: number; errors: boolean; maxRssMb: number };
    if (out.files !== n || out.errors) throw new Error(`validate-child: expected ${n} valid specs, got ${JSON.stringify(out)}`);
    inner.push({ ...r, rssMb: r.rssMb ?? out.maxRssMb });
    innerMs.push(out.validateMs);
  }
  record('validate', 'mwaa-gitops validate (cold CLI process)', n, cli);
  record('validate', 'validateFiles in a child (first call, cold)', n, stats(innerMs, inner.map((r) => r.rssMb)));
}

function benchSynth(repo: string, n: number, quick: boolean, cdktf: string | undefined, cdktfSkipReason: string): void {
  const env = quietEnv({ MWAA_GITOPS_REPO: repo });
  const ours: Run[] = [];
  const app: Run[] = [];
  const theirs: Run[] = [];
  // cdktf-cli at N = 1 only: beyond that it runs our own app plus a fixed start-up, and the ratio tells nothing
  const cdktfRuns = n === 1 ? runsFor(n, quick) : 0;
  const clean = () => fs.rmSync(path.join(repo, 'cdktf.out'), { recursive: true, force: true });
  for (let i = 0; i < runsFor(n, quick); i++) {
    // Alternate the tools so machine noise hits both alike.
    clean();
    ours.push(timed('node', [BIN, '-C', repo, 'synth'], { cwd: repo, env }));
    if (countStacks(repo) !== n) throw new Error(`mwaa-gitops synth: expected ${n} stacks, found ${countStacks(repo)}`);
    clean();
    app.push(timed('node', [MAIN_JS], { cwd: repo, env }));
    if (cdktf && i < cdktfRuns) {
      clean();
      theirs.push(timed(cdktf, ['synth'], { cwd: repo, env }));
      if (countStacks(repo) !== n) throw new Error(`cdktf synth: expected ${n} stacks, found ${countStacks(repo)}`);
    }
  }
  const o = record('synth', 'mwaa-gitops synth (cold CLI)', n, ours);
  record('synth', 'app alone: node dist/main.js (what cdktf-cli runs)', n, app);
  if (o) rows.push({ stage: 'synth', what: 'per environment', n, note: `${(o.medianMs / n).toFixed(1)} ms/env, peak ${o.peakRssMb?.toFixed(0) ?? '?'} MB` });
  if (n !== 1) return;
  const t = cdktf ? record('synth', 'cdktf synth (cdktf-cli 0.21.0)', n, theirs) : record('synth', 'cdktf synth (cdktf-cli 0.21.0)', n, undefined, cdktfSkipReason);
  if (o && t) rows.push({ stage: 'synth', what: 'speedup (cdktf median / ours median)', n, note: `${(t.medianMs / o.medianMs).toFixed(2)}x` });
}

interface ScaleFigures {
  environments: number;
  /**
   * Median wall ms and CPU s per command, and their sums, as one CI job runs them: validate, then affected, then
   * diff, each a cold process, starting from an empty parse store (src/spec/parse-store.ts) that the three share.
   */
  commands: Record<string, { wallMs: number; cpuS?: number }>;
  totalWallMs: number;
  totalCpuS?: number;
  /** The same sequence with the parse store off (MWAA_GITOPS_CACHE=off): every process parses every spec. */
  withoutStore: { commands: Record<string, { wallMs: number; cpuS?: number }>; totalWallMs: number; totalCpuS?: number };
  jobs: number;
  /** 1-minute load average before and after (the machine is shared: CPU time is the figure to compare). */
  loadAverage: { before: number; after: number };
}

/**
 * validate + affected + diff of 300 environments with _defaults.yaml changed: cold CLI processes in the order a CI job
 * runs them, each sequence from a new, empty parse store (as on a fresh runner); then the same with the store off.
 */
function benchScale(parent: string, quick: boolean): ScaleFigures {
  const n = 300;
  const repo = makeDefaultsChangedRepo(n, parent);
  const loadBefore = Math.round(os.loadavg()[0] * 100) / 100;
  const commands: Array<[string, string[]]> = [
    ['validate', ['validate']],
    ['affected', ['affected', '--base', 'main', '--format', 'matrix']],
    ['diff', ['diff', '--base', 'main']],
  ];
  let jobs = 0;
  const sequence = (store: boolean) => {
    const runs: Record<string, Run[]> = Object.fromEntries(commands.map(([label]) => [label, [] as Run[]]));
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-bench-store-'));
      const env = quietEnv(store ? { MWAA_GITOPS_CACHE_DIR: cacheDir } : { MWAA_GITOPS_CACHE: 'off' });
      try {
        for (const [label, args] of commands) runs[label].push(timed('node', [BIN, '-C', repo, ...args], { cwd: repo, env }));
      } finally {
        fs.rmSync(cacheDir, { recursive: true, force: true });
      }
    }
    const out: ScaleFigures['commands'] = {};
    for (const [label, args] of commands) {
      if (label === 'affected') {
        for (const r of runs[label]) {
          const m = JSON.parse(r.stdout) as { include: Array<{ envs: string }> };
          jobs = m.include.length;
          const covered = m.include.flatMap((b) => b.envs.split(' '));
          if (covered.length !== n || new Set(covered).size !== n || jobs > 256) throw new Error(`affected at scale: ${covered.length} environments in ${jobs} jobs, expected ${n} in <= 256`);
        }
      }
      const cpu = runs[label].map((r) => r.cpuS).filter((x): x is number => x !== undefined);
      out[label] = { wallMs: Math.round(statsOf(runs[label]).medianMs), cpuS: cpu.length ? median(cpu) : undefined };
      record('scale', `mwaa-gitops ${args.join(' ')} (300 envs, _defaults changed${store ? '' : ', parse store off'})`, n, runs[label], cpu.length ? `CPU ${median(cpu)} s` : undefined);
    }
    const totalWallMs = Object.values(out).reduce((a, c) => a + c.wallMs, 0);
    const cpus = Object.values(out).map((c) => c.cpuS);
    const totalCpuS = cpus.every((c) => c !== undefined) ? Math.round(cpus.reduce((a, c) => a! + c!, 0)! * 100) / 100 : undefined;
    return { commands: out, totalWallMs, totalCpuS, stdout: Object.fromEntries(commands.map(([label]) => [label, runs[label][0].stdout])) };
  };
  const { stdout: storeOut, ...withStore } = sequence(true);
  const { stdout: plainOut, ...withoutStore } = sequence(false);
  for (const [label] of commands) if (storeOut[label] !== plainOut[label]) throw new Error(`scale: ${label} printed something else with the parse store than without it`);
  log(`  scale: validate + affected + diff of ${n} environments: ${withStore.totalWallMs} ms wall, ${withStore.totalCpuS ?? '?'} s CPU; ${jobs} jobs`);
  log(`  scale: the same with the parse store off: ${withoutStore.totalWallMs} ms wall, ${withoutStore.totalCpuS ?? '?'} s CPU`);
  const loadAverage = { before: loadBefore, after: Math.round(os.loadavg()[0] * 100) / 100 };
  log(`  scale: load average ${loadAverage.before} before, ${loadAverage.after} after (${os.cpus().length} cores)`);
  return { environments: n, ...withStore, withoutStore, jobs, loadAverage };
}

function profileSynth(repo: string): ProfileSummary {
  const dir = path.join(OUT, 'prof');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.join(repo, 'cdktf.out'), { recursive: true, force: true });
  timed('node', ['--cpu-prof', '--cpu-prof-dir', dir, BIN, '-C', repo, 'synth'], { cwd: repo, env: quietEnv() });
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no CPU profile written');
  return summarizeProfile(path.join(dir, file), 15);
}

interface Scaling {
  metric: string;
  perEnvMs: Record<string, number>;
  perEnvRatio300vs10?: number;
  marginalMsPerEnv?: { from10to100: number; from100to300: number; ratio: number };
  linear?: boolean;
}

function scaling(stage: string, what: string, sizes: number[]): Scaling | undefined {
  const med = new Map<number, number>();
  for (const n of sizes) {
    const s = find(stage, what, n);
    if (s) med.set(n, s.medianMs);
  }
  if (med.size < 2) return undefined;
  const perEnvMs: Record<string, number> = {};
  for (const [n, ms] of med) perEnvMs[n] = Math.round((ms / n) * 100) / 100;
  const out: Scaling = { metric: `${stage}: ${what}`, perEnvMs };
  if (med.has(300) && med.has(10)) out.perEnvRatio300vs10 = Math.round(((med.get(300)! / 300) / (med.get(10)! / 10)) * 100) / 100;
  if (med.has(10) && med.has(100) && med.has(300)) {
    const a = (med.get(100)! - med.get(10)!) / 90;
    const b = (med.get(300)! - med.get(100)!) / 200;
    out.marginalMsPerEnv = { from10to100: Math.round(a * 100) / 100, from100to300: Math.round(b * 100) / 100, ratio: Math.round((b / a) * 100) / 100 };
    // Linear (or better): the cost of one more environment does not grow with N (20% noise allowance).
    out.linear = b / a <= 1.2;
  }
  return out;
}

function table(): string {
  const lines = ['| stage | measured | N | min / median / max (ms) | runs | peak RSS (MB) | note |', '|---|---|---:|---:|---:|---:|---|'];
  for (const r of rows) {
    const s = r.stats;
    lines.push(`| ${r.stage} | ${r.what} | ${r.n} | ${s ? `${s.minMs.toFixed(0)} / ${s.medianMs.toFixed(0)} / ${s.maxMs.toFixed(0)}` : ''} | ${s?.runs ?? ''} | ${s?.peakRssMb?.toFixed(0) ?? ''} | ${r.note ?? ''} |`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const quick = flag('--quick');
  const sizes = sizesArg();
  const started = new Date();
  const machine = machineInfo();
  log(`mwaa-gitops bench: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, node ${machine.node}, terraform ${machine.terraform}`);
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-bench-'));
  const cdktf = flag('--no-cdktf') ? undefined : cdktfCli(true, log);
  const cdktfSkip = flag('--no-cdktf') ? 'not measured (--no-cdktf)' : 'not measured (cdktf-cli not available)';
  let profile: ProfileSummary | undefined;
  let ratios: RatioRow[] = [];
  const planProfiles: { noChange?: PlanProfile } = {};
  let scale: ScaleFigures | undefined;
  try {
    // The ratios first: the figures the issue's goals are about.
    const scaleOnly = flag('--scale-only');
    if (!flag('--no-ratios') && !scaleOnly) ratios = await benchRatios(parent, pairsArg(quick), log, planProfiles, { offline: flag('--no-offline'), prCycle: flag('--no-pr-cycle') });
    if (!flag('--no-scale')) {
      log('scale: 300 environments, _defaults.yaml changed: validate + affected + diff...');
      scale = benchScale(parent, quick);
    }
    const repos = new Map<number, string>();
    for (const n of scaleOnly ? [] : sizes) {
      log(`N=${n}: generating ${n} environments...`);
      const repo = makeRepo(n, parent);
      repos.set(n, repo);
      benchValidate(repo, n, quick);
      benchSynth(repo, n, quick, cdktf, cdktfSkip);
    }
    const biggest = Math.max(...sizes);
    if (biggest > 1 && !scaleOnly) {
      log(`profiling mwaa-gitops synth at N=${biggest} (node --cpu-prof)...`);
      profile = profileSynth(repos.get(biggest)!);
      log(formatProfile(profile));
    }
  } finally {
    if (!flag('--keep')) fs.rmSync(parent, { recursive: true, force: true });
    else log(`kept ${parent}`);
  }

  const scal = [
    scaling('validate', 'mwaa-gitops validate (cold CLI process)', sizes),
    scaling('validate', 'validateFiles in a child (first call, cold)', sizes),
    scaling('synth', 'mwaa-gitops synth (cold CLI)', sizes),
    scaling('synth', 'cdktf synth (cdktf-cli 0.21.0)', sizes),
  ].filter((x): x is Scaling => x !== undefined);
  const speed1 = (() => {
    const o = find('synth', 'mwaa-gitops synth (cold CLI)', 1);
    const t = find('synth', 'cdktf synth (cdktf-cli 0.21.0)', 1);
    return o && t ? Math.round((t.medianMs / o.medianMs) * 100) / 100 : undefined;
  })();
  const s1 = find('synth', 'mwaa-gitops synth (cold CLI)', 1);
  const big = Math.max(...sizes);
  const sBig = big > 1 ? find('synth', 'mwaa-gitops synth (cold CLI)', big) : undefined;
  const vBig = big > 1 ? find('validate', 'mwaa-gitops validate (cold CLI process)', big) : undefined;
  const targets = [
    ...ratios.filter((r) => r.goal !== undefined).map((r) => ({ target: `${r.what}: tool / bare <= ${r.goal}`, value: r.wallRatio, met: r.met })),
    { target: 'synth 1 env cold < 1 s', value: s1?.medianMs, met: s1 ? s1.medianMs < 1000 : undefined },
    { target: 'synth >= 5x faster than cdktf-cli at N=1', value: speed1, met: speed1 === undefined ? undefined : speed1 >= 5 },
    ...(sBig ? [{ target: `synth per environment at N=${big} (ms/env; peak MB)`, value: `${(sBig.medianMs / big).toFixed(1)} ms/env; ${sBig.peakRssMb?.toFixed(0)} MB`, met: undefined }] : []),
    ...(vBig ? [{ target: `validate per environment at N=${big} (ms/env; peak MB)`, value: `${(vBig.medianMs / big).toFixed(1)} ms/env; ${vBig.peakRssMb?.toFixed(0)} MB`, met: undefined }] : []),
    { target: 'validate + affected + diff of 300 envs (_defaults changed) < 3 s wall', value: scale?.totalWallMs, met: scale ? scale.totalWallMs < 3000 : undefined },
    { target: 'validate + affected + diff of 300 envs (_defaults changed) < 3 s CPU (user + sys)', value: scale?.totalCpuS, met: scale?.totalCpuS === undefined ? undefined : scale.totalCpuS < 3 },
    { target: 'affected matrix of 300 envs within 256 jobs', value: scale?.jobs, met: scale ? scale.jobs <= 256 : undefined },
  ];

  const results = {
    timestamp: started.toISOString(),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
    machine,
    options: { quick, sizes, cdktf: cdktf ? path.relative(REPO, cdktf) || cdktf : null, ratios: !flag('--no-ratios') },
    method: {
      timing: 'wall time of a cold child process (spawnSync), min/median/max over the runs; peak RSS from GNU time %M (largest process of the tree), else process.resourceUsage().maxRSS',
      validate: 'N specs with a shared extends base: schema + every MWAA rule + cross-file rules',
      synth: 'cdktf.out removed before every run; cdktf synth runs the same app (dist/main.js) through cdktf.json',
      ratios: 'bench/ratios.ts: tool and bare interleaved after a warm-up of each; ratio = median of the pairwise tool/bare ratios, wall and CPU (user+sys of the process tree, GNU time)',
    },
    ratios,
    profileNoChangePlan: planProfiles.noChange,
    rows,
    scaling: scal,
    targets,
    profileSynth: profile,
    scale,
  };
  const ri = process.argv.indexOf('--results');
  const file = ri >= 0 ? path.resolve(process.argv[ri + 1]) : path.join(REPO, 'bench', 'results.json');
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, node ${machine.node}, terraform ${machine.terraform}\n\n`);
  if (ratios.length) process.stdout.write(`ratios (tool / what a user would otherwise run):\n\n${ratioTable(ratios)}\n`);
  if (planProfiles.noChange) process.stdout.write(`${formatPlanProfile(planProfiles.noChange)}\n`);
  process.stdout.write(table());
  process.stdout.write('\nscaling (per-env median ms):\n');
  for (const s of scal) {
    process.stdout.write(`  ${s.metric}: ${Object.entries(s.perEnvMs).map(([n, v]) => `N=${n}: ${v}`).join(', ')}${s.perEnvRatio300vs10 !== undefined ? `; per-env 300/10 = ${s.perEnvRatio300vs10}` : ''}${s.marginalMsPerEnv ? `; marginal ms/env 10->100 ${s.marginalMsPerEnv.from10to100}, 100->300 ${s.marginalMsPerEnv.from100to300} (${s.linear ? 'linear' : 'super-linear'})` : ''}\n`);
  }
  process.stdout.write('\ntargets:\n');
  for (const t of targets) process.stdout.write(`  ${t.met === undefined ? 'n/a ' : t.met ? 'MET ' : 'MISS'}  ${t.target}: ${t.value ?? 'not measured'}\n`);
  process.stdout.write(`\nwritten ${path.relative(process.cwd(), file)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
