/**
 * IAM, KMS and bucket policy documents as plain objects (no constructs, no synthesis): the execution policy of
 * guide §4.3 / §4.4 with errata E-10 and E-11 fixed, the trust policy of §4.2 with confused-deputy conditions,
 * the CMK key policy of §5, the TLS-only bucket policy and the web-login policy of §8.4.
 *
 * Inputs are strings as they will appear in the policy (placeholders for spec values, tokens for resource
 * attributes, or plain strings in unit tests).
 */
import type { PolicyStatement } from '../src/spec/types';
import { regionalServicePrincipalIn, serviceHostIn, servicePrincipalIn, type PartitionInfo } from '../src/aws/partition';

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<Record<string, unknown>>;
}

export interface EnvironmentIdentity {
  /** Environment name. */
  name: string;
  /** The Region as it appears in documents (a literal placeholder in stacks). */
  region: string;
  /** The Region's partition (src/aws/partition.ts, looked up from the real Region): ARN partition, suffixes. */
  partition: PartitionInfo;
  /** Account id (spec `account`, or a caller-identity token when absent). */
  account: string;
}

export function environmentArn(id: EnvironmentIdentity): string {
  return `arn:${id.partition.id}:airflow:${id.region}:${id.account}:environment/${id.name}`;
}

export function logGroupArnPattern(id: EnvironmentIdentity): string {
  return `arn:${id.partition.id}:logs:${id.region}:${id.account}:log-group:airflow-${id.name}-*`;
}

/** §4.2 trust policy with `aws:SourceArn` / `aws:SourceAccount` conditions. */
export function trustPolicy(id: EnvironmentIdentity): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: [servicePrincipalIn(id.partition, 'airflow'), servicePrincipalIn(id.partition, 'airflow-env')] },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnLike: { 'aws:SourceArn': environmentArn(id) },
          StringEquals: { 'aws:SourceAccount': id.account },
        },
      },
    ],
  };
}

export interface ExecutionPolicyInput extends EnvironmentIdentity {
  bucketArn: string;
  /** CMK ARN (created or existing); absent = AWS-owned key variant. */
  kmsKeyArn?: string;
  secretsBackend?: { connectionsPrefix: string; variablesPrefix: string };
  extraStatements: PolicyStatement[];
}

/**
 * §4.3 (AWS-owned key) or §4.4 (CMK) execution policy, scoped to this environment:
 * E-10: `airflow:PublishMetrics` on the real environment ARN and `Deny s3:ListAllMyBuckets` on `*`;
 * E-11: `airflow:PublishMetrics` also in the CMK variant.
 */
export function executionPolicy(p: ExecutionPolicyInput): PolicyDocument {
  const via = (service: string) => serviceHostIn(p.partition, service, p.region);
  const statements: Array<Record<string, unknown>> = [
    { Sid: 'PublishMetrics', Effect: 'Allow', Action: 'airflow:PublishMetrics', Resource: environmentArn(p) },
    { Sid: 'DenyListAllBuckets', Effect: 'Deny', Action: 's3:ListAllMyBuckets', Resource: '*' },
    {
      Sid: 'ReadEnvironmentBucket',
      Effect: 'Allow',
      Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
      Resource: [p.bucketArn, `${p.bucketArn}/*`],
    },
    {
      Sid: 'WriteEnvironmentLogs',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogStream',
        'logs:CreateLogGroup',
        'logs:PutLogEvents',
        'logs:GetLogEvents',
        'logs:GetLogRecord',
        'logs:GetLogGroupFields',
        'logs:GetQueryResults',
      ],
      Resource: [logGroupArnPattern(p)],
    },
    { Sid: 'DescribeLogGroups', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: ['*'] },
    { Sid: 'AccountPublicAccessBlock', Effect: 'Allow', Action: ['s3:GetAccountPublicAccessBlock'], Resource: ['*'] },
    { Sid: 'PutMetricData', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' },
    {
      Sid: 'CeleryQueues',
      Effect: 'Allow',
      Action: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ],
      Resource: `arn:${p.partition.id}:sqs:${p.region}:*:airflow-celery-*`,
    },
  ];
  const kmsActions = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'];
  if (p.kmsKeyArn) {
    statements.push({
      Sid: 'UseEnvironmentKey',
      Effect: 'Allow',
      Action: kmsActions,
      Resource: p.kmsKeyArn,
      Condition: { StringLike: { 'kms:ViaService': [via('sqs'), via('s3')] } },
    });
  } else {
    statements.push({
      Sid: 'UseAwsOwnedKeyViaSqs',
      Effect: 'Allow',
      Action: kmsActions,
      NotResource: `arn:${p.partition.id}:kms:*:${p.account}:key/*`,
      Condition: { StringLike: { 'kms:ViaService': [via('sqs')] } },
    });
  }
  if (p.secretsBackend) {
    const base = `arn:${p.partition.id}:secretsmanager:${p.region}:${p.account}:secret:`;
    statements.push({
      Sid: 'ReadAirflowSecrets',
      Effect: 'Allow',
      Action: [
        'secretsmanager:GetResourcePolicy',
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
        'secretsmanager:ListSecretVersionIds',
      ],
      Resource: [`${base}${p.secretsBackend.connectionsPrefix}/*`, `${base}${p.secretsBackend.variablesPrefix}/*`],
    });
    statements.push({ Sid: 'ListSecrets', Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' });
  }
  for (const s of p.extraStatements) statements.push(copyStatement(s));
  return { Version: '2012-10-17', Statement: statements };
}

function copyStatement(s: PolicyStatement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.Sid !== undefined) out.Sid = s.Sid;
  out.Effect = s.Effect;
  out.Action = s.Action;
  out.Resource = s.Resource;
  if (s.Condition !== undefined) out.Condition = s.Condition;
  return out;
}

export interface KeyPolicyInput extends EnvironmentIdentity {
  /** Execution role ARN allowed to use the key through SQS and S3. */
  executionRoleArn: string;
}

/**
 * §5 key policy: the account administers the key (and so IAM policies apply), CloudWatch Logs may use it for
 * this account's log groups under the `aws:logs:arn` encryption context, the execution role may use it through
 * SQS and S3 (as §4.4), and principals of the account may let MWAA create its grants (§5 KMS-9) via the
 * airflow service.
 */
export function keyPolicy(p: KeyPolicyInput): PolicyDocument {
  const via = (service: string) => serviceHostIn(p.partition, service, p.region);
  const root = `arn:${p.partition.id}:iam::${p.account}:root`;
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
      cloudWatchLogsKeyStatement(p),
      {
        Sid: 'ExecutionRoleViaSqsAndS3',
        Effect: 'Allow',
        Principal: { AWS: p.executionRoleArn },
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
        Resource: '*',
        Condition: { StringLike: { 'kms:ViaService': [via('sqs'), via('s3')] } },
      },
      {
        Sid: 'AirflowServiceGrants',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: [
          'kms:CreateGrant',
          'kms:ListGrants',
          'kms:RevokeGrant',
          'kms:DescribeKey',
          'kms:Decrypt',
          'kms:Encrypt',
          'kms:GenerateDataKey*',
          'kms:ReEncrypt*',
        ],
        Resource: '*',
        Condition: { StringLike: { 'kms:ViaService': via('airflow') } },
      },
    ],
  };
}

/**
 * The key-policy statement CloudWatch Logs needs to encrypt this account's log groups with the key (the Region's
 * logs principal, under the `aws:logs:arn` encryption context). Part of {@link keyPolicy}; rule MWAA-KMS-002 prints
 * it for an existing key, whose policy the stack does not manage.
 */
export function cloudWatchLogsKeyStatement(id: Pick<EnvironmentIdentity, 'region' | 'partition' | 'account'>): Record<string, unknown> {
  return {
    Sid: 'CloudWatchLogs',
    Effect: 'Allow',
    Principal: { Service: regionalServicePrincipalIn(id.partition, 'logs', id.region) },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${id.partition.id}:logs:${id.region}:${id.account}:*` },
    },
  };
}

/** Deny every request to the bucket that does not use TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

/** §8.4: `airflow:CreateWebLoginToken` for one Airflow role of this environment. */
export function webLoginPolicy(id: EnvironmentIdentity, airflowRole: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'airflow:CreateWebLoginToken',
        Resource: [`arn:${id.partition.id}:airflow:${id.region}:${id.account}:role/${id.name}/${airflowRole}`],
      },
    ],
  };
}

/** The role name of an IAM role ARN (`arn:aws:iam::123:role/path/name` -> `name`). */
export function roleNameFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts[parts.length - 1];
}

/** The account id of an ARN (`arn:aws:iam::123456789012:role/x` -> `123456789012`; empty when it has none). */
export function accountFromArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** The bucket name of an S3 bucket ARN (`arn:aws:s3:::name` -> `name`). */
export function bucketNameFromArn(arn: string): string {
  return arn.split(':').slice(5).join(':');
}
