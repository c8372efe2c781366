import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { specFromEnvironment } from '../../src/gitops/import';
import { validateText } from '../../src/engine/validate';
import { hasErrors } from '../../src/findings';
import { TerraformStack, App } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { applyImports } from '../../src/gitops/import-hook';

const env = {
  Name: 'legacy',
  AirflowVersion: '2.10.3',
  EnvironmentClass: 'mw1.medium',
  Schedulers: 3,
  MinWorkers: 2,
  MaxWorkers: 7,
  WebserverAccessMode: 'PRIVATE_ONLY',
  EndpointManagement: 'SERVICE',
  SourceBucketArn: 'arn:aws:s3:::legacy-airflow',
  DagS3Path: 'dags',
  KmsKey: 'arn:aws:kms:us-east-1:123456789012:key/0f0e0d0c-0b0a-0908-0706-050403020100',
  ExecutionRoleArn: 'arn:aws:iam::123456789012:role/legacy-execution',
  NetworkConfiguration: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'], SecurityGroupIds: ['sg-0123456789abcdef0'] },
  AirflowConfigurationOptions: { 'core.default_task_retries': '2' },
  LoggingConfiguration: { TaskLogs: { Enabled: true, LogLevel: 'WARNING' }, SchedulerLogs: { Enabled: false, LogLevel: 'INFO' } },
  Tags: { team: 'data', 'aws:cloudformation:stack-name': 'x' },
} as const;

describe('import: spec from GetEnvironment', () => {
  it('maps the environment onto an existing-network spec that validates', () => {
    const { spec } = specFromEnvironment(env as never, 'vpc-0123456789abcdef0', 'us-east-1', {}, 0);
    expect(spec).toMatchObject({
      managedTags: false,
      iam: { executionRoleArn: env.ExecutionRoleArn },
      name: 'legacy',
      tags: { team: 'data' },
      airflow: { environmentClass: 'mw1.medium', schedulers: 3, workers: { min: 2, max: 7 }, configuration: { 'core.default_task_retries': '2' } },
      network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: env.NetworkConfiguration.SubnetIds, securityGroupIds: ['sg-0123456789abcdef0'] },
      bucket: { existingArn: 'arn:aws:s3:::legacy-airflow', dagsPath: 'dags' },
      encryption: { kms: 'existing', keyArn: env.KmsKey },
    });
    expect((spec.airflow as Record<string, Record<string, unknown>>).logging.task).toEqual({ level: 'WARNING', enabled: true });
    expect((spec.airflow as Record<string, Record<string, unknown>>).logging.retentionDays).toBe(0);
    expect((spec.tags as Record<string, string>)['aws:cloudformation:stack-name']).toBeUndefined();
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'imp-')));
    try {
      const r = validateText(JSON.stringify(spec), { repoRoot: root, file: path.join(root, 'environments/legacy.yaml') });
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(hasErrors(r.findings)).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('aws-owned key when KmsKey is absent', () => {
    const { spec } = specFromEnvironment({ ...env, KmsKey: undefined } as never, 'vpc-1', 'us-east-1', {});
    expect(spec.encryption).toEqual({ kms: 'aws-owned' });
  });

  it('retention is left to the default when it was not read', () => {
    const { spec } = specFromEnvironment(env as never, 'vpc-1', 'us-east-1', {});
    expect((spec.airflow as Record<string, Record<string, unknown>>).logging.retentionDays).toBeUndefined();
  });
});

describe('import hook (synth)', () => {
  it('marks listed resources with import blocks and reports addresses that match nothing', () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'imp-')));
    try {
      fs.mkdirSync(path.join(root, 'environments'));
      const app = new App({ outdir: path.join(root, 'out') });
      const stack = new TerraformStack(app, 'x');
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      new S3Bucket(stack, 'bucket', { bucket: 'my-bucket' });
      expect(applyImports(stack, { 'aws_s3_bucket.bucket': 'my-bucket', 'aws_iam_role.nope': 'r' })).toEqual(['aws_iam_role.nope']);
      app.synth();
      const tf = JSON.parse(fs.readFileSync(path.join(root, 'out/stacks/x/cdk.tf.json'), 'utf8'));
      expect(JSON.stringify(tf.import ?? tf.resource.aws_s3_bucket.bucket)).toContain('my-bucket');
      expect(tf.import).toEqual([{ id: 'my-bucket', to: 'aws_s3_bucket.bucket' }]);
      expect(applyImports(stack, undefined)).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
