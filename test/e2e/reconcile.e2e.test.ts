/**
 * Issue 4 acceptance, end to end: the CLI (plan / apply / drift / destroy) with real terraform against moto + the
 * MWAA fake. The dev and prod examples are applied from scratch (then an empty plan), drift is injected through the
 * AWS SDK and found and reconciled, spec edits plan as in-place updates, a subnet change of protected prod is
 * refused, and a failed creation and an unreachable endpoint end with an error naming the environment, after which
 * the next apply converges.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { EC2Client, DescribeSecurityGroupRulesCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { IAMClient, CreateRoleCommand, CreatePolicyVersionCommand, ListPoliciesCommand, GetPolicyVersionCommand, GetPolicyCommand } from '@aws-sdk/client-iam';
import { KMSClient, DisableKeyRotationCommand, ListKeysCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { MWAAClient, UpdateEnvironmentCommand, GetEnvironmentCommand, TagResourceCommand } from '@aws-sdk/client-mwaa';
import { S3Client, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { main } from '../../src/cli/index';
import { Emulators, startEmulators, TEST_ACCOUNT_ID, TEST_REGION } from '../../src/sandbox/emulators';

const repoDir = path.resolve(__dirname, '..', '..');
const DEV = 'analytics-dev';
const PROD = 'analytics-prod';
let em: Emulators;
let work: string;
let target: string;
let prodAccount: string | undefined;

const FALLBACK_SPECS: Record<string, string> = {
  [DEV]: `apiVersion: mwaa-gitops/v1
name: ${DEV}
region: us-east-1
tags:
  team: analytics
airflow:
  version: "2.10.3"
  workers: { min: 1, max: 5 }
  webserverAccess: PUBLIC_ONLY
  configuration:
    core.default_timezone: utc
network:
  mode: create
  routing: public
`,
  [PROD]: `apiVersion: mwaa-gitops/v1
name: ${PROD}
region: us-east-1
tags:
  team: analytics
airflow:
  version: "2.10.3"
  environmentClass: mw1.medium
  workers: { min: 2, max: 10 }
  webserverAccess: PRIVATE_ONLY
network:
  mode: create
  routing: private
  vpcCidr: 10.50.0.0/16
  privateSubnets: [10.50.1.0/24, 10.50.2.0/24]
encryption:
  kms: create
protection:
  preventDestroy: true
`,
};

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const w = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  process.exitCode = undefined;
  try {
    return { code: await main(['node', 'mwaa-gitops', '-C', work, ...args]), out, err };
  } finally {
    w.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

const tf = (cmd: string, ...rest: string[]) => cli([cmd, ...rest, '--provider-args', target]);

function specFile(name: string): string {
  return path.join(work, 'environments', `${name}.yaml`);
}

function editSpec(name: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const doc = parseDocument(fs.readFileSync(specFile(name), 'utf8'));
  edit(doc);
  fs.writeFileSync(specFile(name), doc.toString());
}

const clientConfig = () => ({
  region: TEST_REGION,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const mwaa = () => new MWAAClient({ ...clientConfig(), endpoint: `http://127.0.0.1:${em.mwaa.listenPort}`, disableHostPrefix: true });
const s3 = () => new S3Client({ ...clientConfig(), endpoint: em.target.endpoints.s3, forcePathStyle: true });
const ec2 = () => new EC2Client({ ...clientConfig(), endpoint: em.moto.endpoint });
const iam = () => new IAMClient({ ...clientConfig(), endpoint: em.moto.endpoint });
const kms = () => new KMSClient({ ...clientConfig(), endpoint: em.moto.endpoint });

async function waitAvailable(name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await mwaa().send(new GetEnvironmentCommand({ Name: name }));
    if (r.Environment?.Status === 'AVAILABLE') return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${name} never became AVAILABLE`);
}

beforeAll(async () => {
  em = await startEmulators({ mwaa: { transitionDelayMs: 500 } });
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-reconcile-e2e-')));
  fs.mkdirSync(path.join(work, 'environments'));
  // The repository's examples when present (with everything they reference), the fallback specs otherwise.
  for (const name of [DEV, PROD]) {
    const real = path.join(repoDir, 'environments', `${name}.yaml`);
    fs.writeFileSync(specFile(name), fs.existsSync(real) ? fs.readFileSync(real, 'utf8') : FALLBACK_SPECS[name]);
  }
  // Bases (environments/_*.yaml) and the artifacts the examples reference.
  for (const f of fs.readdirSync(path.join(repoDir, 'environments'))) {
    if (f.startsWith('_')) fs.copyFileSync(path.join(repoDir, 'environments', f), path.join(work, 'environments', f));
  }
  for (const dir of ['airflow', 'dags', 'artifacts', 'files', 'requirements', 'plugins']) {
    const src = path.join(repoDir, dir);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(work, dir), { recursive: true });
  }
  // The emulated target: the account moto answers (the examples' guard names a real one) and local state (the
  // prod example keeps state in an S3 backend of its real account).
  for (const name of [DEV, PROD]) {
    editSpec(name, (doc) => {
      if (doc.has('account')) {
        prodAccount = String(doc.get('account'));
        doc.set('account', TEST_ACCOUNT_ID);
        // The web-login roles move with it: a role of another account is refused (MWAA-IAM-004), never attached by
        // name in the deploying account.
        const web = doc.getIn(['iam', 'webAccess']) as { toJSON(): Record<string, string[]> } | undefined;
        if (web) {
          const moved = Object.fromEntries(Object.entries(web.toJSON()).map(([role, arns]) => [role, arns.map((a) => a.replace(`:iam::${prodAccount}:`, `:iam::${TEST_ACCOUNT_ID}:`))]));
          doc.setIn(['iam', 'webAccess'], moved);
        }
      }
      if (doc.has('state')) doc.set('state', { backend: 'local' });
    });
  }
  // Roles the prod example grants web login to exist in its account before the environment (created here in moto).
  for (const role of ['platform-admins', 'analysts']) {
    await iam().send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] }) }));
  }
  target = em.writeTarget(path.join(work, '.target.json'));
});

afterAll(async () => {
  await em?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('apply the dev example from scratch; the next plan is empty', async () => {
  const planned = await tf('plan', DEV);
  expect(planned.code).toBe(0); // Terraform's convention: success, changes or not
  expect(planned.out).toMatch(new RegExp(`^${DEV}: \\d+ to add, 0 to change, 0 to destroy\\n`));
  expect((await tf('plan', DEV, '--detailed-exitcode')).code).toBe(2);
  const applied = await tf('apply', DEV);
  expect(applied.err).toContain(`[${DEV}] aws_mwaa_environment.environment: creating...`);
  expect(applied.err).toMatch(new RegExp(`\\[${DEV}\\] aws_mwaa_environment\\.environment: done after \\d+s`));
  expect(applied.code).toBe(0);
  expect(applied.out).toMatch(new RegExp(`^${DEV}: applied in \\d+s`));
  expect(em.mwaa.environments.get(DEV)?.Status).toBe('AVAILABLE');
  const again = await tf('plan', DEV);
  expect(again.out).toBe(`${DEV}: no changes\n`);
  expect(again.code).toBe(0);
});

test('apply the protected prod example from scratch; the next plan is empty', async () => {
  const applied = await tf('apply', PROD, '--auto-approve');
  expect({ code: applied.code, err: applied.err.split('\n').filter((l) => !l.startsWith('[')).join('\n') }).toEqual({ code: 0, err: '' });
  const again = await tf('plan', PROD);
  expect(again.out).toBe(`${PROD} [protected]: no changes\n`);
  expect(again.code).toBe(0);
});

test('drift injected through the AWS SDK is reported with the attribute named; --reconcile brings it back', async () => {
  const env = em.mwaa.environments.get(DEV)!;
  const max = env.MaxWorkers;
  const team = env.Tags.team;
  expect(team).toBeTruthy();
  // MWAA max workers
  await mwaa().send(new UpdateEnvironmentCommand({ Name: DEV, MaxWorkers: env.MaxWorkers + 4 }));
  await waitAvailable(DEV);
  // a tag edited
  await mwaa().send(new TagResourceCommand({ ResourceArn: env.Arn, Tags: { team: 'somebody-else' } }));
  // bucket versioning suspended
  const bucket = env.SourceBucketArn.replace('arn:aws:s3:::', '');
  await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
  // the security group's self rule removed
  const sgId = env.NetworkConfiguration.SecurityGroupIds[0];
  const rules = await ec2().send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [sgId] }] }));
  const self = rules.SecurityGroupRules?.find((r) => !r.IsEgress && r.ReferencedGroupInfo?.GroupId === sgId);
  expect(self).toBeDefined();
  await ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: sgId, SecurityGroupRuleIds: [self!.SecurityGroupRuleId!] }));
  // an execution-policy statement changed
  const policies = await iam().send(new ListPoliciesCommand({ Scope: 'Local' }));
  const policy = policies.Policies?.find((p) => p.PolicyName?.includes(DEV));
  expect(policy).toBeDefined();
  const current = await iam().send(new GetPolicyCommand({ PolicyArn: policy!.Arn }));
  const version = await iam().send(new GetPolicyVersionCommand({ PolicyArn: policy!.Arn, VersionId: current.Policy!.DefaultVersionId }));
  const doc = JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!)) as { Statement: Array<Record<string, unknown>> };
  doc.Statement[0] = { ...doc.Statement[0], Action: 's3:*', Resource: '*' };
  await iam().send(new CreatePolicyVersionCommand({ PolicyArn: policy!.Arn, PolicyDocument: JSON.stringify(doc), SetAsDefault: true }));

  const drift = await tf('drift', DEV);
  expect(drift.err).toBe('');
  expect(drift.code).toBe(2);
  expect(drift.out).toContain(`${DEV}: drift in `);
  expect(drift.out).toMatch(new RegExp(`~ aws_mwaa_environment\\.environment \\(changed outside Terraform\\)\\n(.*\\n)*? +max_workers: ${max} -> ${max + 4} {2}\\[spec: airflow\\.workers\\.max\\]\\n`));
  expect(drift.out).toMatch(new RegExp(`tags(_all)?\\.team: "${team}" -> "somebody-else"`));
  expect(drift.out).toMatch(/~ aws_s3_bucket_versioning\.\S+ \(changed outside Terraform\)\n(.*\n)*? +versioning_configuration\[0\]\.status: "Enabled" -> "Suspended"/);
  expect(drift.out).toMatch(/- aws_vpc_security_group_ingress_rule\.\S+ \(deleted outside Terraform\)/);
  expect(drift.out).toMatch(/~ aws_iam_policy\.\S+ \(changed outside Terraform\)\n(.*\n)*? +policy: /);
  // nothing else: the computed default read back (rule[0].bucket_key_enabled: null -> false) is not drift
  expect(drift.out).not.toContain('bucket_key_enabled');


  const json = await tf('drift', DEV, '--format', 'json');
  const parsed = JSON.parse(json.out) as { environments: Array<{ drift: Array<{ address: string; attributes: Array<{ path: string }> }> }> };
  const paths = parsed.environments[0].drift.flatMap((d) => d.attributes.map((a) => `${d.address} ${a.path}`));
  expect(paths).toEqual(expect.arrayContaining(['aws_mwaa_environment.environment max_workers']));
  // exactly the resources changed behind Terraform's back, each classified
  expect(parsed.environments[0].drift.map((d) => `${(d as { kind?: string }).kind} ${d.address.split('.')[0]}`).sort()).toEqual([
    'changed aws_iam_policy',
    'changed aws_mwaa_environment',
    'changed aws_s3_bucket_versioning',
    'deleted aws_vpc_security_group_ingress_rule',
  ]);

  const fixed = await tf('drift', DEV, '--reconcile');
  // stderr carries only progress lines of the reconciling apply.
  expect(fixed.err).toContain(`[${DEV}] aws_mwaa_environment.environment: updating...`);
  expect(fixed.err).not.toMatch(/failed|Error/);
  expect(fixed.out).toContain(`${DEV}: reconciled`);
  expect(fixed.out).toContain('next plan: no changes');
  expect(fixed.code).toBe(0);
  expect(em.mwaa.environments.get(DEV)?.MaxWorkers).toBe(max);
  expect(em.mwaa.environments.get(DEV)?.Tags.team).toBe(team);
  const after = await tf('drift', DEV);
  expect({ code: after.code, out: after.out }).toEqual({ code: 0, out: `${DEV}: no drift\n` });
  const plan = await tf('plan', DEV);
  expect({ code: plan.code, out: plan.out }).toEqual({ code: 0, out: `${DEV}: no changes\n` });
});

test('KMS rotation disabled on the prod key is drift; reconcile restores it', async () => {
  const keys = await kms().send(new ListKeysCommand({}));
  let keyId: string | undefined;
  for (const k of keys.Keys ?? []) {
    const d = await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }));
    if (d.KeyMetadata?.Description?.includes(PROD) || d.KeyMetadata?.KeyManager === 'CUSTOMER') keyId = k.KeyId;
  }
  expect(keyId).toBeDefined();
  await kms().send(new DisableKeyRotationCommand({ KeyId: keyId }));
  const drift = await tf('drift', PROD);
  expect(drift.code).toBe(2);
  expect(drift.out).toMatch(/~ aws_kms_key\.\S+ \(changed outside Terraform\)\n(.*\n)*? +enable_key_rotation: true -> false/);
  const fixed = await tf('drift', PROD, '--reconcile');
  expect({ code: fixed.code, err: fixed.err.split('\n').filter((l) => !l.startsWith('[')).join('\n') }).toEqual({ code: 0, err: '' });
  expect((await tf('plan', PROD)).code).toBe(0);
});

test('spec edits (max workers 5 -> 8, a config option, a new requirements file) plan as an in-place update and apply', async () => {
  fs.mkdirSync(path.join(work, 'airflow'), { recursive: true });
  fs.writeFileSync(path.join(work, 'airflow', 'requirements-v2.txt'), 'apache-airflow-providers-snowflake==5.8.0\n');
  editSpec(DEV, (doc) => {
    doc.setIn(['airflow', 'workers', 'max'], 8);
    doc.setIn(['airflow', 'configuration', 'celery.worker_autoscale'], '5,5');
    doc.setIn(['airflow', 'configuration', 'secrets.backend_kwargs_password'], 'not-for-eyes');
    doc.setIn(['bucket', 'requirements'], { source: 'airflow/requirements-v2.txt', key: 'requirements.txt' });
  });
  const before = em.mwaa.environments.get(DEV)!.MaxWorkers;
  const planned = await tf('plan', DEV);
  expect(planned.code).toBe(0);
  expect(planned.out).toMatch(/~ aws_mwaa_environment\.environment \(update\)/);
  expect(planned.out).toContain(`max_workers: ${before} -> 8`);
  expect(planned.out).toMatch(/requirements_s3_object_version: "[^"]+" -> \(known after apply\)/);
  expect(planned.out).toMatch(/~ aws_s3_object\.\S+ \(update\)/);
  expect(planned.out).toContain('+ celery.worker_autoscale = 5,5');
  expect(planned.out).toContain('+ secrets.backend_kwargs_password = ****');
  expect(planned.out).not.toContain('not-for-eyes');
  expect(planned.out).not.toMatch(/aws_mwaa_environment\.environment \(replace\)|DESTROY/);
  const applied = await tf('apply', DEV);
  expect({ code: applied.code, err: applied.err.split('\n').filter((l) => !l.startsWith('[')).join('\n') }).toEqual({ code: 0, err: '' });
  const env = em.mwaa.environments.get(DEV)!;
  expect(env.MaxWorkers).toBe(8);
  expect(env.RequirementsS3Path).toBe('requirements.txt');
  expect(env.RequirementsS3ObjectVersion).toBeTruthy();
  expect(env.AirflowConfigurationOptions['celery.worker_autoscale']).toBe('5,5');
  expect((await tf('plan', DEV)).code).toBe(0);
});

test('changing the subnets of protected prod is refused, naming the resource and the reason', async () => {
  editSpec(PROD, (doc) => {
    const prefix = String(doc.getIn(['network', 'vpcCidr'])).split('.').slice(0, 2).join('.');
    doc.setIn(['network', 'privateSubnets'], [`${prefix}.3.0/24`, `${prefix}.4.0/24`]);
  });
  const planned = await tf('plan', PROD);
  expect(planned.code).toBe(1);
  const text = planned.out + planned.err;
  expect(text).toMatch(new RegExp(`^${PROD} \\[protected\\]: ERROR`, 'm'));
  expect(text).toContain('aws_mwaa_environment.environment');
  expect(text).toMatch(/prevent_destroy/);
  const applied = await tf('apply', PROD, '--auto-approve');
  expect(applied.code).toBe(1);
  expect(applied.err).toContain(PROD);
  expect(applied.err).toMatch(/prevent_destroy/);
  expect(em.mwaa.environments.get(PROD)?.Status).toBe('AVAILABLE');
  const destroy = await tf('destroy', PROD, '--auto-approve');
  expect(destroy.code).toBe(1);
  expect(destroy.err).toContain(`${PROD}: refused: the environment is protected`);
});

test('MWAA creation failure ends with an error naming the environment; the next apply converges', async () => {
  const name = 'analytics-fail';
  fs.writeFileSync(specFile(name), FALLBACK_SPECS[DEV].replace(`name: ${DEV}`, `name: ${name}`).replace('routing: public', 'routing: public\n  vpcCidr: 10.60.0.0/16\n  publicSubnets: [10.60.10.0/24, 10.60.11.0/24]\n  privateSubnets: [10.60.20.0/24, 10.60.21.0/24]'));
  em.mwaa.failCreate(name);
  const failed = await tf('apply', name, '--auto-approve');
  expect(failed.code).toBe(1);
  expect(failed.err).toMatch(new RegExp(`^${name}: terraform apply failed \\(exit 1\\):`, 'm'));
  expect(failed.err).toMatch(/CREATE_FAILED/);
  expect(em.mwaa.environments.get(name)?.Status).toBe('CREATE_FAILED');
  const retry = await tf('apply', name, '--auto-approve');
  expect(retry.code).toBe(0);
  expect(em.mwaa.environments.get(name)?.Status).toBe('AVAILABLE');
  expect((await tf('plan', name)).code).toBe(0);
  const destroyed = await tf('destroy', name, '--auto-approve');
  expect(destroyed.code).toBe(0);
  expect(em.mwaa.environments.has(name)).toBe(false);
});

test('an unreachable MWAA endpoint ends with an error naming the environment; the next apply converges', async () => {
  const dead = { ...em.target, http_proxy: 'http://127.0.0.1:9', max_retries: 1 };
  const deadTarget = path.join(work, '.dead-target.json');
  fs.writeFileSync(deadTarget, JSON.stringify(dead));
  editSpec(DEV, (doc) => doc.setIn(['airflow', 'workers', 'max'], 6));
  const failed = await cli(['apply', DEV, '--auto-approve', '--provider-args', deadTarget]);
  expect(failed.code).toBe(1);
  expect(failed.err).toMatch(new RegExp(`^${DEV}: terraform plan failed \\(exit 1\\):\\n {2}Error: `, 'm'));
  const retry = await tf('apply', DEV, '--auto-approve');
  expect(retry.code).toBe(0);
  expect(em.mwaa.environments.get(DEV)?.MaxWorkers).toBe(6);
  expect((await tf('plan', DEV)).code).toBe(0);
});

test('account guard: a spec naming another account is refused by the provider before any change', async () => {
  const other = prodAccount ?? '111122223333';
  editSpec(PROD, (doc) => {
    doc.set('account', other);
    // a consistent spec of the other account (its web-login roles too), so the provider's guard is what refuses it
    const web = doc.getIn(['iam', 'webAccess']) as { toJSON(): Record<string, string[]> } | undefined;
    if (web) doc.setIn(['iam', 'webAccess'], Object.fromEntries(Object.entries(web.toJSON()).map(([r, arns]) => [r, arns.map((a) => a.replace(/:iam::\d{12}:/, `:iam::${other}:`))])));
  });
  const planned = await tf('plan', PROD);
  expect(planned.code).toBe(1);
  expect(planned.out + planned.err).toMatch(new RegExp(`${PROD}[^\\n]*\\n(.*\\n)*.*AWS account ID not allowed`));
});
