import * as path from 'path';
import { deriveBucketName, latestSupportedVersion } from '../../src/spec/defaults';
import { validateText } from '../../src/engine/validate';
import { makeRepo, MINIMAL } from './helpers';

function run(text: string, files: Record<string, string> = {}) {
  const root = makeRepo(files);
  return { root, r: validateText(text, { repoRoot: root, file: path.join(root, 'environments/e.yaml'), rules: { spec: [], cross: [] } }) };
}

describe('defaults', () => {
  it('fills the guide-recommended defaults', () => {
    const { r } = run(MINIMAL);
    expect(r.findings).toEqual([]);
    const s = r.spec!;
    expect(s.airflow).toMatchObject({
      environmentClass: 'mw1.small',
      schedulers: 2,
      workers: { min: 1, max: 10 },
      webservers: { min: 2, max: 2 },
      endpointManagement: 'SERVICE',
      configuration: {},
    });
    expect(s.airflow.logging.task).toEqual({ level: 'INFO', enabled: true });
    expect(s.airflow.logging.retentionDays).toBe(30);
    expect(s.network).toEqual({
      mode: 'create',
      routing: 'public',
      vpcCidr: '10.192.0.0/16',
      publicSubnets: ['10.192.10.0/24', '10.192.11.0/24'],
      privateSubnets: ['10.192.20.0/24', '10.192.21.0/24'],
      natGateways: 'perAz',
      webAccessCidrs: [],
      extraEndpoints: [],
    });
    expect(s.bucket).toEqual({ name: 'minimal-airflow-us-east-1', dagsPath: 'dags', noncurrentVersionExpirationDays: 30, noncurrentVersionsKept: 10 });
    expect(s.encryption).toEqual({ kms: 'aws-owned' });
    expect(s.iam).toEqual({ extraPolicyStatements: [], webAccess: {} });
    expect(s.protection).toEqual({ preventDestroy: false });
    expect(s.state).toEqual({ backend: 'local' });
    expect(s.tags).toEqual({});
  });

  it('defaults webserverAccess to PRIVATE_ONLY and mw1.micro to single instances', () => {
    const { r } = run('apiVersion: mwaa-gitops/v1\nname: m\nregion: us-east-1\nairflow: { environmentClass: mw1.micro }\nnetwork: { mode: create, routing: private }\n');
    expect(r.spec!.airflow).toMatchObject({ webserverAccess: 'PRIVATE_ONLY', schedulers: 1, workers: { min: 1, max: 1 }, webservers: { min: 1, max: 1 } });
    expect(r.spec!.network).toMatchObject({ routing: 'private', publicSubnets: [] });
    expect(r.spec!.airflow.version).toBe(latestSupportedVersion());
  });

  it('resolves artifacts to absolute paths with default keys, and reports missing ones at `source`', () => {
    const { root, r } = run(`${MINIMAL}bucket:\n  requirements: { source: airflow/requirements.txt }\n  plugins: { source: airflow/missing.zip }\n`, {
      'airflow/requirements.txt': 'boto3==1.34.0\n',
    });
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'SPEC-ARTIFACT-MISSING', line: 12, column: 22, path: 'bucket.plugins.source' })]);
    expect(r.spec!.bucket.requirements).toEqual({ source: 'airflow/requirements.txt', resolvedPath: path.join(root, 'airflow/requirements.txt'), key: 'requirements.txt' });
  });

  it('rejects artifacts escaping the repository', () => {
    const { r } = run(`${MINIMAL}bucket:\n  startupScript: { source: ../../etc/passwd }\n`);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['SPEC-ARTIFACT-OUTSIDE-REPO']);
  });

  it('derives valid bucket names', () => {
    expect(deriveBucketName('Analytics_Dev', 'eu-west-1')).toBe('analytics-dev-airflow-eu-west-1');
    const long = deriveBucketName('a'.repeat(80), 'us-east-1');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/);
  });

  it('takes the bucket name from existingArn', () => {
    const { r } = run(`${MINIMAL}bucket: { existingArn: "arn:aws:s3:::my-dags-bucket" }\n`);
    expect(r.spec!.bucket.name).toBe('my-dags-bucket');
  });
});

describe('schema', () => {
  it('reports wrong types with a quoting hint, at the value', () => {
    const { r } = run(MINIMAL.replace('version: "2.10.3"', 'version: 2.10'));
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'SCHEMA-type', line: 5, column: 12, path: 'airflow.version' })]);
    expect(r.findings[0].message).toContain('must be a string, got number 2.1');
    expect(r.findings[0].fix).toMatch(/Quote/);
    expect(r.spec).toBeUndefined();
  });

  it('reports unknown keys at the key, with a did-you-mean', () => {
    const { r } = run(`${MINIMAL}  natGateway: single\n`);
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'SCHEMA-additionalProperties', line: 10, column: 3, path: 'network.natGateway' })]);
    expect(r.findings[0].fix).toBe('did you mean `natGateways`?');
  });

  it('reports enum values with the allowed values', () => {
    const { r } = run(MINIMAL.replace('PUBLIC_ONLY', 'PUBLIC'));
    expect(r.findings[0]).toMatchObject({ ruleId: 'SCHEMA-enum', line: 6, column: 20 });
    expect(r.findings[0].message).toContain('allowed values: PUBLIC_ONLY, PRIVATE_ONLY');
    expect(r.findings[0].fix).toBe('did you mean `PUBLIC_ONLY`?');
  });

  it('reports every problem at once, including missing required keys', () => {
    const { r } = run('apiVersion: v2\nairflow: { schedulers: two, logging: { task: { level: LOUD } } }\nnetwork: { mode: existing, vpcId: vpc-123 }\n');
    const ids = r.findings.map((f) => `${f.ruleId}@${f.path}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        'SCHEMA-const@apiVersion',
        'SCHEMA-required@',
        'SCHEMA-type@airflow.schedulers',
        'SCHEMA-enum@airflow.logging.task.level',
        'SCHEMA-pattern@network.vpcId',
        'SCHEMA-required@network',
      ]),
    );
    expect(r.findings.every((f) => f.line >= 1 && f.column >= 1)).toBe(true);
  });

  it('checks network branches by mode and the s3 state backend', () => {
    const { r } = run(`${MINIMAL}  subnetIds: [subnet-01234567]\nstate: { backend: s3, bucket: b-state }\n`);
    const ids = r.findings.map((f) => `${f.ruleId}@${f.path}`);
    expect(ids).toEqual(expect.arrayContaining(['SCHEMA-additionalProperties@network.subnetIds', 'SCHEMA-required@state']));
  });
});
