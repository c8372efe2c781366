/**
 * Shared pieces of the benchmark scripts (bench/run.ts, bench/validate.ts, bench/synth.ts, bench/plan.ts):
 * a generator of varied environment specs, a real mini repository (environments/, airflow/ artifacts, cdktf.json),
 * cold child-process timing with peak RSS (GNU time when present), and min/median/max statistics.
 * Benchmarks are scripts, not tests: nothing here runs under `npm test`.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { storeDir } from '../src/spec/parse-store';

/** Repository root (this file compiles to dist/bench/lib.js). */
export const REPO = path.resolve(__dirname, '..', '..');
export const OUT = path.join(REPO, 'bench', 'out');
export const BIN = path.join(REPO, 'bin', 'mwaa-gitops');
export const MAIN_JS = path.join(REPO, 'dist', 'main.js');
export const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
export const CDKTF_CLI_VERSION = '0.21.0';
/**
 * Where cdktf-cli (a third-party package with its own tests in its node_modules, ~420 MB) is installed on demand:
 * the tool's cache directory (src/spec/parse-store.ts `storeDir`), never inside the repository.
 */
export const CDKTF_PREFIX = path.join(storeDir() ?? path.join(os.tmpdir(), 'mwaa-gitops'), `cdktf-cli-${CDKTF_CLI_VERSION}`);
export const ACCOUNT = '111122223333';

export function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

export function flag(name: string): boolean {
  return process.argv.includes(name);
}

const CLASSES = ['mw1.small', 'mw1.medium', 'mw1.large', 'mw1.xlarge', 'mw1.2xlarge'];
const VERSIONS = ['2.10.3', '2.10.1', '2.9.2', '2.8.1', '2.7.2'];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];

function hex(n: number, len: number): string {
  return (n * 2654435761).toString(16).padStart(len, '0').slice(-len);
}

export function envName(i: number): string {
  return `bench-env-${String(i).padStart(3, '0')}`;
}

/**
 * Environment i of a generated set. Varies, by i: class, Airflow version, region, scheduler/worker counts,
 * web server access, network (create public / create private / existing), artifacts (requirements always,
 * plugins every 4th), encryption (aws-owned / create CMK / existing key). Every spec names its `account`,
 * so a create-only plan needs no caller-identity lookup.
 */
export function specYaml(i: number): string {
  const name = envName(i);
  const region = REGIONS[i % REGIONS.length];
  const lines = [
    '# yaml-language-server: $schema=../schemas/environment.schema.json',
    'apiVersion: mwaa-gitops/v1',
    `name: ${name}`,
    'extends: ./_base.yaml',
    `region: ${region}`,
    `account: "${ACCOUNT}"`,
    `tags: { team: team-${i % 7}, stage: ${i % 2 ? 'dev' : 'prod'} }`,
    'airflow:',
    `  version: "${VERSIONS[i % VERSIONS.length]}"`,
    `  environmentClass: ${CLASSES[i % CLASSES.length]}`,
    `  schedulers: ${2 + (i % 3)}`,
    `  workers: { min: 1, max: ${2 + (i % 20)} }`,
    '  configuration:',
    `    core.default_task_retries: "${i % 4}"`,
    `    celery.worker_autoscale: "${5 * (1 + (i % 4))},1"`,
  ];
  const privateRouting = i % 3 === 1;
  lines.push(`  webserverAccess: ${privateRouting || i % 2 ? 'PRIVATE_ONLY' : 'PUBLIC_ONLY'}`);
  if (i % 3 === 2) {
    lines.push(
      'network:',
      '  mode: existing',
      `  vpcId: vpc-${hex(i, 17)}`,
      `  subnetIds: [subnet-${hex(i + 1, 17)}, subnet-${hex(i + 2, 17)}]`,
      `  securityGroupIds: [sg-${hex(i + 3, 17)}]`,
    );
  } else {
    const b = 10 + (i % 200);
    lines.push(
      'network:',
      '  mode: create',
      `  routing: ${privateRouting ? 'private' : 'public'}`,
      `  vpcCidr: 10.${b}.0.0/16`,
      ...(privateRouting ? [] : [`  publicSubnets: [10.${b}.10.0/24, 10.${b}.11.0/24]`]),
      `  privateSubnets: [10.${b}.20.0/24, 10.${b}.21.0/24]`,
    );
  }
  // Private routing without NAT reaches no package index (MWAA-REQ-005): those install nothing extra.
  lines.push('bucket:', `  requirements: { source: airflow/requirements-${privateRouting ? 'offline' : VERSIONS[i % VERSIONS.length]}.txt }`);
  if (i % 4 === 0) {
    lines.push('  plugins: { source: airflow/plugins.zip }');
    lines.splice(lines.indexOf('  configuration:') + 1, 0, '    core.lazy_load_plugins: "False"');
  }
  const kms = i % 3 === 0 ? 'aws-owned' : i % 3 === 1 ? 'create' : 'existing';
  lines.push('encryption:', `  kms: ${kms}`);
  if (kms === 'existing') lines.push(`  keyArn: arn:aws:kms:${region}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-${hex(i, 12)}`);
  lines.push('iam:', `  webAccess: { Admin: [arn:aws:iam::${ACCOUNT}:role/admins] }`);
  return `${lines.join('\n')}\n`;
}

/**
 * A real mini repository with `n` generated environments: environments/_base.yaml (shared base),
 * environments/bench-env-NNN.yaml, airflow/requirements.txt and plugins.zip, and a cdktf.json whose app is
 * dist/main.js (so `cdktf synth` runs the same app). Created under `parent` (default: a new temp directory).
 */
export function makeRepo(n: number, parent?: string, o: { base?: string; dirName?: string } = {}): string {
  const base = o.base ?? '_base.yaml';
  const root = parent ? path.join(parent, o.dirName ?? `repo-${n}`) : fs.mkdtempSync(path.join(os.tmpdir(), `mwaa-bench-${n}-`));
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'environments'), { recursive: true });
  fs.mkdirSync(path.join(root, 'airflow'));
  // One requirements file per Airflow version: the constraint must name the environment's version (MWAA-REQ-001).
  fs.writeFileSync(path.join(root, 'airflow', 'requirements-offline.txt'), '# nothing beyond what MWAA installs (no package index reachable)\n');
  for (const v of VERSIONS) fs.writeFileSync(path.join(root, 'airflow', `requirements-${v}.txt`), `--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-${v}/constraints-3.11.txt"\nboto3\n`);
  // An empty but valid zip (end-of-central-directory record only).
  fs.writeFileSync(path.join(root, 'airflow', 'plugins.zip'), Buffer.from('504b0506000000000000000000000000000000000000', 'hex'));
  fs.writeFileSync(
    path.join(root, 'environments', base),
    'tags: { managed-by: mwaa-gitops }\nairflow:\n  maintenanceWindow: "SUN:03:00"\n  logging: { task: { level: INFO }, retentionDays: 30 }\n',
  );
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(root, 'environments', `${envName(i)}.yaml`), specYaml(i).replace('extends: ./_base.yaml', `extends: ./${base}`));
  fs.writeFileSync(path.join(root, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: `node ${MAIN_JS}`, sendCrashReports: 'false' }));
  return root;
}

/**
 * The scale case: `makeRepo(n)` with the shared base named `environments/_defaults.yaml` (a repository-wide input:
 * its change affects every environment), committed to a git repository on `main`, then the base changed in the
 * working tree (a new tag, the maintenance window moved). Returns the repository root.
 */
export function makeDefaultsChangedRepo(n: number, parent?: string): string {
  const root = makeRepo(n, parent, { base: '_defaults.yaml', dirName: `scale-${n}` });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@example.com');
  git('config', 'user.name', 'bench');
  git('config', 'commit.gpgsign', 'false');
  git('add', '-A');
  git('commit', '-q', '-m', `${n} environments`);
  fs.writeFileSync(
    path.join(root, 'environments', '_defaults.yaml'),
    'tags: { managed-by: mwaa-gitops, cost-center: cc-42 }\nairflow:\n  maintenanceWindow: "SAT:04:00"\n  logging: { task: { level: INFO }, retentionDays: 30 }\n',
  );
  return root;
}

export interface Run {
  ms: number;
  /** Peak RSS of the child (and, for GNU time, its largest descendant), MB. */
  rssMb?: number;
  /** User + system CPU seconds of the child (GNU time %U + %S): the figure a loaded, shared machine distorts least. */
  cpuS?: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * One cold child process: wall time measured here, peak RSS from GNU time (`%M`, KB; the largest of the
 * process and its waited-for children). Throws when the exit code is not in `ok`.
 */
export function timed(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; ok?: number[] }): Run {
  fs.mkdirSync(OUT, { recursive: true });
  const rssFile = path.join(OUT, `rss-${process.pid}.txt`);
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c, a, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const ok = opts.ok ?? [0];
  if (r.error) throw r.error;
  if (!ok.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  let rssMb: number | undefined;
  let cpuS: number | undefined;
  if (GNU_TIME) {
    const last = (fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    rssMb = last[0] / 1024;
    cpuS = Math.round((last[1] + last[2]) * 100) / 100;
    fs.rmSync(rssFile, { force: true });
  }
  return { ms, rssMb, cpuS, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Stats {
  runs: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
  /** Largest peak RSS over the runs, MB. */
  peakRssMb?: number;
  samplesMs: number[];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function stats(samplesMs: number[], rssMb: Array<number | undefined> = []): Stats {
  const rss = rssMb.filter((x): x is number => x !== undefined);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    runs: samplesMs.length,
    minMs: r1(Math.min(...samplesMs)),
    medianMs: r1(median(samplesMs)),
    maxMs: r1(Math.max(...samplesMs)),
    peakRssMb: rss.length ? r1(Math.max(...rss)) : undefined,
    samplesMs: samplesMs.map(r1),
  };
}

export function statsOf(runs: Run[]): Stats {
  return stats(runs.map((r) => r.ms), runs.map((r) => r.rssMb));
}

/** Environment for benchmark children: no update checks, no colour, no telemetry. */
export function quietEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CI: '1', NO_COLOR: '1', ...extra };
}

/** The cdktf binary: `CDKTF_CLI`, else CDKTF_PREFIX (installed there on demand when `install`). */
export function cdktfCli(install: boolean, log: (l: string) => void): string | undefined {
  if (process.env.CDKTF_CLI) return process.env.CDKTF_CLI;
  const bin = path.join(CDKTF_PREFIX, 'node_modules', '.bin', 'cdktf');
  if (fs.existsSync(bin)) return bin;
  if (!install) return undefined;
  log(`installing cdktf-cli@${CDKTF_CLI_VERSION} into ${CDKTF_PREFIX} (not a project dependency; ~420 MB)...`);
  fs.mkdirSync(CDKTF_PREFIX, { recursive: true });
  const r = spawnSync('npm', ['install', '--prefix', CDKTF_PREFIX, `cdktf-cli@${CDKTF_CLI_VERSION}`, '--no-save', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(bin)) {
    log('cdktf-cli install failed; cdktf synth not measured');
    return undefined;
  }
  return bin;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  terraform: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    /* not Linux */
  }
  const tf = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
  const tfVersion = /Terraform (v[\d.]+)/.exec(tf.stdout ?? '')?.[1] ?? 'not found';
  return {
    cpuModel,
    cores: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    terraform: tfVersion,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}
