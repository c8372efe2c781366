/**
 * plan, apply, destroy, drift and import through the one command shape (src/cli/result.ts):
 * `run(args, deps) -> { exitCode, stdout, stderr }`, in process. The terraform commands get their environments from
 * a stand-in `prepare` (test/gates/fake-env.ts: a recording terraform runner), import gets stand-in AWS clients; the
 * rest is the commands' real code: exit codes, what goes to stdout and what to stderr.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run as apply } from '../../src/cli/apply';
import { run as destroy } from '../../src/cli/destroy';
import { run as drift } from '../../src/cli/drift';
import { run as importCmd } from '../../src/cli/import';
import { run as plan, type TerraformDeps } from '../../src/cli/plan';
import type { AwsClients } from '../../src/gitops/import';
import type { PlanJson } from '../../src/plan/types';
import { change, fakeEnvs, planOf, type FakeEnv } from '../gates/fake-env';

const env = fakeEnvs();

/** A `prepare` that hands out the given environments (and records the targets it was asked for). */
function prepared(...envs: FakeEnv[]): TerraformDeps & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    prepare: (targets) => {
      asked.push(targets);
      return { ok: true, envs: envs.map((e) => e.ctx) };
    },
  };
}

const invalid: TerraformDeps = { prepare: () => ({ ok: false, message: 'environments/x.yaml:3:1  error  SCHEMA-required\n', envs: [] }) };
const REPO = '/nonexistent-repo';
const DRIFT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'terraform', 'fixtures', 'plan-drift.json'), 'utf8')) as PlanJson;
/** Drift (refresh-only) whose normal plan changes the environment back. */
const driftAndChange = (...changes: ReturnType<typeof change>[]): PlanJson => ({ ...DRIFT, resource_changes: changes });
const UPDATE = change('aws_mwaa_environment', 'environment', ['update']);

/** After an apply, terraform's next plan is empty (what reconcile verifies). */
function convergesAfterApply(e: FakeEnv): void {
  const runner = e.ctx.runner as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const { apply: applied, plan: planned, showPlan } = runner;
  let done = false;
  runner.apply = async (...a) => ((done = true), applied(...a));
  runner.plan = async (...a) => (done ? (e.calls.push('plan'), { changes: false, events: [] }) : planned(...a));
  runner.showPlan = async (...a) => (done ? (e.calls.push('show'), planOf()) : showPlan(...a));
}

describe('plan', () => {
  test('changes: the summary on stdout, exit 0; 2 with --detailed-exitcode; the targets reach prepare', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: planOf(change('aws_s3_object', 'dag', ['create'])) });
    const deps = prepared(e);
    const r = await plan({ repo: REPO, targets: ['analytics-dev'] }, deps);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toMatch(/^analytics-dev: 1 to add, 0 to change, 0 to destroy/m);
    expect(deps.asked).toEqual([['analytics-dev']]);
    expect(e.calls).toEqual(['init', 'plan', 'show']);
    expect((await plan({ repo: REPO, targets: [], detailedExitcode: true }, prepared(e))).exitCode).toBe(2);
  });

  test('no changes: exit 0 also with --detailed-exitcode', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: planOf(), planChanges: false });
    const r = await plan({ repo: REPO, targets: [], detailedExitcode: true }, prepared(e));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('analytics-dev: no changes');
  });

  test('--format json: one document on stdout', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: planOf(change('aws_s3_object', 'dag', ['create'])) });
    const r = await plan({ repo: REPO, targets: [], format: 'json' }, prepared(e));
    expect(r.exitCode).toBe(0);
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain('aws_s3_object.dag');
  });

  test('a damaged state file: the state guard stops the plan, the error on stderr, exit 1, terraform never runs', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: planOf(change('aws_s3_object', 'dag', ['create'])) });
    fs.writeFileSync(e.stateFile, '{"version": 4, "resources": [{"type": "aws_vpc"');
    const r = await plan({ repo: REPO, targets: [] }, prepared(e));
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('analytics-dev: the Terraform state file');
    expect(e.calls).toEqual([]);
  });

  test('invalid specs: the findings on stderr, exit 1; a bad --format is an error before anything runs', async () => {
    expect(await plan({ repo: REPO, targets: [] }, invalid)).toEqual({ exitCode: 1, stdout: '', stderr: 'environments/x.yaml:3:1  error  SCHEMA-required\n' });
    await expect(plan({ repo: REPO, targets: [], format: 'yaml' }, invalid)).rejects.toThrow('--format must be text, markdown or json, got yaml');
  });
});

describe('apply', () => {
  test('a protected environment whose plan destroys its environment: refused on stderr, exit 1, nothing applied', async () => {
    const e = env({ protected: true, plan: planOf(change('aws_mwaa_environment', 'environment', ['delete'])) });
    const r = await apply({ repo: REPO, targets: [], autoApprove: true }, prepared(e));
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('analytics-prod: refused: the environment is protected (protection.preventDestroy)');
    expect(r.stderr).toContain('delete aws_mwaa_environment.environment');
    expect(e.calls).not.toContain('apply');
  });

  test('--allow-replace names it: applied, on stdout; exit 2 with --detailed-exitcode', async () => {
    const e = env({ protected: true, plan: planOf(change('aws_mwaa_environment', 'environment', ['delete', 'create'])) });
    const r = await apply({ repo: REPO, targets: [], autoApprove: true, allowReplace: ['aws_mwaa_environment.environment'], detailedExitcode: true }, prepared(e));
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^analytics-prod: applied in \d+s \(1 added, 0 changed, 1 destroyed\)\n$/);
    expect(r.stderr).toBe('');
    expect(e.calls).toContain('apply');
  });

  test('two environments, one refused: the applied one on stdout, the refusal on stderr, exit 1', async () => {
    const prod = env({ protected: true, plan: planOf(change('aws_kms_key', 'key', ['delete', 'create'])) });
    const dev = env({ protected: false, name: 'analytics-dev', plan: planOf(change('aws_s3_object', 'dag', ['create'])) });
    const r = await apply({ repo: REPO, targets: [], autoApprove: true }, prepared(prod, dev));
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^analytics-dev: applied in \d+s/);
    expect(r.stdout).not.toContain('analytics-prod');
    expect(r.stderr).toContain('analytics-prod: refused');
    expect(r.stderr).toContain('replace aws_kms_key.key');
    expect(prod.calls).not.toContain('apply');
    expect(dev.calls).toContain('apply');
  });

  test('without --auto-approve and without a saved plan: failed, exit 1, terraform never runs', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: planOf() });
    const r = await apply({ repo: REPO, targets: [] }, prepared(e));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('analytics-dev: no saved plan');
    expect(e.calls).toEqual([]);
  });

  test('invalid specs: exit 1 with the findings', async () => {
    expect(await apply({ repo: REPO, targets: [], autoApprove: true }, invalid)).toMatchObject({ exitCode: 1, stdout: '' });
  });
});

describe('destroy', () => {
  test('a protected environment: refused on stderr, exit 1, before terraform runs (with and without --auto-approve)', async () => {
    for (const autoApprove of [false, true]) {
      const e = env({ protected: true, plan: planOf(change('aws_mwaa_environment', 'environment', ['delete'])) });
      const deps = prepared(e);
      const r = await destroy({ repo: REPO, env: 'analytics-prod', autoApprove }, deps);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('analytics-prod: refused: the environment is protected (protection.preventDestroy: true)');
      expect(deps.asked).toEqual([['analytics-prod']]);
      expect(e.calls).toEqual([]);
    }
  });

  test('unprotected: the destroy plan on stdout (exit 0, 2 with --detailed-exitcode); --auto-approve destroys', async () => {
    const shown = env({ protected: false, name: 'analytics-dev', plan: planOf(change('aws_mwaa_environment', 'environment', ['delete'])) });
    const r = await destroy({ repo: REPO, env: 'analytics-dev', detailedExitcode: true }, prepared(shown));
    expect(r).toMatchObject({ exitCode: 2, stderr: '' });
    expect(r.stdout).toContain('Re-run with --auto-approve to destroy analytics-dev.');
    expect(shown.calls).toEqual(['init', 'plan -destroy', 'show']);
    const gone = env({ protected: false, name: 'analytics-dev', plan: planOf() });
    const d = await destroy({ repo: REPO, env: 'analytics-dev', autoApprove: true }, prepared(gone));
    expect(d).toMatchObject({ exitCode: 0, stderr: '' });
    expect(d.stdout).toMatch(/^analytics-dev: destroyed in \d+s\n$/);
    expect(gone.calls).toEqual(['init', 'destroy']);
  });
});

describe('drift', () => {
  test('drift found: listed on stdout, exit 2 (always, not only with --detailed-exitcode)', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: DRIFT });
    const r = await drift({ repo: REPO, targets: [] }, prepared(e));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('aws_mwaa_environment.environment');
    expect(e.calls).toEqual(['init', 'plan -refresh-only', 'show']);
  });

  test('no drift: exit 0', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: planOf(), planChanges: false });
    const r = await drift({ repo: REPO, targets: [] }, prepared(e));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
  });

  test('--reconcile: applies the spec back, verifies the next plan is empty, exit 0', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: driftAndChange(UPDATE) });
    convergesAfterApply(e);
    const r = await drift({ repo: REPO, targets: [], reconcile: true }, prepared(e));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^analytics-dev: reconciled: applied in \d+s .*; next plan: no changes$/m);
    expect(e.calls.filter((c) => c === 'apply')).toHaveLength(1);
  });

  test('--reconcile: a next plan that is not empty fails, exit 1, on stderr', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: driftAndChange(UPDATE) });
    const r = await drift({ repo: REPO, targets: [], reconcile: true }, prepared(e));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('analytics-dev: reconciled, but the next plan is not empty');
  });

  test('--reconcile of a protected environment is gated like apply: refused, exit 1, nothing applied', async () => {
    const e = env({ protected: true, plan: driftAndChange(change('aws_kms_key', 'key', ['delete', 'create'])) });
    const r = await drift({ repo: REPO, targets: [], reconcile: true }, prepared(e));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('analytics-prod: refused');
    expect(e.calls).not.toContain('apply');
  });
});

describe('import', () => {
  const ENV = {
    Name: 'legacy',
    AirflowVersion: '2.10.3',
    EnvironmentClass: 'mw1.small',
    Schedulers: 2,
    MinWorkers: 1,
    MaxWorkers: 5,
    WebserverAccessMode: 'PRIVATE_ONLY',
    SourceBucketArn: 'arn:aws:s3:::legacy-airflow',
    DagS3Path: 'dags',
    ExecutionRoleArn: 'arn:aws:iam::123456789012:role/legacy-execution',
    NetworkConfiguration: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'], SecurityGroupIds: ['sg-0123456789abcdef0'] },
    LoggingConfiguration: { TaskLogs: { Enabled: true, LogLevel: 'INFO', CloudWatchLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:airflow-legacy-Task' } },
  };
  /** AWS as the import sees it: one MWAA environment (or none), its subnets in one VPC, nothing else found. */
  function aws(found: boolean): AwsClients {
    const notFound = (name: string) => Object.assign(new Error(`${name}: not found`), { name, $metadata: { httpStatusCode: 404 } });
    const send = async (cmd: object) => {
      switch (cmd.constructor.name) {
        case 'GetEnvironmentCommand':
          if (!found) throw notFound('ResourceNotFoundException');
          return { Environment: ENV };
        case 'DescribeSubnetsCommand':
          return { Subnets: ENV.NetworkConfiguration.SubnetIds.map((SubnetId) => ({ SubnetId, VpcId: 'vpc-0123456789abcdef0' })) };
        case 'ListAttachedRolePoliciesCommand':
          return { AttachedPolicies: [] };
        default:
          throw notFound('NoSuchEntity');
      }
    };
    return { mwaa: { send }, ec2: { send }, s3: { send }, iam: { send } } as unknown as AwsClients;
  }
  const repos: string[] = [];
  const freshRepo = () => {
    repos.push(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-import-cmd-')));
    return repos[repos.length - 1];
  };
  afterAll(() => repos.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  test('writes the spec and the imports file; what is imported and what is created on stdout, exit 0', async () => {
    const repo = freshRepo();
    const r = await importCmd({ repo, name: 'legacy', region: 'us-east-1' }, { clients: aws(true) });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('wrote environments/legacy.yaml and environments/legacy.imports.json');
    expect(lines).toContain('  aws_mwaa_environment.environment <= legacy');
    expect(lines).toContain('  aws_cloudwatch_log_group.log_task <= airflow-legacy-Task');
    expect(lines.some((l) => /^create on first apply \(\d+\):$/.test(l))).toBe(true);
    expect(lines[lines.length - 1]).toBe('next: mwaa-gitops plan legacy');
    const imports = JSON.parse(fs.readFileSync(path.join(repo, 'environments', 'legacy.imports.json'), 'utf8')) as { imports: Record<string, string> };
    expect(imports.imports['aws_mwaa_environment.environment']).toBe('legacy');
    expect(fs.readFileSync(path.join(repo, 'environments', 'legacy.yaml'), 'utf8')).toContain('name: legacy');
  });

  test('existing files are kept without --force: one line on stderr, exit 1', async () => {
    const repo = freshRepo();
    expect((await importCmd({ repo, name: 'legacy', region: 'us-east-1' }, { clients: aws(true) })).exitCode).toBe(0);
    const r = await importCmd({ repo, name: 'legacy', region: 'us-east-1' }, { clients: aws(true) });
    expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'mwaa-gitops: environments/legacy.yaml exists; pass --force to overwrite\n' });
    expect((await importCmd({ repo, name: 'legacy', region: 'us-east-1', force: true }, { clients: aws(true) })).exitCode).toBe(0);
  });

  test('no such environment: says so with the Region, exit 1', async () => {
    const r = await importCmd({ repo: freshRepo(), name: 'ghost', region: 'eu-west-1' }, { clients: aws(false) });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mwaa-gitops: no MWAA environment named ghost in eu-west-1 \(ResourceNotFoundException: not found\)\n$/);
  });
});
