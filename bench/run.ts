/**
 * The benchmark (`npm run bench`; a script, not a test). In one run:
 *
 *  - generates N = 1, 10, 100, 300 varied environments (bench/lib.ts specYaml) as real mini repositories in a
 *    temp directory (environments/ with a shared base, airflow/ artifacts, cdktf.json);
 *  - validate: `mwaa-gitops validate` as a cold CLI process, and validateFiles inside a child process
 *    (bench/validate-child.ts: first call, schema compile + rule tables included): time and peak RSS;
 *  - synth: `mwaa-gitops synth` (cold CLI) vs `cdktf synth` (cdktf-cli 0.21.0) on the same app (dist/main.js via
 *    cdktf.json) and the app alone (`node dist/main.js`, what cdktf-cli runs as its child): time, peak RSS, ratio;
 *  - plan (N = 1 and 10 only; each terraform plan loads the ~675 MB AWS provider and takes seconds): the tool's
 *    `plan` vs bare `terraform plan` in each synthesized stack directory, create-only with fake credentials
 *    (offline provider arguments, no emulators), excluding init (stacks initialized first) and, once, including
 *    init; `--parallel 1` vs `--parallel 4` at N = 10;
 *  - scale: a 300-environment git repository with `environments/_defaults.yaml` changed (every environment affected):
 *    `validate`, `affected --format matrix` and `diff` as cold CLI processes, wall time and CPU time, and their sum
 *    against the goal (under 3 s in all);
 *  - per-env cost at each N and the linear-growth check; a CPU profile of `synth` at N = 100 (top self time);
 *  - prints a table and writes bench/results.json (machine info, timestamp, every sample).
 *
 * Options: --no-scale (skip the 300-environment case), --no-cdktf (skip cdktf-cli; otherwise installed on demand into bench/out/cdktf-cli), --no-plan,
 * --quick (fewer runs), --sizes 1,10,100,300, --keep (keep the temp repositories), --results <file> (default
 * bench/results.json).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { terraformEnv, resolveProviderMirror } from '../src/terraform/cliconfig';
import { EC2Client, CreateSubnetCommand, CreateVpcCommand, CreateSecurityGroupCommand, DescribeAvailabilityZonesCommand } from '@aws-sdk/client-ec2';
import { offlineLookupTarget } from '../src/sandbox/offline';
import { MotoServer } from '../src/sandbox/moto';
import { BIN, cdktfCli, flag, machineInfo, MAIN_JS, makeDefaultsChangedRepo, makeRepo, median, OUT, quietEnv, REPO, Run, stats, Stats, statsOf, timed } from './lib';
import { formatProfile, summarizeProfile, ProfileSummary } from './profile';

const log = (l: string) => process.stderr.write(`${l}\n`);

function sizesArg(): number[] {
  const i = process.argv.indexOf('--sizes');
  return i >= 0 ? process.argv[i + 1].split(',').map(Number) : [1, 10, 100, 300];
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
  const cdktfRuns = n >= 300 ? 1 : runsFor(n, quick);
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
  const t = cdktf ? record('synth', 'cdktf synth (cdktf-cli 0.21.0)', n, theirs, n >= 300 ? '1 run' : undefined) : record('synth', 'cdktf synth (cdktf-cli 0.21.0)', n, undefined, cdktfSkipReason);
  if (o && t) rows.push({ stage: 'synth', what: 'speedup (cdktf median / ours median)', n, note: `${(t.medianMs / o.medianMs).toFixed(2)}x` });
}

interface PlanFigures {
  [k: string]: unknown;
}

/**
 * Existing networks are looked up at plan time (aws_subnet): give each such spec subnets that exist in the lookup
 * emulator (two zones of its Region), rewriting the generated IDs.
 */
interface ScaleFigures {
  environments: number;
  /** Median wall ms and CPU s per command, and their sums. */
  commands: Record<string, { wallMs: number; cpuS?: number }>;
  totalWallMs: number;
  totalCpuS?: number;
  jobs: number;
}

/** validate + affected + diff of 300 environments with _defaults.yaml changed (cold CLI processes). */
function benchScale(parent: string, quick: boolean): ScaleFigures {
  const n = 300;
  const repo = makeDefaultsChangedRepo(n, parent);
  const commands: Array<[string, string[]]> = [
    ['validate', ['validate']],
    ['affected', ['affected', '--base', 'main', '--format', 'matrix']],
    ['diff', ['diff', '--base', 'main']],
  ];
  const out: ScaleFigures['commands'] = {};
  let jobs = 0;
  for (const [label, args] of commands) {
    const runs: Run[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) runs.push(timed('node', [BIN, '-C', repo, ...args], { cwd: repo, env: quietEnv() }));
    if (label === 'affected') {
      const m = JSON.parse(runs[0].stdout) as { include: Array<{ envs: string }> };
      jobs = m.include.length;
      const covered = m.include.flatMap((b) => b.envs.split(' '));
      if (covered.length !== n || new Set(covered).size !== n || jobs > 256) throw new Error(`affected at scale: ${covered.length} environments in ${jobs} jobs, expected ${n} in <= 256`);
    }
    const cpu = runs.map((r) => r.cpuS).filter((x): x is number => x !== undefined);
    out[label] = { wallMs: Math.round(statsOf(runs).medianMs), cpuS: cpu.length ? median(cpu) : undefined };
    record('scale', `mwaa-gitops ${args.join(' ')} (300 envs, _defaults changed)`, n, runs, cpu.length ? `CPU ${median(cpu)} s` : undefined);
  }
  const totalWallMs = Object.values(out).reduce((a, c) => a + c.wallMs, 0);
  const cpus = Object.values(out).map((c) => c.cpuS);
  const totalCpuS = cpus.every((c) => c !== undefined) ? Math.round(cpus.reduce((a, c) => a! + c!, 0)! * 100) / 100 : undefined;
  log(`  scale: validate + affected + diff of ${n} environments: ${totalWallMs} ms wall, ${totalCpuS ?? '?'} s CPU; ${jobs} jobs`);
  return { environments: n, commands: out, totalWallMs, totalCpuS, jobs };
}

async function pointExistingNetworksAtEmulator(repo: string, moto: MotoServer): Promise<void> {
  const dir = path.join(repo, 'environments');
  let n = 0;
  for (const f of fs.readdirSync(dir).filter((x) => /^bench-env-\d+\.yaml$/.test(x))) {
    const file = path.join(dir, f);
    const text = fs.readFileSync(file, 'utf8');
    if (!/^  mode: existing$/m.test(text)) continue;
    const region = /^region: (\S+)$/m.exec(text)![1];
    const ec2 = new EC2Client({ region, endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const zones = ((await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones ?? []).map((z) => z.ZoneName!).sort();
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${n % 250}.0.0/16` }))).Vpc!.VpcId!;
    const subnets: string[] = [];
    for (const [i, zone] of zones.slice(0, 2).entries()) subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.${n % 250}.${i}.0/24`, AvailabilityZone: zone }))).Subnet!.SubnetId!);
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: `bench-${n}`, Description: 'bench' }))).GroupId!;
    ec2.destroy();
    n++;
    fs.writeFileSync(
      file,
      text
        .replace(/^  vpcId: .*$/m, `  vpcId: ${vpc}`)
        .replace(/^  subnetIds: .*$/m, `  subnetIds: [${subnets.join(', ')}]`)
        .replace(/^  securityGroupIds: .*$/m, `  securityGroupIds: [${sg}]`),
    );
  }
}

async function benchPlan(parent: string, n: number, quick: boolean): Promise<PlanFigures> {
  const repo = makeRepo(n, path.join(parent, 'plan'));
  const target = path.join(repo, '.target.json');
  // Create-only with fake credentials; the plan-time lookups (availability zones, existing subnets) are answered
  // by moto, every other service is unreachable (nothing else is called at plan time). The spec's account guard
  // is lifted because the provider does not learn the account without STS.
  const moto = new MotoServer();
  await moto.start();
  try {
    await pointExistingNetworksAtEmulator(repo, moto);
    fs.writeFileSync(target, JSON.stringify({ ...offlineLookupTarget(moto.endpoint), allowed_account_ids: null }));
    return benchPlanWith(repo, target, n, quick);
  } finally {
    await moto.stop();
  }
}

function benchPlanWith(repo: string, target: string, n: number, quick: boolean): PlanFigures {
  const env = quietEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' });
  const tfEnv = { ...env, ...terraformEnv({ workDir: path.join(repo, '.mwaa-gitops'), providerMirror: resolveProviderMirror() }) };
  const tool = (parallel: number) => timed('node', [BIN, '-C', repo, 'plan', '--target', target, '--parallel', String(parallel)], { cwd: repo, env, ok: [2] });
  const stacks = () => fs.readdirSync(path.join(repo, 'cdktf.out', 'stacks')).map((d) => path.join(repo, 'cdktf.out', 'stacks', d));
  const barePlan = (): Run => {
    let ms = 0;
    let rss = 0;
    for (const dir of stacks()) {
      const r = timed('terraform', ['plan', '-input=false', '-lock=false', `-out=${path.join(dir, 'bare.tfplan')}`], { cwd: dir, env: tfEnv });
      ms += r.ms;
      rss = Math.max(rss, r.rssMb ?? 0);
    }
    return { ms, rssMb: rss || undefined, status: 0, stdout: '', stderr: '' };
  };
  // What the tool does per stack besides plan: `terraform show -json` of the saved plan (loads the provider again).
  const bareShow = (): Run => {
    let ms = 0;
    for (const dir of stacks()) ms += timed('terraform', ['show', '-json', path.join(dir, 'bare.tfplan')], { cwd: dir, env: tfEnv }).ms;
    return { ms, status: 0, stdout: '', stderr: '' };
  };

  // 1. Cold: the tool's first plan includes terraform init of every stack (parallel 1, like the bare loop below).
  log(`  plan N=${n}: cold tool plan (includes init)...`);
  const coldTool = tool(1);
  // 2. Steady state, init excluded (stacks initialized; the tool's init check skips): alternate tool and bare.
  const runs = n >= 10 ? (quick ? 1 : 2) : quick ? 2 : 3;
  const t1: Run[] = [];
  const bare: Run[] = [];
  const show: Run[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2) {
      t1.push(tool(1));
      bare.push(barePlan());
    } else {
      bare.push(barePlan());
      t1.push(tool(1));
    }
    show.push(bareShow());
  }
  const t4: Run[] = [];
  if (n >= 10) for (let i = 0; i < runs; i++) t4.push(tool(4));
  // 3. Bare including init: fresh init (lock file and .terraform removed) + plan per stack.
  const bareInit: Run[] = [];
  {
    let ms = 0;
    for (const dir of stacks()) {
      fs.rmSync(path.join(dir, '.terraform'), { recursive: true, force: true });
      fs.rmSync(path.join(dir, '.terraform.lock.hcl'), { force: true });
      ms += timed('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env: tfEnv }).ms;
    }
    const p = barePlan();
    bareInit.push({ ...p, ms: ms + p.ms });
  }
  const tp = record('plan', 'mwaa-gitops plan --parallel 1 (init excluded)', n, t1, 'validate+synth+plan -json+show -json+summary');
  const bp = record('plan', 'bare terraform plan, stacks in sequence (init excluded)', n, bare);
  if (tp && bp) rows.push({ stage: 'plan', what: 'overhead (tool / bare - 1), init excluded', n, note: `${(((tp.medianMs - bp.medianMs) / bp.medianMs) * 100).toFixed(1)}%` });
  const sp = record('plan', 'bare terraform show -json of each saved plan', n, show, 'part of the tool\'s overhead');
  if (tp && bp && sp) {
    const both = bp.medianMs + sp.medianMs;
    rows.push({ stage: 'plan', what: 'overhead vs bare plan + show -json, init excluded', n, note: `${(((tp.medianMs - both) / both) * 100).toFixed(1)}%` });
  }
  const tc = record('plan', 'mwaa-gitops plan --parallel 1, cold (init included)', n, [coldTool], '1 run');
  const bc = record('plan', 'bare terraform init + plan, in sequence (init included)', n, bareInit, '1 run');
  if (tc && bc) rows.push({ stage: 'plan', what: 'overhead, init included', n, note: `${(((tc.medianMs - bc.medianMs) / bc.medianMs) * 100).toFixed(1)}%` });
  if (t4.length) {
    const p4 = record('plan', 'mwaa-gitops plan --parallel 4 (init excluded)', n, t4);
    if (tp && p4) rows.push({ stage: 'plan', what: 'speedup --parallel 4 vs 1', n, note: `${(tp.medianMs / p4.medianMs).toFixed(2)}x` });
  }
  return { repo };
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
  let scale: ScaleFigures | undefined;
  try {
    if (!flag('--no-scale')) {
      log('scale: 300 environments, _defaults.yaml changed: validate + affected + diff...');
      scale = benchScale(parent, quick);
    }
    const repos = new Map<number, string>();
    for (const n of sizes) {
      log(`N=${n}: generating ${n} environments...`);
      const repo = makeRepo(n, parent);
      repos.set(n, repo);
      benchValidate(repo, n, quick);
      benchSynth(repo, n, quick, cdktf, cdktfSkip);
    }
    if (repos.has(100)) {
      log('profiling mwaa-gitops synth at N=100 (node --cpu-prof)...');
      profile = profileSynth(repos.get(100)!);
      log(formatProfile(profile));
    }
    if (!flag('--no-plan')) {
      for (const n of sizes.filter((x) => x <= 10)) await benchPlan(parent, n, quick);
      for (const n of sizes.filter((x) => x > 10)) rows.push({ stage: 'plan', what: 'not measured', n, note: 'plan measured at N=1 and 10 only (seconds per stack); per-env linear' });
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
  const p1 = find('plan', 'mwaa-gitops plan --parallel 1 (init excluded)', 1);
  const p10 = find('plan', 'mwaa-gitops plan --parallel 1 (init excluded)', 10);
  if (p1 && p10) scal.push({ metric: 'plan: mwaa-gitops plan --parallel 1 (init excluded)', perEnvMs: { 1: p1.medianMs, 10: Math.round(p10.medianMs / 10) } });

  const speed = (n: number) => {
    const o = find('synth', 'mwaa-gitops synth (cold CLI)', n);
    const t = find('synth', 'cdktf synth (cdktf-cli 0.21.0)', n);
    return o && t ? Math.round((t.medianMs / o.medianMs) * 100) / 100 : undefined;
  };
  const overhead = (n: number) => {
    const a = find('plan', 'mwaa-gitops plan --parallel 1 (init excluded)', n);
    const b = find('plan', 'bare terraform plan, stacks in sequence (init excluded)', n);
    return a && b ? Math.round(((a.medianMs - b.medianMs) / b.medianMs) * 1000) / 10 : undefined;
  };
  const v100 = find('validate', 'mwaa-gitops validate (cold CLI process)', 100);
  const s1 = find('synth', 'mwaa-gitops synth (cold CLI)', 1);
  const s100 = find('synth', 'mwaa-gitops synth (cold CLI)', 100);
  const targets = [
    { target: 'validate 100 specs < 1 s (cold CLI process)', value: v100?.medianMs, met: v100 ? v100.medianMs < 1000 : undefined },
    { target: 'synth 1 env cold < 1 s', value: s1?.medianMs, met: s1 ? s1.medianMs < 1000 : undefined },
    { target: 'synth 100 envs < 10 s', value: s100?.medianMs, met: s100 ? s100.medianMs < 10000 : undefined },
    { target: 'synth 100 envs < 500 MB peak', value: s100?.peakRssMb, met: s100?.peakRssMb !== undefined ? s100.peakRssMb < 500 : undefined },
    ...sizes.map((n) => ({ target: `synth >= 5x faster than cdktf-cli at N=${n}`, value: speed(n), met: speed(n) === undefined ? undefined : speed(n)! >= 5 })),
    ...sizes.filter((n) => n <= 10).map((n) => ({ target: `plan overhead < 10% at N=${n} (init excluded)`, value: overhead(n), met: overhead(n) === undefined ? undefined : overhead(n)! < 10 })),
    { target: 'validate + affected + diff of 300 envs (_defaults changed) < 3 s wall', value: scale?.totalWallMs, met: scale ? scale.totalWallMs < 3000 : undefined },
    { target: 'affected matrix of 300 envs within 256 jobs', value: scale?.jobs, met: scale ? scale.jobs <= 256 : undefined },
    ...scal.filter((s) => s.linear !== undefined).map((s) => ({ target: `linear growth: ${s.metric}`, value: s.marginalMsPerEnv?.ratio, met: s.linear })),
  ];

  const results = {
    timestamp: started.toISOString(),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
    machine,
    options: { quick, sizes, cdktf: cdktf ? path.relative(REPO, cdktf) || cdktf : null, plan: !flag('--no-plan') },
    method: {
      timing: 'wall time of a cold child process (spawnSync), min/median/max over the runs; peak RSS from GNU time %M (largest process of the tree), else process.resourceUsage().maxRSS',
      validate: 'N specs with a shared extends base: schema + every MWAA rule + cross-file rules',
      synth: 'cdktf.out removed before every run; cdktf synth runs the same app (dist/main.js) through cdktf.json',
      plan: 'create-only, fake credentials, offline provider mirror, no emulators; bare = terraform plan -out per stack in sequence',
    },
    rows,
    scaling: scal,
    targets,
    profileSynth100: profile,
    scale,
  };
  const ri = process.argv.indexOf('--results');
  const file = ri >= 0 ? path.resolve(process.argv[ri + 1]) : path.join(REPO, 'bench', 'results.json');
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, node ${machine.node}, terraform ${machine.terraform}\n\n`);
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
