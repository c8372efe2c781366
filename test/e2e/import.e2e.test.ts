/**
 * Import round trip on the emulators: an MWAA environment and what it uses are created out of band (AWS SDK
 * against moto + the MWAA fake), `mwaa-gitops import` writes the spec and the import map, synth adds import
 * blocks, and the first terraform plan imports the existing resources and destroys/replaces nothing.
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
import { Emulators, startEmulators, TEST_ACCOUNT_ID } from '../support/emulators';

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

test('create out of band, import, first plan imports and destroys nothing', async () => {
  const c = makeClients('us-east-1', em.target);
  const vpc = await c.ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }));
  const vpcId = vpc.Vpc!.VpcId!;
  const a = await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.40.1.0/24', AvailabilityZone: 'us-east-1a' }));
  const b = await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.40.2.0/24', AvailabilityZone: 'us-east-1b' }));
  const sg = await c.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'legacy-sg', Description: 'MWAA' }));
  await c.s3.send(new CreateBucketCommand({ Bucket: 'legacy-airflow-src' }));
  await c.s3.send(new PutBucketVersioningCommand({ Bucket: 'legacy-airflow-src', VersioningConfiguration: { Status: 'Enabled' } }));
  await c.s3.send(new PutObjectCommand({ Bucket: 'legacy-airflow-src', Key: 'dags/', Body: '' }));
  const reqs = await c.s3.send(new PutObjectCommand({ Bucket: 'legacy-airflow-src', Key: 'requirements.txt', Body: 'apache-airflow-providers-amazon\n' }));
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] }, Action: 'sts:AssumeRole' }] };
  await c.iam.send(new CreateRoleCommand({ RoleName: 'legacy-execution', Path: '/service-role/', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  for (const t of ['DAGProcessing', 'Scheduler', 'Task', 'WebServer', 'Worker']) await logsCall('CreateLogGroup', { logGroupName: `airflow-legacy-${t}` });
  await c.mwaa.send(
    new CreateEnvironmentCommand({
      Name: 'legacy',
      AirflowVersion: '2.10.3',
      EnvironmentClass: 'mw1.small',
      MaxWorkers: 4,
      MinWorkers: 1,
      Schedulers: 2,
      WebserverAccessMode: 'PRIVATE_ONLY',
      ExecutionRoleArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/service-role/legacy-execution`,
      SourceBucketArn: 'arn:aws:s3:::legacy-airflow-src',
      DagS3Path: 'dags',
      RequirementsS3Path: 'requirements.txt',
      RequirementsS3ObjectVersion: reqs.VersionId,
      NetworkConfiguration: { SubnetIds: [a.Subnet!.SubnetId!, b.Subnet!.SubnetId!], SecurityGroupIds: [sg.GroupId!] },
      LoggingConfiguration: Object.fromEntries(['DagProcessingLogs', 'SchedulerLogs', 'TaskLogs', 'WebserverLogs', 'WorkerLogs'].map((k) => [k, { Enabled: true, LogLevel: 'INFO' }])),
    }),
  );

  const target = em.writeTarget(path.join(work, '.target.json'));
  const imported = await cli(['-C', work, 'import', 'legacy', '--region', 'us-east-1', '--target', target]);
  expect(imported.out).toContain('wrote environments/legacy.yaml and environments/legacy.imports.json');
  expect(imported.code).toBe(0);
  const spec = fs.readFileSync(path.join(work, 'environments/legacy.yaml'), 'utf8');
  expect(spec).toContain(`vpcId: ${vpcId}`);
  expect(spec).toContain('existingArn: arn:aws:s3:::legacy-airflow-src');
  expect(fs.readFileSync(path.join(work, 'airflow/legacy/requirements.txt'), 'utf8')).toBe('apache-airflow-providers-amazon\n');
  const imports = JSON.parse(fs.readFileSync(path.join(work, 'environments/legacy.imports.json'), 'utf8')).imports as Record<string, string>;
  expect(imports['aws_mwaa_environment.environment']).toBe('legacy');
  expect(imports['aws_iam_role.execution']).toBe('legacy-execution');
  expect(Object.keys(imports).filter((k) => k.startsWith('aws_cloudwatch_log_group.'))).toHaveLength(5);

  // Synthesize with the import blocks and plan against the emulators.
  const synth = await cli(['-C', work, 'synth', 'legacy', '--target', target]);
  expect(synth.code).toBe(0);
  const dir = path.join(work, 'cdktf.out', 'stacks', 'legacy');
  const tfJson = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  expect((tfJson.import as Array<{ to: string }>).map((i) => i.to).sort()).toEqual(Object.keys(imports).sort());
  const env = terraformEnv({ workDir: path.join(repoDir, '.mwaa-gitops'), providerMirror: resolveProviderMirror() });
  const tf = new TerraformRunner({ environment: 'legacy', workingDir: dir, env: { ...env, ...em.awsEnv } });
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
  const changedKeys = (rc: (typeof changes)[number]) =>
    Object.keys({ ...(rc.change.after ?? {}) }).filter((k) => JSON.stringify((rc.change.before ?? {})[k]) !== JSON.stringify((rc.change.after ?? {})[k]) && (rc.change.after ?? {})[k] !== undefined);
  // eslint-disable-next-line no-console
  console.log(`first plan after import:\n  ${changes.filter((rc) => !rc.change.actions.every((x) => x === 'no-op')).map((rc) => `${rc.change.actions.join('+')} ${rc.address} [${changedKeys(rc).join(', ')}]`).sort().join('\n  ')}`);
  // Nothing existing is destroyed or replaced.
  expect(changes.filter((rc) => rc.change.actions.includes('delete')).map((rc) => rc.address)).toEqual([]);
  // What the plan creates is exactly what import said does not exist yet.
  const announced = imported.out.split('create on first apply')[1].split('\n').slice(1).filter((l) => l.startsWith('  ')).map((l) => l.trim()).sort();
  expect(other.filter((o) => o.startsWith('create ')).map((o) => o.slice(7))).toEqual(announced.filter((a) => !a.startsWith('data.')));
  expect(other.filter((o) => o.startsWith('create ')).length).toBeGreaterThan(0);
});
