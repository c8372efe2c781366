/**
 * A local runner for the shipped GitHub workflows, faithful enough to prove them end to end (test harness code):
 *
 * - jobs in `needs` order; a job runs when its `if:` holds (default: every needed job succeeded); a matrix built from
 *   `strategy.matrix` (`fromJSON(...)` of `{"include": [...]}`, or dimensions) gives one instance per entry;
 * - steps in order; a step runs when its `if:` holds (default `success()`: no earlier step of the job failed); a job's
 *   outcome is its first failing step; `${{ }}` expressions are evaluated from the event payload and the `github`,
 *   `needs`, `steps`, `matrix`, `vars`, `env`, `job`, `runner` contexts (test/gitops/gha/expressions.ts);
 * - `run:` is written to a file and run with GitHub's default shell for Linux, `bash -e {0}` (`shell: bash` is
 *   `bash --noprofile --norc -eo pipefail {0}`), in the job's workspace, with GITHUB_OUTPUT / GITHUB_ENV /
 *   GITHUB_PATH / GITHUB_STEP_SUMMARY files read back after the step (GITHUB_PATH lines prepended to the job's PATH); `::error` workflow commands are collected as annotations;
 * - `uses:` steps are simulated: actions/checkout = a fresh clone of the scratch origin at the event's commit
 *   (`fetch-depth: 0` fetches every branch as origin/*, otherwise only that commit); setup-node / setup-terraform =
 *   nothing (node and terraform are on PATH); configure-aws-credentials = the emulators' fake credentials plus the
 *   test target (`MWAA_GITOPS_PROVIDER_ARGS`) and backend endpoints for the rest of the job; upload/download-artifact =
 *   copying paths through an artifact store kept in the GitHub state (download-artifact with `run-id` and
 *   `github-token` reads another run's artifacts, as v4 does); codeql upload-sarif = parsing the SARIF file;
 *   github-script = the script run by node with a fake `github` that records comment and issue calls, answers pull
 *   request and workflow run queries from the state, and returns `core.setOutput` values as step outputs;
 * - each run gets the next run id and is recorded in the state (workflow path, event, head sha: the pull request's
 *   head for pull_request runs, as GitHub records it; conclusion). An action or a key this runner does not know makes
 *   it throw, never silently pass.
 * `npm ci` is the tool under test linked into the workspace's node_modules/.bin (a shim first on PATH); npm is otherwise real.
 * Steps run as asynchronous child processes: the emulators (the MWAA fake, the S3 shim) may live in the calling process
 * and must keep answering while a step runs.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { condition, interpolate, resolve, type Scope } from './expressions';

export type Result = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRun {
  name: string;
  id?: string;
  uses?: string;
  outcome: Result;
  exitCode?: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title?: string;
  file?: string;
  line?: number;
  col?: number;
  message: string;
}

export interface JobInstance {
  matrix?: Record<string, unknown>;
  workspace: string;
  steps: StepRun[];
  result: Result;
  /** The first step that failed (the job's outcome). */
  failedStep?: string;
  outputs: Record<string, string>;
  annotations: Annotation[];
  env: Record<string, string>;
  /** Directories the job's steps added through GITHUB_PATH, first = searched first. */
  path: string[];
}

export interface JobRun {
  id: string;
  result: Result;
  instances: JobInstance[];
  outputs: Record<string, string>;
}

export interface WorkflowRun {
  file: string;
  jobs: Record<string, JobRun>;
  /** Artifacts uploaded by the run: name -> directory. */
  artifacts: Record<string, string>;
  github: GithubState;
  sarif: Array<{ file: string; category?: string; results: number }>;
}

export interface GithubState {
  comments: Record<string, Array<{ id: number; body: string }>>;
  issues: Array<{ number: number; title: string; body: string; labels: string[]; state: string }>;
  calls: Array<{ method: string; params: Record<string, unknown> }>;
  nextId?: number;
  /** Pull requests (the test records them when it merges one): what listPullRequestsAssociatedWithCommit answers. */
  pulls?: Array<{ number: number; merged_at: string | null; merge_commit_sha: string | null; head: { sha: string; ref: string } }>;
  /** Workflow runs, recorded by runWorkflow: what actions.listWorkflowRuns answers. */
  runs?: Array<{ id: number; path: string; event: string; head_sha: string; status: 'completed'; conclusion: 'success' | 'failure' }>;
  /** Artifacts of every run (upload-artifact): name, run and where the files are. */
  artifacts?: Array<{ name: string; run_id: number; dir: string }>;
  nextRunId?: number;
}

export interface RunOptions {
  /** The workflow file. */
  workflow: string;
  eventName: 'pull_request' | 'push' | 'schedule' | 'workflow_dispatch';
  event: Record<string, unknown>;
  /** The commit the run is for (GITHUB_SHA: the merge commit for pull_request). */
  sha: string;
  /** GITHUB_REF. */
  ref: string;
  /** The scratch repository's bare "origin" (checkout clones it). */
  origin: string;
  /** Where this run's workspaces, artifacts and temp files go. */
  runDir: string;
  /** `vars` context. */
  vars?: Record<string, string>;
  /** What configure-aws-credentials sets for the rest of the job (emulators' credentials, test target). */
  awsEnv: Record<string, string>;
  /** The tool `npm ci` installs: the package root whose bin/mwaa-gitops is linked into node_modules/.bin. */
  toolRoot: string;
  /** GitHub API state the run starts from (comments, issues); the run's calls are appended. */
  github?: GithubState;
  repository?: string;
}

const STEP_KEYS = new Set(['name', 'id', 'if', 'run', 'uses', 'with', 'env', 'shell']);
const JOB_KEYS = new Set(['runs-on', 'needs', 'if', 'outputs', 'steps', 'strategy', 'concurrency', 'environment', 'permissions', 'env']);

interface Workflow {
  on: unknown;
  env?: Record<string, string>;
  jobs: Record<string, Record<string, unknown>>;
}

function order(jobs: Workflow['jobs']): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string, stack: string[]) => {
    if (seen.has(id)) return;
    if (stack.includes(id)) throw new Error(`needs cycle: ${[...stack, id].join(' -> ')}`);
    for (const n of needsOf(jobs[id])) {
      if (!jobs[n]) throw new Error(`job ${id} needs unknown job ${n}`);
      visit(n, [...stack, id]);
    }
    seen.add(id);
    out.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return out;
}

function needsOf(job: Record<string, unknown>): string[] {
  const n = job.needs;
  return n === undefined ? [] : Array.isArray(n) ? n.map(String) : [String(n)];
}

/** Reads `name=value` lines and `name<<DELIM` heredocs (GITHUB_OUTPUT / GITHUB_ENV format). */
export function parseKeyValueFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(file)) return out;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(l);
    if (heredoc) {
      const buf: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) buf.push(lines[i]);
      out[heredoc[1]] = buf.join('\n');
      continue;
    }
    const eq = l.indexOf('=');
    if (eq > 0) out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
}

/** `::error file=a,line=3,col=5::message` workflow commands in a step's output. */
export function parseAnnotations(text: string): Annotation[] {
  const out: Annotation[] = [];
  for (const l of text.split('\n')) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(l);
    if (!m) continue;
    const props = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((p) => p.split('=') as [string, string]));
    const unescape = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
    out.push({
      level: m[1] as Annotation['level'],
      title: props.title === undefined ? undefined : unescape(props.title),
      file: props.file === undefined ? undefined : unescape(props.file),
      line: props.line ? Number(props.line) : undefined,
      col: props.col ? Number(props.col) : undefined,
      message: unescape(m[3]),
    });
  }
  return out;
}

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

/** The shims first on PATH: `npm ci` links the tool under test; everything else is the real npm. */
function writeShims(dir: string, toolRoot: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const realNpm = spawnSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  const npm = `#!/usr/bin/env bash
# test shim: \`npm ci\` installs the tool under test (a link to this checkout) into the workspace
if [ "$1" = "ci" ]; then
  mkdir -p node_modules/.bin
  ln -sfn ${JSON.stringify(path.join(toolRoot, 'bin', 'mwaa-gitops'))} node_modules/.bin/mwaa-gitops
  echo "added 1 package (mwaa-gitops, linked from the checkout under test)"
  exit 0
fi
exec ${JSON.stringify(realNpm)} "$@"
`;
  fs.writeFileSync(path.join(dir, 'npm'), npm, { mode: 0o755 });
}

export function loadWorkflow(file: string): Workflow {
  return parse(fs.readFileSync(file, 'utf8')) as Workflow;
}

/** A child process, asynchronously (the caller's event loop keeps running). */
export function exec(cmd: string, args: string[], opts: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20 * 60 * 1000);
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export async function runWorkflow(o: RunOptions): Promise<WorkflowRun> {
  const wf = loadWorkflow(o.workflow);
  fs.mkdirSync(o.runDir, { recursive: true });
  const shims = path.join(o.runDir, 'shims');
  writeShims(shims, o.toolRoot);
  const eventFile = path.join(o.runDir, 'event.json');
  fs.writeFileSync(eventFile, JSON.stringify(o.event, null, 2));
  const run: WorkflowRun = {
    file: path.basename(o.workflow),
    jobs: {},
    artifacts: {},
    github: JSON.parse(JSON.stringify(o.github ?? { comments: {}, issues: [], calls: [] })) as GithubState,
    sarif: [],
  };
  const repository = o.repository ?? 'acme/airflow-environments';
  const runId = run.github.nextRunId ?? 4242;
  run.github.nextRunId = runId + 1;
  const github = {
    event_name: o.eventName,
    event: o.event,
    sha: o.sha,
    ref: o.ref,
    repository,
    repository_owner: repository.split('/')[0],
    base_ref: o.eventName === 'pull_request' ? ((o.event.pull_request as { base: { ref: string } }).base.ref) : '',
    head_ref: o.eventName === 'pull_request' ? ((o.event.pull_request as { head: { ref: string } }).head.ref) : '',
    run_id: String(runId),
    token: 'ghs_fake-token-of-the-run',
    server_url: 'https://github.com',
    workspace: '',
  };

  for (const jobId of order(wf.jobs)) {
    const job = wf.jobs[jobId];
    for (const k of Object.keys(job)) if (!JOB_KEYS.has(k)) throw new Error(`${run.file} job ${jobId}: key '${k}' is not simulated by this harness`);
    const needs = Object.fromEntries(needsOf(job).map((n) => [n, { result: run.jobs[n].result, outputs: run.jobs[n].outputs }]));
    const needResults = needsOf(job).map((n) => run.jobs[n].result);
    const jobScope: Scope = {
      contexts: { github, needs, vars: o.vars ?? {}, env: { ...(wf.env ?? {}) }, inputs: {}, secrets: {}, runner: { os: 'Linux', temp: path.join(o.runDir, 'tmp') } },
      status: {
        success: () => needResults.every((r) => r === 'success'),
        failure: () => needResults.some((r) => r === 'failure'),
        cancelled: () => false,
      },
    };
    if (!condition(job.if as string | undefined, jobScope)) {
      run.jobs[jobId] = { id: jobId, result: 'skipped', instances: [], outputs: {} };
      continue;
    }
    const matrices = expandMatrix((job.strategy as { matrix?: unknown } | undefined)?.matrix, jobScope);
    const instances: JobInstance[] = [];
    for (const [i, matrix] of matrices.entries()) instances.push(await runJob(o, run, wf, jobId, job, { ...jobScope, contexts: { ...jobScope.contexts, matrix: matrix ?? {} } }, matrix, i, shims, eventFile, github));
    const result: Result = instances.some((x) => x.result === 'failure') ? 'failure' : 'success';
    // a matrix job's outputs: GitHub keeps the last instance's value; ours are the same for every instance
    const outputs = Object.assign({}, ...instances.map((x) => x.outputs)) as Record<string, string>;
    run.jobs[jobId] = { id: jobId, result, instances, outputs };
  }
  const headSha = o.eventName === 'pull_request' ? (o.event.pull_request as { head: { sha: string } }).head.sha : o.sha;
  const conclusion = Object.values(run.jobs).some((j) => j.result === 'failure') ? 'failure' : 'success';
  (run.github.runs ??= []).push({ id: runId, path: `.github/workflows/${run.file}`, event: o.eventName, head_sha: headSha, status: 'completed', conclusion });
  return run;
}

function expandMatrix(matrix: unknown, scope: Scope): Array<Record<string, unknown> | undefined> {
  if (matrix === undefined) return [undefined];
  const m = resolve(matrix, scope) as Record<string, unknown>;
  if (!m || typeof m !== 'object') throw new Error(`matrix is not an object: ${JSON.stringify(m)}`);
  const dims = Object.entries(m).filter(([k]) => k !== 'include' && k !== 'exclude');
  let combos: Array<Record<string, unknown>> = [{}];
  for (const [k, values] of dims) combos = combos.flatMap((c) => (values as unknown[]).map((v) => ({ ...c, [k]: v })));
  if (dims.length === 0) combos = [];
  const include = (m.include as Array<Record<string, unknown>> | undefined) ?? [];
  const all = [...combos, ...include];
  if (all.length === 0) throw new Error('Matrix vector does not contain any values (GitHub fails the job)');
  return all;
}

async function runJob(
  o: RunOptions,
  run: WorkflowRun,
  wf: Workflow,
  jobId: string,
  job: Record<string, unknown>,
  scope: Scope,
  matrix: Record<string, unknown> | undefined,
  index: number,
  shims: string,
  eventFile: string,
  github: Record<string, unknown>,
): Promise<JobInstance> {
  const root = path.join(o.runDir, `${jobId}-${index}`);
  const workspace = path.join(root, 'workspace');
  const temp = path.join(root, 'tmp');
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(temp, { recursive: true });
  const inst: JobInstance = { matrix, workspace, steps: [], result: 'success', outputs: {}, annotations: [], env: {}, path: [] };
  const jobEnv: Record<string, string> = { ...(wf.env ?? {}), ...((resolve(job.env ?? {}, scope) as Record<string, string>) ?? {}) };
  const stepsCtx: Record<string, { outputs: Record<string, string>; outcome: Result; conclusion: Result }> = {};
  const baseEnv: Record<string, string> = {
    PATH: `${shims}:${process.env.PATH}`,
    HOME: process.env.HOME ?? '/root',
    TMPDIR: temp,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_SHA: o.sha,
    GITHUB_REF: o.ref,
    GITHUB_REPOSITORY: String(github.repository),
    GITHUB_RUN_ID: String(github.run_id),
    GITHUB_BASE_REF: String(github.base_ref),
    GITHUB_HEAD_REF: String(github.head_ref),
    GITHUB_JOB: jobId,
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: temp,
  };
  const steps = (job.steps as Array<Record<string, unknown>>) ?? [];
  for (const [i, step] of steps.entries()) {
    for (const k of Object.keys(step)) if (!STEP_KEYS.has(k)) throw new Error(`${run.file} ${jobId} step ${i}: key '${k}' is not simulated by this harness`);
    const failedSoFar = inst.steps.some((s) => s.outcome === 'failure');
    const stepScope: Scope = {
      contexts: { ...scope.contexts, steps: stepsCtx, env: { ...jobEnv }, job: { status: failedSoFar ? 'failure' : 'success' } },
      status: { success: () => !failedSoFar, failure: () => failedSoFar, cancelled: () => false },
    };
    const name = step.name ? interpolate(String(step.name), stepScope) : step.uses ? `Run ${step.uses}` : `Run ${String(step.run).split('\n')[0]}`;
    const record = (s: Omit<StepRun, 'name' | 'id' | 'uses'>) => {
      const sr: StepRun = { name, id: step.id as string | undefined, uses: step.uses as string | undefined, ...s };
      inst.steps.push(sr);
      if (sr.id) stepsCtx[sr.id] = { outputs: sr.outputs, outcome: sr.outcome, conclusion: sr.outcome };
      if (sr.outcome === 'failure' && !inst.failedStep) inst.failedStep = name;
    };
    if (!condition(step.if as string | undefined, stepScope)) {
      record({ outcome: 'skipped', stdout: '', stderr: '', outputs: {} });
      continue;
    }
    const env: Record<string, string> = { ...baseEnv, ...inst.env, ...jobEnv, ...((resolve(step.env ?? {}, stepScope) as Record<string, string>) ?? {}) };
    if (inst.path.length) env.PATH = `${inst.path.join(':')}:${env.PATH}`;
    if (step.run !== undefined) {
      const script = interpolate(String(step.run), stepScope);
      const scriptFile = path.join(temp, `step-${i}.sh`);
      fs.writeFileSync(scriptFile, script);
      const files = {
        GITHUB_OUTPUT: path.join(temp, `output-${i}`),
        GITHUB_ENV: path.join(temp, `env-${i}`),
        GITHUB_PATH: path.join(temp, `path-${i}`),
        GITHUB_STEP_SUMMARY: path.join(temp, `summary-${i}`),
      };
      for (const f of Object.values(files)) fs.writeFileSync(f, '');
      const shell = step.shell === undefined ? ['bash', '-e', scriptFile] : step.shell === 'bash' ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail', scriptFile] : undefined;
      if (!shell) throw new Error(`shell '${String(step.shell)}' is not simulated`);
      const r = await exec(shell[0], shell.slice(1), { cwd: workspace, env: { ...env, ...files } });
      const outputs = parseKeyValueFile(files.GITHUB_OUTPUT);
      Object.assign(inst.env, parseKeyValueFile(files.GITHUB_ENV));
      // GITHUB_PATH: each line a directory prepended to PATH for the job's later steps (the last added first)
      for (const dir of fs.readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter((l) => l.trim() !== '')) inst.path.unshift(dir);
      inst.annotations.push(...parseAnnotations(`${r.stdout}\n${r.stderr}`));
      record({ outcome: r.status === 0 ? 'success' : 'failure', exitCode: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, outputs });
      continue;
    }
    const uses = String(step.uses);
    const withArgs = (resolve(step.with ?? {}, stepScope) as Record<string, unknown>) ?? {};
    try {
      const r = await simulate(uses, withArgs, { o, run, inst, workspace, env, jobId, github });
      record({ outcome: 'success', stdout: typeof r === 'object' ? r.stdout : (r ?? ''), stderr: '', outputs: typeof r === 'object' ? r.outputs : {} });
    } catch (e) {
      if ((e as { harness?: boolean }).harness) throw e;
      record({ outcome: 'failure', stdout: '', stderr: (e as Error).message, outputs: {} });
    }
  }
  inst.result = inst.steps.some((s) => s.outcome === 'failure') ? 'failure' : 'success';
  const outputsScope: Scope = { contexts: { ...scope.contexts, steps: stepsCtx }, status: scope.status };
  inst.outputs = Object.fromEntries(Object.entries((job.outputs as Record<string, string>) ?? {}).map(([k, v]) => [k, interpolate(v, outputsScope)]));
  return inst;
}

function harnessError(message: string): Error {
  return Object.assign(new Error(message), { harness: true });
}

interface SimContext {
  o: RunOptions;
  run: WorkflowRun;
  inst: JobInstance;
  workspace: string;
  env: Record<string, string>;
  jobId: string;
  github: Record<string, unknown>;
}

function copyInto(src: string, dest: string): void {
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(src, dest, { recursive: true });
}

async function simulate(uses: string, w: Record<string, unknown>, c: SimContext): Promise<string | undefined | { stdout: string; outputs: Record<string, string> }> {
  const action = uses.split('@')[0];
  switch (action) {
    case 'actions/checkout': {
      for (const k of Object.keys(w)) if (!['fetch-depth', 'ref'].includes(k)) throw harnessError(`actions/checkout input '${k}' is not simulated`);
      const depth = Number(w['fetch-depth'] ?? 1);
      const sha = String(w.ref ?? c.o.sha);
      git(c.workspace, ['init', '-q']);
      git(c.workspace, ['remote', 'add', 'origin', `file://${c.o.origin}`]);
      if (depth === 0) {
        git(c.workspace, ['fetch', '-q', '--no-tags', 'origin', '+refs/heads/*:refs/remotes/origin/*']);
        git(c.workspace, ['fetch', '-q', 'origin', sha]);
      } else {
        git(c.workspace, ['fetch', '-q', `--depth=${depth}`, 'origin', sha]);
      }
      git(c.workspace, ['checkout', '-q', '--detach', sha]);
      return `checked out ${sha}`;
    }
    case 'actions/setup-node':
    case 'hashicorp/setup-terraform':
      // node and terraform (1.11.4) are on PATH already
      if (action === 'hashicorp/setup-terraform' && w.terraform_wrapper !== false) throw harnessError('setup-terraform without terraform_wrapper: false wraps terraform; not simulated');
      return undefined;
    case 'aws-actions/configure-aws-credentials': {
      if (!w['aws-region']) throw new Error('Input required and not supplied: aws-region');
      Object.assign(c.inst.env, c.o.awsEnv, { AWS_REGION: String(w['aws-region']), AWS_DEFAULT_REGION: String(w['aws-region']) });
      return `credentials for ${String(w['role-to-assume'] ?? '(no role)')} in ${String(w['aws-region'])}`;
    }
    case 'github/codeql-action/upload-sarif': {
      const file = path.join(c.workspace, String(w.sarif_file));
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string; runs?: Array<{ results?: unknown[] }> };
      if (doc.version !== '2.1.0') throw new Error(`${w.sarif_file}: not SARIF 2.1.0`);
      c.run.sarif.push({ file: String(w.sarif_file), category: w.category as string | undefined, results: (doc.runs ?? []).reduce((n, r) => n + (r.results?.length ?? 0), 0) });
      return undefined;
    }
    case 'actions/upload-artifact': {
      const name = String(w.name);
      const src = path.join(c.workspace, String(w.path));
      const missing = !fs.existsSync(src) || (fs.statSync(src).isDirectory() && fs.readdirSync(src).length === 0);
      if (missing) {
        const mode = String(w['if-no-files-found'] ?? 'warn');
        if (mode === 'error') throw new Error(`No files were found with the provided path: ${w.path}`);
        return `no files found at ${w.path} (${mode})`;
      }
      if (c.run.artifacts[name]) throw new Error(`an artifact named ${name} already exists (upload-artifact@v4 refuses)`);
      const dest = path.join(c.o.runDir, 'artifacts', name);
      if (fs.statSync(src).isDirectory()) copyInto(src, dest);
      else copyInto(src, path.join(dest, path.basename(src)));
      c.run.artifacts[name] = dest;
      (c.run.github.artifacts ??= []).push({ name, run_id: Number(c.github.run_id), dir: dest });
      return `uploaded ${name}`;
    }
    case 'actions/download-artifact': {
      const dest = path.join(c.workspace, String(w.path ?? '.'));
      const pattern = w.name ? String(w.name) : String(w.pattern ?? '*');
      const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      // v4: another run's artifacts need run-id and a token with actions: read
      const otherRun = w['run-id'] !== undefined && w['run-id'] !== '' ? Number(w['run-id']) : undefined;
      if (otherRun !== undefined && !w['github-token']) throw new Error('download-artifact: run-id given without github-token');
      if (otherRun !== undefined && !Number.isInteger(otherRun)) throw new Error(`download-artifact: run-id '${String(w['run-id'])}' is not a run id`);
      const store: Record<string, string> =
        otherRun === undefined ? c.run.artifacts : Object.fromEntries((c.run.github.artifacts ?? []).filter((a) => a.run_id === otherRun).map((a) => [a.name, a.dir]));
      const names = Object.keys(store).filter((n) => re.test(n));
      if (w.name && names.length === 0) throw new Error(`Artifact not found: ${w.name}`);
      fs.mkdirSync(dest, { recursive: true });
      for (const n of names) copyInto(store[n], w['merge-multiple'] === true || w.name ? dest : path.join(dest, n));
      return `downloaded ${names.length} artifact(s)${otherRun !== undefined ? ` of run ${otherRun}` : ''}: ${names.join(', ')}`;
    }
    case 'actions/github-script': {
      const stateFile = path.join(c.o.runDir, 'github-state.json');
      fs.writeFileSync(stateFile, JSON.stringify(c.run.github));
      const repository = String(c.github.repository);
      const context = {
        eventName: c.o.eventName,
        payload: c.o.event,
        sha: c.o.sha,
        ref: c.o.ref,
        runId: Number(c.github.run_id),
        serverUrl: c.github.server_url,
        repo: { owner: repository.split('/')[0], repo: repository.split('/')[1] },
        issue: { owner: repository.split('/')[0], repo: repository.split('/')[1], number: (c.o.event.pull_request as { number?: number } | undefined)?.number },
      };
      const input = path.join(c.o.runDir, `github-script-${c.jobId}-${Date.now()}.json`);
      const outputsFile = `${input}.outputs`;
      fs.writeFileSync(input, JSON.stringify({ script: String(w.script), context, outputsFile }));
      const r = await exec(process.execPath, [path.join(__dirname, 'github-script-host.js'), input, stateFile], { cwd: c.workspace, env: c.env });
      c.run.github = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as GithubState;
      if (r.status !== 0) throw new Error(`github-script failed: ${r.stderr}${r.stdout}`);
      const outputs = fs.existsSync(outputsFile) ? (JSON.parse(fs.readFileSync(outputsFile, 'utf8')) as Record<string, string>) : {};
      return { stdout: r.stdout, outputs };
    }
    default:
      throw harnessError(`action ${uses} is not simulated by this harness`);
  }
}

/** The step of a job instance with this name (or name prefix). */
export function step(inst: JobInstance, name: string): StepRun {
  const s = inst.steps.find((x) => x.name === name) ?? inst.steps.find((x) => x.name.startsWith(name));
  if (!s) throw new Error(`no step '${name}' in ${inst.steps.map((x) => x.name).join(', ')}`);
  return s;
}
