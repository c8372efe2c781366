/**
 * IAM least privilege of the synthesized stacks: every statement the tool generates (execution policy, web-login
 * policies, trust policy, key policy, bucket policy) has no `*` action, and `*` resources only where the MWAA
 * guide requires them (listed below with the guide section, /work/shared/mwaa-reference.md). Every other
 * resource is scoped to this environment: its ARN, its bucket, its log groups `airflow-<name>-*`, its key, the
 * MWAA Celery queues `airflow-celery-*`, its Secrets Manager prefixes, its Airflow roles.
 * Spec `iam.extraPolicyStatements` are the user's own statements, copied as written (rule MWAA-IAM-002 warns on
 * wildcards); they are excluded here by Sid and checked to be appended unchanged.
 */
import type { EnvironmentSpec } from '../../src/spec/types';
import { devSpec, privateSpec, synthSpec } from '../stacks/fixtures';

type Statement = Record<string, unknown>;

/** Statements allowed a `*` resource, with the guide section requiring it. */
const STAR_RESOURCE_ALLOWED: Record<string, string> = {
  DenyListAllBuckets: '§4.3/§4.4: Deny s3:ListAllMyBuckets on * (a Deny; narrows)',
  DescribeLogGroups: '§4.3/§4.4: logs:DescribeLogGroups on * (no resource-level permission)',
  AccountPublicAccessBlock: '§4.3/§4.4, §4.5 L3646-3658: s3:GetAccountPublicAccessBlock on *',
  PutMetricData: '§4.3/§4.4: cloudwatch:PutMetricData on *',
  ListSecrets: '§4.5 L5204-5222: secretsmanager:ListSecrets on * (no resource-level permission)',
  // key policy: `Resource: *` in a key policy means "this key"
  AccountAdministers: '§5 key policy: account root administers the key (Resource * = this key)',
  CloudWatchLogs: '§5 KMS-7: logs.<region> with kms:EncryptionContext:aws:logs:arn condition',
  ExecutionRoleViaSqsAndS3: '§4.4/§5: execution role via SQS and S3 only (kms:ViaService condition)',
  AirflowServiceGrants: '§5 KMS-9: grants via airflow.<region> only (kms:ViaService condition)',
};
/** Statements allowed a wildcard action (`service:*`), with the reason. */
const STAR_ACTION_ALLOWED: Record<string, string> = {
  AccountAdministers: '§5: key administration by the account root (standard key policy; IAM policies then apply)',
  DenyInsecureTransport: 'bucket policy Deny s3:* without TLS (a Deny; narrows)',
};

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string]);

interface Doc {
  where: string;
  statements: Statement[];
}

/** Every policy document of a synthesized stack. */
function policies(tf: any): Doc[] {
  const out: Doc[] = [];
  const push = (where: string, json: string) => out.push({ where, statements: (JSON.parse(json) as { Statement: Statement[] }).Statement });
  for (const [name, r] of Object.entries<any>(tf.resource.aws_iam_policy ?? {})) push(`aws_iam_policy.${name}`, r.policy);
  for (const [name, r] of Object.entries<any>(tf.resource.aws_iam_role ?? {})) push(`aws_iam_role.${name}`, r.assume_role_policy);
  for (const [name, r] of Object.entries<any>(tf.resource.aws_kms_key ?? {})) push(`aws_kms_key.${name}`, r.policy);
  for (const [name, r] of Object.entries<any>(tf.resource.aws_s3_bucket_policy ?? {})) push(`aws_s3_bucket_policy.${name}`, r.policy);
  return out;
}

function variants(): Array<[string, EnvironmentSpec]> {
  const dev = devSpec();
  const cmk = privateSpec();
  const full = privateSpec();
  full.iam.webAccess = { Admin: ['arn:aws:iam::123456789012:role/admins'], Viewer: ['arn:aws:iam::123456789012:role/path/readers'] };
  full.iam.secretsBackend = { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' };
  full.iam.extraPolicyStatements = [{ Sid: 'UserWildcard', Effect: 'Allow', Action: 's3:*', Resource: '*' }];
  const existingKey = devSpec({ name: 'analytics-ext' });
  existingKey.encryption = { kms: 'existing', keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
  return [
    ['AWS-owned key, public (dev)', dev],
    ['created CMK, private (prod)', cmk],
    ['CMK + web access + secrets backend + a user wildcard statement', full],
    ['existing CMK', existingKey],
  ];
}

describe.each(variants())('%s', (_label, spec) => {
  const tf = synthSpec(spec);
  const docs = policies(tf);
  const env = spec.name;
  const region = spec.region;
  const account = spec.account!;
  const generated = (d: Doc) => d.statements.filter((s) => !spec.iam.extraPolicyStatements.some((x) => x.Sid !== undefined && x.Sid === s.Sid));

  test('the stack has the execution policy, trust policy and bucket policy', () => {
    const where = docs.map((d) => d.where);
    expect(where).toEqual(expect.arrayContaining(['aws_iam_policy.execution_policy', 'aws_iam_role.execution', 'aws_s3_bucket_policy.bucket_policy']));
  });

  test('no `*` action anywhere; `service:*` only in the listed statements', () => {
    for (const d of docs) {
      for (const s of generated(d)) {
        const actions = list(s.Action);
        expect(actions.length).toBeGreaterThan(0);
        expect({ where: d.where, sid: s.Sid, actions: actions.filter((a) => a === '*') }).toEqual({ where: d.where, sid: s.Sid, actions: [] });
        expect(s.NotAction).toBeUndefined();
        const serviceStar = actions.filter((a) => /:\*$/.test(a));
        if (serviceStar.length > 0) expect(Object.keys(STAR_ACTION_ALLOWED)).toContain(s.Sid as string);
      }
    }
  });

  test('`*` resource only in statements the guide requires, with conditions where it says so', () => {
    for (const d of docs) {
      for (const s of generated(d)) {
        if (!list(s.Resource).includes('*')) continue;
        expect({ where: d.where, sid: s.Sid, allowed: Object.keys(STAR_RESOURCE_ALLOWED).includes(s.Sid as string) }).toEqual({ where: d.where, sid: s.Sid, allowed: true });
        if (['CloudWatchLogs', 'ExecutionRoleViaSqsAndS3', 'AirflowServiceGrants'].includes(s.Sid as string)) expect(s.Condition).toBeDefined();
        if (s.Effect === 'Allow' && d.where === 'aws_iam_policy.execution_policy') {
          // the allowed execution-policy wildcards grant only read/describe/metrics actions
          for (const a of list(s.Action)) expect(a).toMatch(/^(logs:DescribeLogGroups|s3:GetAccountPublicAccessBlock|cloudwatch:PutMetricData|secretsmanager:ListSecrets)$/);
        }
      }
    }
  });

  test('every other execution-policy resource is scoped to this environment', () => {
    const exec = docs.find((d) => d.where === 'aws_iam_policy.execution_policy')!;
    const scoped: RegExp[] = [
      new RegExp(`^arn:aws:airflow:${region}:${account}:environment/${env}$`),
      /^\$\{aws_s3_bucket\.bucket\.arn\}(\/\*)?$/, // this stack's bucket
      new RegExp(`^arn:aws:s3:::${spec.bucket.name}(/\\*)?$`), // existing bucket by name
      new RegExp(`^arn:aws:logs:${region}:${account}:log-group:airflow-${env}-\\*$`),
      // §4.3/§4.4: MWAA's Celery queues live in a service account, hence the `*` account segment
      new RegExp(`^arn:aws:sqs:${region}:\\*:airflow-celery-\\*$`),
      /^\$\{aws_kms_key\.key\.arn\}$/,
      ...(spec.encryption.kms === 'existing' ? [new RegExp(`^${spec.encryption.keyArn}$`)] : []),
      ...(spec.iam.secretsBackend
        ? [spec.iam.secretsBackend.connectionsPrefix, spec.iam.secretsBackend.variablesPrefix].map((p) => new RegExp(`^arn:aws:secretsmanager:${region}:${account}:secret:${p}/\\*$`))
        : []),
    ];
    for (const s of generated(exec)) {
      for (const r of list(s.Resource)) {
        if (r === '*') continue;
        expect({ sid: s.Sid, resource: r, scoped: scoped.some((re) => re.test(r)) }).toEqual({ sid: s.Sid, resource: r, scoped: true });
      }
      if (s.NotResource !== undefined) {
        // §4.3 AWS-owned key: KMS use outside this account's keys, only through SQS in this Region
        expect(s.Sid).toBe('UseAwsOwnedKeyViaSqs');
        expect(s.NotResource).toBe(`arn:aws:kms:*:${account}:key/*`);
        expect(s.Condition).toEqual({ StringLike: { 'kms:ViaService': [`sqs.${region}.amazonaws.com`] } });
      }
      if (s.Sid === 'UseEnvironmentKey') expect(s.Condition).toEqual({ StringLike: { 'kms:ViaService': [`sqs.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`] } });
    }
  });

  test('web-login policies name only this environment’s Airflow roles; trust policy is bound to this environment', () => {
    for (const d of docs.filter((x) => x.where.startsWith('aws_iam_policy.web_login_'))) {
      for (const s of d.statements) {
        expect(s.Action).toBe('airflow:CreateWebLoginToken');
        for (const r of list(s.Resource)) expect(r).toMatch(new RegExp(`^arn:aws:airflow:${region}:${account}:role/${env}/(Admin|Op|User|Viewer|Public)$`));
      }
    }
    const trust = docs.find((d) => d.where === 'aws_iam_role.execution')!;
    expect(trust.statements).toHaveLength(1);
    expect(trust.statements[0].Condition).toEqual({
      ArnLike: { 'aws:SourceArn': `arn:aws:airflow:${region}:${account}:environment/${env}` },
      StringEquals: { 'aws:SourceAccount': account },
    });
  });

  test('user extraPolicyStatements are appended as written, not merged into generated statements', () => {
    const exec = docs.find((d) => d.where === 'aws_iam_policy.execution_policy')!;
    const extra = exec.statements.filter((s) => spec.iam.extraPolicyStatements.some((x) => x.Sid === s.Sid));
    expect(extra).toEqual(spec.iam.extraPolicyStatements.map((x) => ({ ...x })));
  });
});

test('the allow-list itself is exact: every listed wildcard statement is generated by some variant', () => {
  const seen = new Set<string>();
  for (const [, spec] of variants()) for (const d of policies(synthSpec(spec))) for (const s of d.statements) if (list(s.Resource).includes('*') || list(s.Action).some((a) => a.endsWith('*') && a.includes(':*'))) seen.add(String(s.Sid));
  seen.delete('UserWildcard');
  expect([...seen].sort()).toEqual([...new Set([...Object.keys(STAR_RESOURCE_ALLOWED), ...Object.keys(STAR_ACTION_ALLOWED)])].sort());
});
