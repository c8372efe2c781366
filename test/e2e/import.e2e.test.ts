/**
 * Import round trip on the emulators: an MWAA environment and what it uses are created out of band (AWS SDK
 * against moto + the MWAA fake), `mwaa-gitops import` writes the spec and the import map, synth adds import
 * blocks, and the first terraform plan imports every resource of the stack and changes nothing, with or without a
 * requirements.txt (import pins the object version the environment runs with, so nothing is re-uploaded).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateVpcCommand, CreateSubnetCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateEnvironmentCommand } from '@aws-sdk/client-mwaa';
import { makeClients } from '../../src/gitops/import';
import { main } from '../../src/cli/index';
import { resolveProviderMirror, terraformEnv } from '../../src/terraform/cliconfig';
import { TerraformRunner } from '../../src/terraform/runner';
import { countPlan, formatCounts } from '../../src/plan/model';
import { Emulators, startEmulators, TEST_ACCOUNT_ID } from '../../src/sandbox/emulators';
import { writeVariablesTarget } from '../support/variables-target';

const repoDir = path.resolve(__dirname, '..', '..');
let em: Emulators;
let work: string;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const w = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  process.exitCode = undefined;
  try {
    return { code: await main(['node', 'mwaa-gitops', ...args]), out };
  } finally {
    w.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

async function logsCall(target: string, body: unknown): Promise<void> {
  const res = await fetch(em.target.endpoints.logs, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `Logs_20140328.${target}`, Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=x' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`logs ${target}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  em = await startEmulators({ mwaa: { transitionDelayMs: 200 } });
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-import-e2e-')));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: work });
  fs.mkdirSync(path.join(work, 'environments'));
});

afterAll(async () => {
  await em?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Creates environment `name` out of band (with a requirements.txt or not, log retention or never-expire),
 * imports it, synthesizes and plans; returns the import map and the plan's non-no-op changes. */
async function roundTrip(name: string, cidr: number, withRequirements: boolean, retentionDays: number): Promise<{ imports: Record<string, string>; summary: string[] }> {
  const c = makeClients('us-east-1', em.target);
  const vpc = await c.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${cidr}.0.0/16` }));
  const vpcId = vpc.Vpc!.VpcId!;
  const a = await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${cidr}.1.0/24`, AvailabilityZone: 'us-east-1a' }));
  const b = await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${cidr}.2.0/24`, AvailabilityZone: 'us-east-1b' }));
  const sg = await c.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `${name}-sg`, Description: 'MWAA' }));
  await c.s3.send(new CreateBucketCommand({ Bucket: `${name}-airflow-src` }));
  await c.s3.send(new PutBucketVersioningCommand({ Bucket: `${name}-airflow-src`, VersioningConfiguration: { Status: 'Enabled' } }));
  await c.s3.send(new PutObjectCommand({ Bucket: `${name}-airflow-src`, Key: 'dags/', Body: '' }));
  const reqs = !withRequirements ? undefined : await c.s3.send(new PutObjectCommand({ Bucket: `${name}-airflow-src`, Key: 'requirements.txt', Body: 'apache-airflow-providers-amazon\n' }));
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] }, Action: 'sts:AssumeRole' }] };
  await c.iam.send(new CreateRoleCommand({ RoleName: `${name}-execution`, Path: '/service-role/', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  for (const t of ['DAGProcessing', 'Scheduler', 'Task', 'WebServer', 'Worker']) {
    await logsCall('CreateLogGroup', { logGroupName: `airflow-${name}-${t}` });
    if (retentionDays) await logsCall('PutRetentionPolicy', { logGroupName: `airflow-${name}-${t}`, retentionInDays: retentionDays });
  }
  await c.mwaa.send(
    new CreateEnvironmentCommand({
      Name: name,
      AirflowVersion: '2.10.3',
      EnvironmentClass: 'mw1.small',
      MaxWorkers: 4,
      MinWorkers: 1,
      Schedulers: 2,
      WebserverAccessMode: 'PRIVATE_ONLY',
      ExecutionRoleArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/service-role/${name}-execution`,
      SourceBucketArn: `arn:aws:s3:::${name}-airflow-src`,
      DagS3Path: 'dags',
      RequirementsS3Path: reqs ? 'requirements.txt' : undefined,
      RequirementsS3ObjectVersion: reqs?.VersionId,
      NetworkConfiguration: { SubnetIds: [a.Subnet!.SubnetId!, b.Subnet!.SubnetId!], SecurityGroupIds: [sg.GroupId!] },
      LoggingConfiguration: Object.fromEntries(['DagProcessingLogs', 'SchedulerLogs', 'TaskLogs', 'WebserverLogs', 'WorkerLogs'].map((k) => [k, { Enabled: true, LogLevel: 'INFO' }])),
    }),
  );

  const target = em.writeTarget(path.join(work, '.target.json'));
  const imported = await cli(['-C', work, 'import', name, '--region', 'us-east-1', '--provider-args', target]);
  expect(imported.out).toContain(`wrote environments/${name}.yaml and environments/${name}.imports.json`);
  expect(imported.code).toBe(0);
  const spec = fs.readFileSync(path.join(work, `environments/${name}.yaml`), 'utf8');
  expect(spec).toContain(`vpcId: ${vpcId}`);
  expect(spec).toContain(`existingArn: arn:aws:s3:::${name}-airflow-src`);
  if (withRequirements) {
    // the copy is there to read; the spec pins the object version the environment runs with (nothing is uploaded)
    expect(fs.readFileSync(path.join(work, `airflow/${name}/requirements.txt`), 'utf8')).toBe('apache-airflow-providers-amazon\n');
    expect(reqs?.VersionId).toBeTruthy();
    expect(spec).toContain(`requirements:\n    key: requirements.txt\n    versionId: ${reqs!.VersionId}\n`);
    expect(imported.out).toContain(`bucket.requirements pins version ${reqs!.VersionId} of requirements.txt`);
  }
  const imports = JSON.parse(fs.readFileSync(path.join(work, `environments/${name}.imports.json`), 'utf8')).imports as Record<string, string>;
  expect(imports['aws_mwaa_environment.environment']).toBe(name);
  // The environment's own role is kept (iam.executionRoleArn), not imported into a role the stack manages.
  expect(spec).toContain(`executionRoleArn: arn:aws:iam::${TEST_ACCOUNT_ID}:role/service-role/${name}-execution`);
  expect(Object.keys(imports).filter((k) => k.startsWith('aws_iam_'))).toEqual([]);
  expect(spec).toContain('managedTags: false');
  expect(spec).toContain(`retentionDays: ${retentionDays}`);
  expect(Object.keys(imports).filter((k) => k.startsWith('aws_cloudwatch_log_group.'))).toHaveLength(5);

  // Synthesize with the import blocks and plan against the emulators (their endpoints as AWS_ENDPOINT_URL_* variables,
  // as the CLI's plan gives them: no endpoints block for the provider to validate).
  const vars = writeVariablesTarget(em, path.join(work, '.variables-target.json'));
  const synth = await cli(['-C', work, 'synth', name, '--provider-args', vars.file]);
  expect(synth.code).toBe(0);
  const dir = path.join(work, 'cdktf.out', 'stacks', name);
  const tfJson = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  expect((tfJson.import as Array<{ to: string }>).map((i) => i.to).sort()).toEqual(Object.keys(imports).sort());
  const env = terraformEnv({ workDir: path.join(repoDir, '.mwaa-gitops'), providerMirror: resolveProviderMirror() });
  const tf = new TerraformRunner({ environment: name, workingDir: dir, env: { ...env, ...em.awsEnv, ...vars.env } });
  await tf.init();
  await tf.plan({ out: 'first.plan' });
  const plan = await tf.showPlan('first.plan');
  const changes = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed');
  const importing = changes.filter((rc) => (rc.change as { importing?: unknown }).importing).map((rc) => rc.address).sort();
  expect(importing).toEqual(Object.keys(imports).sort());
  // Record exactly what else the first plan does (the test fails if this changes unnoticed).
  const other = changes
    .filter((rc) => !rc.change.actions.every((x) => x === 'no-op'))
    .map((rc) => `${rc.change.actions.join('+')} ${rc.address}`)
    .sort();
  const after = (rc: (typeof changes)[number]) => ({ ...(rc.change.after ?? {}) }) as Record<string, unknown>;
  const unknown = (rc: (typeof changes)[number]) => ({ ...((rc.change as { after_unknown?: Record<string, unknown> }).after_unknown ?? {}) });
  const changedKeys = (rc: (typeof changes)[number]) =>
    [...new Set([
      ...Object.keys(after(rc)).filter((k) => after(rc)[k] !== undefined && JSON.stringify(((rc.change.before ?? {}) as Record<string, unknown>)[k]) !== JSON.stringify(after(rc)[k])),
      ...Object.keys(unknown(rc)).filter((k) => unknown(rc)[k] === true),
    ])].sort();
  const summary = changes
    .filter((rc) => !rc.change.actions.every((x) => x === 'no-op'))
    .map((rc) => `${rc.change.actions.join('+')} ${rc.address} [${changedKeys(rc).join(', ')}]`)
    .sort();
  console.log(`first plan after import:\n  ${summary.join('\n  ') || '(only imports)'}`);
  // The CLI counts the imports as changes, the way Terraform does (`N to import, ...`): exit 0, 2 with --detailed-exitcode
  const cliPlan = await cli(['-C', work, 'plan', name, '--provider-args', target, '--detailed-exitcode']);
  expect(cliPlan.code).toBe(2);
  expect(cliPlan.out.split('\n')[0]).toBe(`${name}: ${formatCounts(countPlan(plan))}`);
  expect(cliPlan.out.split('\n')[0]).toMatch(new RegExp(`^${name}: ${Object.keys(imports).length} to import, 0 to add, \\d+ to change, 0 to destroy$`));
  // Nothing is created or destroyed: every stack resource exists and is imported.
  expect(other.filter((o) => /^(create|delete)/.test(o) || o.includes('+'))).toEqual([]);
  const announced = imported.out.split('create on first apply')[1].split('\n').slice(1).filter((l) => l.startsWith('  ')).map((l) => l.trim());
  expect(announced.filter((a) => !a.startsWith('data.'))).toEqual([]);
  return { imports, summary };
}

test('create out of band with a requirements.txt, import: the first plan is imports only (no update, no new object version)', async () => {
  const { imports, summary } = await roundTrip('legacy', 40, true, 0);
  expect(Object.keys(imports).sort()).toEqual([
    'aws_cloudwatch_log_group.log_dagprocessing',
    'aws_cloudwatch_log_group.log_scheduler',
    'aws_cloudwatch_log_group.log_task',
    'aws_cloudwatch_log_group.log_webserver',
    'aws_cloudwatch_log_group.log_worker',
    'aws_mwaa_environment.environment',
    'aws_s3_object.dags_folder',
  ]);
  // The requirements object is pinned at the version the environment runs with (bucket.requirements: { key,
  // versionId }): the stack has no aws_s3_object for it, so nothing is re-uploaded (no new object version) and the
  // environment keeps requirements_s3_object_version. Every resource is imported, nothing else happens:
  expect(summary).toEqual([]);
});

test('without artifacts: the first plan after import is imports only, zero changes', async () => {
  const { imports, summary } = await roundTrip('plain', 41, false, 14);
  expect(Object.keys(imports)).toHaveLength(7);
  expect(summary).toEqual([]);
});
