/**
 * The shipped workflows, run: every `run:` step of plan.yml, apply.yml and drift.yml executed in order by a local
 * runner (test/gitops/gha/runner.ts) in a scratch git repository, `${{ }}` from fixture event payloads
 * (test/gitops/gha/events/), the real CLI (`mwaa-gitops` from node_modules/.bin, put on PATH through GITHUB_PATH) against the emulators, state in the emulated S3 backend
 * (as the README asks: runners keep no local state). One emulator set-up for the file.
 *
 * The repository's main has one protected environment, `wf-prod`, added by a pull request whose reviewed plan the
 * apply workflow applies on merge. Then, as a platform team would see them:
 *  - a pull request with a change (max workers): green, one comment with the plan, the counts `terraform show` prints;
 *  - an invalid spec: red at validate, with `::error` annotations on the file; the comment says so;
 *  - no environment affected (a DAG and the README): green, nothing planned, the comment says so (updated in place on
 *    the next push);
 *  - the drift schedule: drift injected through the AWS SDK opens the `Drift: wf-prod` issue;
 *  - merged, the pull request with the change applies: the plan at merge matches the reviewed plan artifact;
 *  - a direct push to main (no pull request, nothing reviewed): apply refuses;
 *  - a pull request reviewed before that push merges: its plan at merge gained the destroy that push carries (an
 *    S3 object), which reviewers never saw: apply refuses and names it, nothing in AWS changes;
 *  - a replacement of the protected environment (its private subnets move): the plan job is red (Terraform refuses:
 *    prevent_destroy), the comment says at the top that the plan failed and names the danger; merged anyway, the apply
 *    job refuses it and nothing in AWS changes.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetEnvironmentCommand, MWAAClient, UpdateEnvironmentCommand } from '@aws-sdk/client-mwaa';
import { Emulators, startEmulators, TEST_ACCOUNT_ID, TEST_REGION } from '../../src/sandbox/emulators';
import { exec, runWorkflow, step, type GithubState, type WorkflowRun } from '../gitops/gha/runner';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const EVENTS = path.join(ROOT, 'test', 'gitops', 'gha', 'events');
const ENV = 'wf-prod';
const OLD_SUBNETS = '[10.70.1.0/24, 10.70.2.0/24]';
const NEW_SUBNETS = '[10.70.3.0/24, 10.70.4.0/24]';

jest.setTimeout(20 * 60 * 1000);

let em: Emulators;
let scratch: string;
let origin: string;
let dev: string;
let awsEnv: Record<string, string>;
let github: GithubState = { comments: {}, issues: [], calls: [] };
let runs = 0;
/** Pull requests planned in one test and merged in a later one. */
const prs: Record<string, Pr> = {};

const STARTUP = '#!/bin/sh\nexport AIRFLOW__CORE__TEST_CONNECTION=Disabled\n';
const spec = (o: { max?: number; min?: number; subnets?: string; startup?: boolean } = {}) => `apiVersion: mwaa-gitops/v1
name: ${ENV}
region: us-east-1
account: "${TEST_ACCOUNT_ID}"
airflow:
  version: "2.10.3"
  workers: { min: ${o.min ?? 1}, max: ${o.max ?? 4} }
  webserverAccess: PRIVATE_ONLY
network:
  mode: create
  routing: private
  vpcCidr: 10.70.0.0/16
  privateSubnets: ${o.subnets ?? OLD_SUBNETS}
bucket:
  name: ${ENV}-bucket-e2e
${o.startup === false ? '' : '  startupScript: { source: airflow/startup.sh }\n'}protection:
  preventDestroy: true
state:
  backend: s3
  bucket: wf-tfstate
  key: mwaa/${ENV}.tfstate
  region: us-east-1
`;

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const event = (name: string) => JSON.parse(fs.readFileSync(path.join(EVENTS, `${name}.json`), 'utf8')) as Record<string, any>;

/** Commits `files` (null deletes) on `branch` of the dev clone (from origin/main when new) and pushes it. */
function commit(branch: string, files: Record<string, string | null>, message: string): string {
  git(dev, 'fetch', '-q', 'origin');
  const exists = spawnSync('git', ['rev-parse', '--verify', '-q', `origin/${branch}`], { cwd: dev }).status === 0;
  git(dev, 'checkout', '-q', '-B', branch, exists ? `origin/${branch}` : 'origin/main');
  for (const [f, text] of Object.entries(files)) {
    const p = path.join(dev, f);
    if (text === null) fs.rmSync(p, { force: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    }
  }
  git(dev, 'add', '-A');
  git(dev, 'commit', '-q', '-m', message);
  git(dev, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
  return git(dev, 'rev-parse', 'HEAD');
}

interface Pr {
  number: number;
  branch: string;
  head: string;
  merge: string;
  base: string;
}

/** GitHub's refs/pull/<n>/merge: the head merged into the current main (what the pull_request workflow checks out). */
function pullRequest(number: number, branch: string): Pr {
  git(dev, 'fetch', '-q', 'origin');
  const base = git(dev, 'rev-parse', 'origin/main');
  const head = git(dev, 'rev-parse', `origin/${branch}`);
  git(dev, 'checkout', '-q', '--detach', base);
  git(dev, 'merge', '-q', '--no-ff', '-m', `Merge pull request #${number} from acme/${branch}`, head);
  const merge = git(dev, 'rev-parse', 'HEAD');
  git(dev, 'push', '-q', '-f', 'origin', `${merge}:refs/pull/${number}/merge`, `${head}:refs/pull/${number}/head`);
  return { number, branch, head, merge, base };
}

function runPlanWorkflow(pr: Pr): Promise<WorkflowRun> {
  const e = event('pull_request');
  e.number = pr.number;
  e.pull_request.number = pr.number;
  e.pull_request.title = pr.branch;
  e.pull_request.head = { ...e.pull_request.head, ref: pr.branch, sha: pr.head, label: `acme:${pr.branch}` };
  e.pull_request.base = { ...e.pull_request.base, sha: pr.base };
  return run('plan.yml', 'pull_request', e, pr.merge, `refs/pull/${pr.number}/merge`);
}

/**
 * Merges the pull request as GitHub does: a new merge commit of its head into the current main becomes main, and the
 * pull request records it (merge_commit_sha); then the apply workflow runs for that push.
 */
function mergeAndApply(pr: Pr): Promise<WorkflowRun> {
  git(dev, 'fetch', '-q', 'origin');
  const before = git(dev, 'rev-parse', 'origin/main');
  git(dev, 'checkout', '-q', '--detach', before);
  git(dev, 'merge', '-q', '--no-ff', '-m', `Merge pull request #${pr.number} from acme/${pr.branch}`, pr.head);
  const merged = git(dev, 'rev-parse', 'HEAD');
  git(dev, 'push', '-q', 'origin', `${merged}:refs/heads/main`);
  github.pulls = [...(github.pulls ?? []), { number: pr.number, merged_at: new Date().toISOString(), merge_commit_sha: merged, head: { sha: pr.head, ref: pr.branch } }];
  return runApplyWorkflow(before, merged);
}

function runApplyWorkflow(before: string, after: string): Promise<WorkflowRun> {
  const e = event('push');
  e.before = before;
  e.after = after;
  e.head_commit = { id: after, message: git(dev, 'log', '-1', '--format=%s', after) };
  return run('apply.yml', 'push', e, after, 'refs/heads/main');
}

async function run(file: string, eventName: 'pull_request' | 'push' | 'schedule', e: Record<string, unknown>, sha: string, ref: string): Promise<WorkflowRun> {
  const r = await runWorkflow({
    workflow: path.join(WORKFLOWS, file),
    eventName,
    event: e,
    sha,
    ref,
    origin,
    runDir: path.join(scratch, 'runs', `${++runs}-${file.replace('.yml', '')}`),
    vars: {},
    awsEnv,
    toolRoot: ROOT,
    github,
  });
  github = r.github;
  return r;
}

/** Every step's output of a run, for failure messages. */
function log(r: WorkflowRun): string {
  return Object.values(r.jobs)
    .flatMap((j) => j.instances.flatMap((i) => i.steps.map((s) => `[${j.id}] ${s.name}: ${s.outcome}\n${s.stdout.slice(-3000)}${s.stderr.slice(-3000)}`)))
    .join('\n');
}

function expectJobs(r: WorkflowRun, expected: Record<string, string>): void {
  const got = Object.fromEntries(Object.entries(r.jobs).map(([k, j]) => [k, j.result]));
  if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`jobs ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}\n${log(r)}`);
}

const mwaa = () => new MWAAClient({ region: TEST_REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoint: `http://127.0.0.1:${em.mwaa.listenPort}`, disableHostPrefix: true });

beforeAll(async () => {
  em = await startEmulators({ mwaa: { transitionDelayMs: 500 } });
  scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-workflows-e2e-')));
  // what the platform team set up once: the state bucket, the roles (here: the emulators' credentials)
  await new S3Client({ region: TEST_REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoint: em.moto.endpoint, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'wf-tfstate' }));
  const target = em.writeTarget(path.join(scratch, 'target.json'));
  const backend = path.join(scratch, 'emulated-s3.tfbackend');
  fs.writeFileSync(
    backend,
    [`endpoints = { s3 = "${em.moto.endpoint}", sts = "${em.moto.endpoint}", iam = "${em.moto.endpoint}" }`, 'use_path_style = true', 'skip_credentials_validation = true', 'skip_requesting_account_id = true', 'skip_metadata_api_check = true', ''].join('\n'),
  );
  // configure-aws-credentials in the emulated account: credentials, the provider target, the backend's S3 endpoint
  awsEnv = { ...em.awsEnv, MWAA_GITOPS_PROVIDER_ARGS: target, TF_CLI_ARGS_init: `-backend-config=${backend}` };
  origin = path.join(scratch, 'origin.git');
  git(scratch, 'init', '-q', '--bare', '-b', 'main', origin);
  git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true'); // GitHub serves any commit by SHA (checkout of refs/pull/N/merge)
  dev = path.join(scratch, 'dev');
  git(scratch, 'clone', '-q', origin, dev);
  git(dev, 'config', 'user.email', 'dev@example.com');
  git(dev, 'config', 'user.name', 'Dev');
  git(dev, 'checkout', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dev, 'README.md'), '# airflow environments\n');
  fs.writeFileSync(path.join(dev, '.gitignore'), 'node_modules/\n.mwaa-gitops/\ncdktf.out/\nplans/\n*.sarif\naffected.json\ncomment.md\ndrift.md\n');
  fs.mkdirSync(path.join(dev, 'dags'));
  fs.writeFileSync(path.join(dev, 'dags', 'hello.py'), 'print("hello")\n');
  // the README's step 2: the three workflows copied into the repository
  for (const f of fs.readdirSync(WORKFLOWS)) fs.cpSync(path.join(WORKFLOWS, f), path.join(dev, '.github', 'workflows', f));
  fs.mkdirSync(path.join(dev, 'airflow'));
  fs.writeFileSync(path.join(dev, 'airflow', 'startup.sh'), STARTUP);
  git(dev, 'add', '-A');
  git(dev, 'commit', '-q', '-m', 'empty repository with the mwaa-gitops workflows');
  git(dev, 'push', '-q', 'origin', 'main');
}, 300000);

afterAll(async () => {
  await em?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

test('bootstrap: the pull request that adds wf-prod is planned, merged, and its reviewed plan applied (green)', async () => {
  commit('add-prod', { [`environments/${ENV}.yaml`]: spec() }, `add ${ENV}`);
  const pr = pullRequest(10, 'add-prod');
  const planned = await runPlanWorkflow(pr);
  expectJobs(planned, { validate: 'success', plan: 'success', comment: 'success' });
  // the plan JSON kept per pull request head commit and job (one environment, so the job is named after it)
  expect(Object.keys(planned.artifacts)).toEqual([`plan-${pr.head}-${ENV}`]);
  expect(fs.readdirSync(planned.artifacts[`plan-${pr.head}-${ENV}`])).toEqual([`${ENV}.json`]);
  const r = await mergeAndApply(pr);
  expectJobs(r, { affected: 'success', apply: 'success' });
  expect(r.jobs.apply.instances.map((i) => i.matrix)).toEqual([{ batch: ENV, envs: ENV, label: ENV }]);
  expect(r.jobs.affected.outputs).toMatchObject({ 'plan-run': String(github.runs?.find((x) => x.path.endsWith('plan.yml') && x.head_sha === pr.head)?.id), 'head-sha': pr.head });
  const a = r.jobs.apply.instances[0];
  expect(step(a, 'Download the reviewed plans').stdout).toContain(`plan-${pr.head}-${ENV}`);
  expect(step(a, `Apply ${ENV}`).stderr).toContain(`${ENV}: the plan matches the reviewed plan`);
  expect(step(a, `Apply ${ENV}`).stdout).toMatch(new RegExp(`^${ENV}: applied in \\d+s \\(\\d+ added, 0 changed, 0 destroyed\\)`, 'm'));
  expect(em.mwaa.environments.get(ENV)?.Status).toBe('AVAILABLE');
});

test('a pull request with a change: plan job green (exit 0 with changes), one comment, the counts terraform prints', async () => {
  commit('more-workers', { [`environments/${ENV}.yaml`]: spec({ max: 6 }) }, 'more workers');
  const pr = pullRequest(1, 'more-workers');
  prs.moreWorkers = pr;
  const callsBefore = github.calls.length;
  const r = await runPlanWorkflow(pr);
  expectJobs(r, { validate: 'success', plan: 'success', comment: 'success' });
  const planJob = r.jobs.plan.instances[0];
  expect(step(planJob, `Plan ${ENV}`).exitCode).toBe(0);
  expect(step(planJob, `Plan ${ENV}`).stdout).toMatch(new RegExp(`^${ENV} \\[protected\\]: 0 to add, 1 to change, 0 to destroy`, 'm'));
  expect(r.artifacts[`plan-${pr.head}-${ENV}`]).toBeDefined();
  const calls = github.calls.slice(callsBefore);
  expect(calls.map((c) => c.method)).toEqual(['issues.listComments', 'issues.createComment']);
  const body = String(calls[1].params.body);
  expect(calls[1].params.issue_number).toBe(1);
  expect(body.startsWith('<!-- mwaa-gitops:pr-comment -->')).toBe(true);
  expect(body).toContain('**Validation: ✅ 1 environment valid**');
  expect(body).toContain('~ airflow.workers.max: 4 -> 6');
  expect(body).not.toContain('Dangers');
  expect(body).not.toContain('plan failed');
  // the same numbers as Terraform's own summary of the plan the job saved
  const ws = planJob.workspace;
  const shown = await exec('terraform', ['show', '-no-color', path.join(ws, '.mwaa-gitops', 'plans', `${ENV}.tfplan`)], { cwd: path.join(ws, 'cdktf.out', 'stacks', ENV), env: { ...(process.env as Record<string, string>), ...awsEnv, TF_CLI_CONFIG_FILE: path.join(ws, '.mwaa-gitops', 'terraform.rc') } });
  const summary = /^Plan: (.*)\.$/m.exec(shown.stdout)?.[1];
  expect(summary).toBe('0 to add, 1 to change, 0 to destroy');
  expect(body).toContain(`<details><summary>Plan: ${summary}</summary>`);
});

test('an invalid spec: red at validate with ::error annotations on the file; nothing planned; the comment says why', async () => {
  commit('bad-workers', { [`environments/${ENV}.yaml`]: spec({ min: 8, max: 6 }) }, 'min above max');
  const r = await runPlanWorkflow(pullRequest(2, 'bad-workers'));
  expectJobs(r, { validate: 'failure', plan: 'skipped', comment: 'success' });
  const v = r.jobs.validate.instances[0];
  expect(v.failedStep).toBe('Validate (annotations on the changed lines)');
  expect(v.annotations.filter((a) => a.level === 'error').map((a) => `${a.file}:${a.line}`)).toContain(`environments/${ENV}.yaml:7`);
  expect(v.annotations.find((a) => a.title === 'MWAA-AF-006')).toMatchObject({ level: 'error', file: `environments/${ENV}.yaml`, line: 7, message: expect.stringMatching(/workers\.min \(8\) is greater than workers\.max \(6\)/) });
  expect(step(v, 'Upload SARIF').outcome).toBe('success'); // if: always()
  expect(r.sarif).toEqual([{ file: 'mwaa-gitops.sarif', category: 'mwaa-gitops', results: expect.any(Number) }]);
  expect(r.sarif[0].results).toBeGreaterThanOrEqual(1);
  expect(step(v, 'Affected environments').outcome).toBe('skipped');
  const body = String(github.comments['2'][0].body);
  expect(body).toMatch(/\*\*Validation: ❌ 1 error/);
  expect(body).toContain('MWAA-AF-006');
  expect(body).not.toContain('The plan failed'); // not planned because validation failed: no plan failure to report
});

test('no environment affected: green, nothing planned; a later push updates the same comment', async () => {
  commit('dags-only', { 'dags/hello.py': 'print("hello, world")\n', 'README.md': '# airflow environments (docs)\n' }, 'dag and docs');
  const first = await runPlanWorkflow(pullRequest(3, 'dags-only'));
  expectJobs(first, { validate: 'success', plan: 'skipped', comment: 'success' });
  expect(first.jobs.validate.outputs.count).toBe('0');
  expect(github.comments['3'][0].body).toContain('No environment is affected by this change: nothing to plan.');
  commit('dags-only', { 'dags/second.py': 'print(2)\n' }, 'another dag');
  const second = await runPlanWorkflow(pullRequest(3, 'dags-only'));
  expectJobs(second, { validate: 'success', plan: 'skipped', comment: 'success' });
  expect(github.comments['3']).toHaveLength(1);
  expect(github.calls.slice(-2).map((c) => c.method)).toEqual(['issues.listComments', 'issues.updateComment']);
});

test('the drift schedule: drift injected through the AWS SDK opens the issue "Drift: wf-prod"', async () => {
  const env = (await mwaa().send(new GetEnvironmentCommand({ Name: ENV }))).Environment!;
  await mwaa().send(new UpdateEnvironmentCommand({ Name: ENV, MaxWorkers: (env.MaxWorkers ?? 4) + 3 }));
  for (let i = 0; i < 100 && (await mwaa().send(new GetEnvironmentCommand({ Name: ENV }))).Environment?.Status !== 'AVAILABLE'; i++) await new Promise((res) => setTimeout(res, 100));
  git(dev, 'fetch', '-q', 'origin');
  const r = await run('drift.yml', 'schedule', event('schedule'), git(dev, 'rev-parse', 'origin/main'), 'refs/heads/main');
  expectJobs(r, { environments: 'success', drift: 'success' });
  const d = r.jobs.drift.instances[0];
  expect(step(d, `Drift check ${ENV}`).outputs.drifted).toBe(ENV);
  expect(fs.readFileSync(path.join(d.workspace, 'drift', `${ENV}.code`), 'utf8').trim()).toBe('2');
  expect(step(d, `Drift check ${ENV}`).outputs.failed).toBe('');
  const issue = github.issues.find((i) => i.title === `Drift: ${ENV}`);
  expect(issue?.labels).toEqual(['mwaa-drift']);
  expect(issue?.body).toContain(`<!-- mwaa-gitops:drift:${ENV} -->`);
  expect(issue?.body).toMatch(/`max_workers`: 4 → 7 \(spec: airflow\.workers\.max\)/);
  expect(issue?.body).not.toContain('bucket_key_enabled');
});

test('merged, the reviewed pull request applies: the plan at merge matches the reviewed plan (drift reverted in place)', async () => {
  const r = await mergeAndApply(prs.moreWorkers);
  expectJobs(r, { affected: 'success', apply: 'success' });
  const a = step(r.jobs.apply.instances[0], `Apply ${ENV}`);
  expect(a.stderr).toContain(`${ENV}: the plan matches the reviewed plan`);
  expect(a.stdout).toMatch(new RegExp(`^${ENV}: applied in \\d+s \\(0 added, 1 changed, 0 destroyed\\)`, 'm'));
  expect(em.mwaa.environments.get(ENV)?.MaxWorkers).toBe(6);
});

test('a direct push to main (nothing reviewed): apply refuses, nothing changes', async () => {
  // reviewed first, on the main of the time: more workers (an update)
  commit('even-more-workers', { [`environments/${ENV}.yaml`]: spec({ max: 8 }) }, 'even more workers');
  prs.evenMore = pullRequest(5, 'even-more-workers');
  const planned = await runPlanWorkflow(prs.evenMore);
  expectJobs(planned, { validate: 'success', plan: 'success', comment: 'success' });
  expect(step(planned.jobs.plan.instances[0], `Plan ${ENV}`).stdout).toMatch(new RegExp(`^${ENV} \\[protected\\]: 0 to add, 1 to change, 0 to destroy`, 'm'));
  // then someone pushes to main directly: the startup script goes (its S3 object would be destroyed)
  const before = git(dev, 'rev-parse', 'origin/main');
  const after = commit('main', { [`environments/${ENV}.yaml`]: spec({ max: 6, startup: false }) }, 'no startup script');
  const puts = em.mwaa.requests.filter((q) => q.operation === 'UpdateEnvironment').length;
  const r = await runApplyWorkflow(before, after);
  expectJobs(r, { affected: 'success', apply: 'failure' });
  expect(r.jobs.affected.outputs['plan-run']).toBe('');
  const a = r.jobs.apply.instances[0];
  expect(step(a, 'Download the reviewed plans').outcome).toBe('skipped');
  expect(step(a, `Apply ${ENV}`).stderr).toContain(`no reviewed plan for ${ENV} (reviewed/${ENV}.json does not exist): it was never planned on a pull request`);
  expect(em.mwaa.requests.filter((q) => q.operation === 'UpdateEnvironment').length).toBe(puts);
});

test('merged after that push, a pull request whose plan gained a destroy it never showed: apply refuses and names it', async () => {
  const puts = em.mwaa.requests.filter((q) => q.operation === 'UpdateEnvironment').length;
  const r = await mergeAndApply(prs.evenMore);
  expectJobs(r, { affected: 'success', apply: 'failure' });
  const a = r.jobs.apply.instances[0];
  expect(step(a, 'Download the reviewed plans').stdout).toContain(`plan-${prs.evenMore.head}-${ENV}`);
  const err = step(a, `Apply ${ENV}`).stderr;
  expect(err).toContain(`${ENV}: refused: the plan differs from the plan reviewed on the pull request; nothing was applied.`);
  expect(err).toMatch(/the plan now would destroy aws_s3_object\.\S+, which the reviewed plan did not touch/);
  expect(em.mwaa.requests.filter((q) => q.operation === 'UpdateEnvironment').length).toBe(puts);
  expect(em.mwaa.environments.get(ENV)?.MaxWorkers).toBe(6);
});

test('a replacement of the protected environment: plan red, the danger and the failure at the top of the comment; merged, apply refuses it', async () => {
  commit('move-subnets', { [`environments/${ENV}.yaml`]: spec({ subnets: NEW_SUBNETS }) }, 'move the private subnets');
  const pr = pullRequest(4, 'move-subnets');
  const r = await runPlanWorkflow(pr);
  expectJobs(r, { validate: 'success', plan: 'failure', comment: 'success' });
  expect(r.jobs.plan.instances[0].failedStep).toBe(`Plan ${ENV}`);
  expect(fs.readFileSync(path.join(r.artifacts[`plan-${pr.head}-${ENV}`], `${ENV}.json`), 'utf8')).toContain('mwaa_gitops_plan_error');
  const body = String(github.comments['4'][0].body);
  const lines = body.split('\n');
  // right under the title: the failed plan (red), then the danger (red), then everything else
  expect(lines.slice(2, 4)).toEqual(['', '> [!CAUTION]']);
  expect(lines[4]).toBe(`> **❌ The plan failed for \`${ENV}\`.** Terraform has not checked what this change does to it: do not merge until the plan passes.`);
  const danger = body.indexOf('### ⚠️ Dangers (1)');
  expect(danger).toBeGreaterThan(0);
  expect(danger).toBeLessThan(body.indexOf('**Validation'));
  expect(body).toContain(`> - \`${ENV}\`: replaces \`${ENV}\` (protected: apply will refuse); loses the metadata database (DAG run history, and the connections and variables stored in Airflow)`);
  expect(body).toContain('`network.privateSubnets`: ["10.70.1.0/24","10.70.2.0/24"] → ["10.70.3.0/24","10.70.4.0/24"]');
  expect(body).toContain('Plan: confirmed: `aws_mwaa_environment.environment` refused (prevent_destroy).');

  const deletes = () => em.mwaa.requests.filter((q) => q.operation === 'DeleteEnvironment').length;
  const before = { deletes: deletes(), subnets: em.mwaa.environments.get(ENV)?.NetworkConfiguration.SubnetIds };
  const applied = await mergeAndApply(pr);
  expectJobs(applied, { affected: 'success', apply: 'failure' });
  const a = applied.jobs.apply.instances[0];
  expect(a.failedStep).toBe(`Apply ${ENV}`);
  // the reviewed plan is the failed plan's error document: nobody saw a plan, so apply refuses before planning
  expect(step(a, `Apply ${ENV}`).stderr).toContain(`${ENV}: refused: the plan differs from the plan reviewed on the pull request; nothing was applied.`);
  expect(step(a, `Apply ${ENV}`).stderr).toMatch(/the reviewed plan of wf-prod failed \(reviewed\/wf-prod\.json: .*prevent_destroy/s);
  expect(deletes()).toBe(before.deletes);
  expect(em.mwaa.environments.get(ENV)?.Status).toBe('AVAILABLE');
  expect(em.mwaa.environments.get(ENV)?.NetworkConfiguration.SubnetIds).toEqual(before.subnets);
});
