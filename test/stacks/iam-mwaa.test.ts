import { executionPolicy, keyPolicy, roleNameFromArn, trustPolicy } from '../../stacks/policies';
import { partitionOf } from '../../src/aws/partition';
import { derivedNames } from '../../src/aws/names';
import { ACCOUNT, addresses, devSpec, synthSpec } from './fixtures';

const id = { name: 'env1', region: 'us-east-1', partition: partitionOf('us-east-1'), account: ACCOUNT };

describe('policies (pure)', () => {
  it('execution policy fixes E-10: PublishMetrics on the real environment ARN, ListAllMyBuckets denied on *', () => {
    const doc = executionPolicy({ ...id, bucketArn: 'arn:aws:s3:::b', extraStatements: [] });
    const pm = doc.Statement.find((s) => s.Action === 'airflow:PublishMetrics');
    expect(pm?.Resource).toBe(`arn:aws:airflow:us-east-1:${ACCOUNT}:environment/env1`);
    expect(doc.Statement.find((s) => s.Action === 's3:ListAllMyBuckets')).toMatchObject({ Effect: 'Deny', Resource: '*' });
    const logs = doc.Statement.find((s) => s.Sid === 'WriteEnvironmentLogs');
    expect(logs?.Resource).toEqual([`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:airflow-env1-*`]);
    expect(doc.Statement.find((s) => s.Sid === 'CeleryQueues')?.Resource).toBe('arn:aws:sqs:us-east-1:*:airflow-celery-*');
  });

  it('execution policy fixes E-11: the CMK variant keeps PublishMetrics', () => {
    const doc = executionPolicy({ ...id, bucketArn: 'arn:aws:s3:::b', kmsKeyArn: 'arn:aws:kms:us-east-1:1:key/k', extraStatements: [] });
    expect(doc.Statement.some((s) => s.Action === 'airflow:PublishMetrics')).toBe(true);
    expect(doc.Statement.some((s) => 'NotResource' in s)).toBe(false);
  });

  it('trust policy: both principals, SourceArn and SourceAccount conditions', () => {
    const st = trustPolicy(id).Statement[0];
    expect(st.Principal).toEqual({ Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] });
    expect(st.Condition).toEqual({
      ArnLike: { 'aws:SourceArn': `arn:aws:airflow:us-east-1:${ACCOUNT}:environment/env1` },
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
    });
  });

  it('China: ARNs in aws-cn, endpoint hosts in amazonaws.com.cn, logs principal in the partition, MWAA principals global', () => {
    const cn = { name: 'env1', region: 'cn-north-1', partition: partitionOf('cn-north-1'), account: ACCOUNT };
    expect(trustPolicy(cn).Statement[0].Principal).toEqual({ Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] });
    expect(trustPolicy(cn).Statement[0].Condition).toMatchObject({ ArnLike: { 'aws:SourceArn': `arn:aws-cn:airflow:cn-north-1:${ACCOUNT}:environment/env1` } });
    const doc = executionPolicy({ ...cn, bucketArn: 'arn:aws-cn:s3:::b', extraStatements: [] });
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/arn:aws:/);
    expect(doc.Statement.find((x) => x.Sid === 'UseAwsOwnedKeyViaSqs')).toMatchObject({ Condition: { StringLike: { 'kms:ViaService': ['sqs.cn-north-1.amazonaws.com.cn'] } } });
    const key = keyPolicy({ ...cn, executionRoleArn: 'r' });
    expect(key.Statement.find((x) => x.Sid === 'CloudWatchLogs')).toMatchObject({ Principal: { Service: 'logs.cn-north-1.amazonaws.com.cn' } });
    expect(key.Statement.find((x) => x.Sid === 'AirflowServiceGrants')).toMatchObject({ Condition: { StringLike: { 'kms:ViaService': 'airflow.cn-north-1.amazonaws.com.cn' } } });
    expect(JSON.stringify(key)).not.toMatch(/arn:aws:/);
  });

  it('role name from ARN, with and without a path', () => {
    expect(roleNameFromArn('arn:aws:iam::1:role/Admins')).toBe('Admins');
    expect(roleNameFromArn('arn:aws:iam::1:role/team/a/Devs')).toBe('Devs');
  });
});

describe('IAM constructs', () => {
  it('execution role named after the environment, with trust policy and attached execution policy', () => {
    const r = synthSpec(devSpec()).resource;
    expect(r.aws_iam_role.execution).toMatchObject({ name: 'analytics-dev-execution', path: '/service-role/' });
    expect(r.aws_iam_role.execution.permissions_boundary).toBeUndefined();
    const trust = JSON.parse(r.aws_iam_role.execution.assume_role_policy);
    expect(trust.Statement[0].Condition.StringEquals['aws:SourceAccount']).toBe(ACCOUNT);
    expect(r.aws_iam_policy.execution_policy.name).toBe('analytics-dev-execution');
    expect(r.aws_iam_role_policy_attachment.execution_policy_attachment).toEqual({
      role: '${aws_iam_role.execution.name}',
      policy_arn: '${aws_iam_policy.execution_policy.arn}',
    });
    const policy = JSON.parse(r.aws_iam_policy.execution_policy.policy);
    expect(policy.Statement.some((s: any) => String(s.Action).startsWith('secretsmanager'))).toBe(false);
  });

  it('permissions boundary, secrets backend statements and extra statements', () => {
    const s = devSpec();
    s.iam = {
      permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
      secretsBackend: { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' },
      extraPolicyStatements: [{ Sid: 'Glue', Effect: 'Allow', Action: ['glue:GetJob'], Resource: '*' }],
      webAccess: {},
    };
    const r = synthSpec(s).resource;
    expect(r.aws_iam_role.execution.permissions_boundary).toBe(`arn:aws:iam::${ACCOUNT}:policy/boundary`);
    const st = JSON.parse(r.aws_iam_policy.execution_policy.policy).Statement;
    expect(st.find((x: any) => x.Sid === 'ReadAirflowSecrets').Resource).toEqual([
      `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:airflow/connections/*`,
      `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:airflow/variables/*`,
    ]);
    expect(st.find((x: any) => x.Sid === 'ListSecrets')).toMatchObject({ Action: 'secretsmanager:ListSecrets', Resource: '*' });
    expect(st[st.length - 1]).toEqual({ Sid: 'Glue', Effect: 'Allow', Action: ['glue:GetJob'], Resource: '*' });
  });

  it('webAccess: one CreateWebLoginToken policy per Airflow role, attached to each listed role by name', () => {
    const s = devSpec();
    s.iam.webAccess = {
      Admin: [`arn:aws:iam::${ACCOUNT}:role/platform/Admins`],
      Viewer: [`arn:aws:iam::${ACCOUNT}:role/Analysts`, `arn:aws:iam::${ACCOUNT}:role/Auditors`],
    };
    const r = synthSpec(s).resource;
    const admin = r.aws_iam_policy.web_login_admin;
    expect(admin.name).toBe('analytics-dev-web-login-Admin');
    expect(JSON.parse(admin.policy).Statement[0]).toEqual({
      Effect: 'Allow',
      Action: 'airflow:CreateWebLoginToken',
      Resource: [`arn:aws:airflow:eu-west-1:${ACCOUNT}:role/analytics-dev/Admin`],
    });
    expect(r.aws_iam_role_policy_attachment.web_login_admin_0).toEqual({ role: 'Admins', policy_arn: '${aws_iam_policy.web_login_admin.arn}' });
    expect(r.aws_iam_role_policy_attachment.web_login_viewer_0.role).toBe('Analysts');
    expect(r.aws_iam_role_policy_attachment.web_login_viewer_1.role).toBe('Auditors');
  });

  it('an 80-character environment name: role and policy names from src/aws/names.ts, within IAM\'s limits', () => {
    const name = `x${'y'.repeat(79)}`;
    const s = { ...devSpec({ name }), bucket: { ...devSpec().bucket } };
    s.iam.webAccess = { Admin: [`arn:aws:iam::${ACCOUNT}:role/Admins`] };
    const r = synthSpec(s).resource;
    expect(r.aws_iam_role.execution.name).toBe(derivedNames(name).executionRole);
    expect(r.aws_iam_role.execution.name.length).toBeLessThanOrEqual(64);
    expect(r.aws_iam_policy.execution_policy.name).toBe(`${name}-execution`); // 90 <= 128: unchanged
    expect(r.aws_iam_policy.web_login_admin.name).toBe(`${name}-web-login-Admin`);
    expect(r.aws_cloudwatch_log_group.log_task.name).toBe(`airflow-${name}-Task`);
  });

  it('webAccess without account: each attachment carries a precondition that the role is of the caller\'s account', () => {
    const s = devSpec();
    delete s.account;
    s.iam.webAccess = { Admin: ['arn:aws:iam::999988887777:role/admins'] };
    const att = synthSpec(s).resource.aws_iam_role_policy_attachment.web_login_admin_0;
    expect(att.role).toBe('admins');
    expect(att.lifecycle.precondition).toEqual([
      {
        condition: '${(data.aws_caller_identity.current.account_id == "999988887777")}',
        error_message: expect.stringContaining('iam.webAccess.Admin.0: arn:aws:iam::999988887777:role/admins is a role of account 999988887777, but this stack deploys to account ${data.aws_caller_identity.current.account_id}'),
      },
    ]);
    // with account in the spec, validation refuses other accounts (MWAA-IAM-004): no precondition needed
    const withAccount = devSpec();
    withAccount.iam.webAccess = { Admin: [`arn:aws:iam::${ACCOUNT}:role/admins`] };
    expect(synthSpec(withAccount).resource.aws_iam_role_policy_attachment.web_login_admin_0.lifecycle).toBeUndefined();
  });

  it('without account: a caller-identity data source supplies it (documented: needs STS at plan time)', () => {
    const s = devSpec();
    delete s.account;
    const tf = synthSpec(s);
    expect(tf.data.aws_caller_identity.current).toEqual({});
    expect(tf.resource.aws_iam_role.execution.assume_role_policy).toContain('${data.aws_caller_identity.current.account_id}');
  });

  it('iam.executionRoleArn: no role, policy or attachment; the environment (and the CMK policy) use the given role', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/service-role/legacy-execution`;
    const s = devSpec();
    s.iam = { ...s.iam, executionRoleArn: arn };
    s.encryption = { kms: 'create' };
    const tf = synthSpec(s);
    expect(addresses(tf).filter((a) => a.startsWith('aws_iam_'))).toEqual([]);
    const env = tf.resource.aws_mwaa_environment.environment;
    expect(env.execution_role_arn).toBe(arn);
    expect(JSON.stringify(env.depends_on ?? [])).not.toContain('aws_iam');
    expect(tf.resource.aws_kms_key.key.policy).toContain(arn);
    expect(tf.output.execution_role_arn.value).toBe(arn);
    // Without it, the managed role is there (the default is unchanged).
    expect(addresses(synthSpec(devSpec())).filter((a) => a.startsWith('aws_iam_')).sort()).toEqual([
      'aws_iam_policy.execution_policy',
      'aws_iam_role.execution',
      'aws_iam_role_policy_attachment.execution_policy_attachment',
    ]);
  });
});

describe('MWAA environment and stack', () => {
  it('maps every spec field', () => {
    const s = devSpec();
    s.airflow = {
      ...s.airflow,
      version: '2.7.2',
      environmentClass: 'mw1.medium',
      schedulers: 3,
      workers: { min: 2, max: 8 },
      webservers: { min: 2, max: 4 },
      webserverAccess: 'PRIVATE_ONLY',
      endpointManagement: 'CUSTOMER',
      maintenanceWindow: 'TUE:03:30',
      configuration: { 'core.parallelism': '40', 'webserver.default_ui_timezone': 'UTC' },
    };
    s.airflow.logging.task = { enabled: false, level: 'ERROR' };
    s.airflow.logging.retentionDays = 90;
    s.bucket.dagsPath = 'airflow/dags';
    const r = synthSpec(s).resource;
    expect(r.aws_mwaa_environment.environment).toMatchObject({
      name: 'analytics-dev',
      airflow_version: '2.7.2',
      environment_class: 'mw1.medium',
      schedulers: 3,
      min_workers: 2,
      max_workers: 8,
      min_webservers: 2,
      max_webservers: 4,
      webserver_access_mode: 'PRIVATE_ONLY',
      endpoint_management: 'CUSTOMER',
      weekly_maintenance_window_start: 'TUE:03:30',
      airflow_configuration_options: { 'core.parallelism': '40', 'webserver.default_ui_timezone': 'UTC' },
      dag_s3_path: 'airflow/dags',
      execution_role_arn: '${aws_iam_role.execution.arn}',
      source_bucket_arn: '${aws_s3_bucket.bucket.arn}',
      tags: { team: 'analytics', env: 'dev' },
    });
    expect(r.aws_mwaa_environment.environment.logging_configuration.task_logs).toEqual({ enabled: false, log_level: 'ERROR' });
    expect(r.aws_mwaa_environment.environment.logging_configuration.scheduler_logs).toEqual({ enabled: true, log_level: 'INFO' });
    for (const g of Object.values<any>(r.aws_cloudwatch_log_group)) expect(g.retention_in_days).toBe(90);
  });

  it('five log groups airflow-<name>-<Module>, created before the environment', () => {
    const r = synthSpec(devSpec()).resource;
    const names = Object.values<any>(r.aws_cloudwatch_log_group).map((g) => g.name).sort();
    expect(names).toEqual(['DAGProcessing', 'Scheduler', 'Task', 'WebServer', 'Worker'].map((m) => `airflow-analytics-dev-${m}`).sort());
    const deps: string[] = r.aws_mwaa_environment.environment.depends_on;
    for (const id of Object.keys(r.aws_cloudwatch_log_group)) expect(deps).toContain(`aws_cloudwatch_log_group.${id}`);
    expect(deps).toEqual(expect.arrayContaining([
      'aws_iam_role_policy_attachment.execution_policy_attachment',
      'aws_s3_bucket_versioning.bucket_versioning',
      'aws_s3_bucket_public_access_block.bucket_public_access_block',
    ]));
  });

  it('provider: region, account guard from spec.account, default tags (spec tags + environment + managed-by); no overrides by default', () => {
    const tf = synthSpec(devSpec());
    expect(tf.provider.aws).toEqual([
      {
        region: 'eu-west-1',
        allowed_account_ids: [devSpec().account],
        default_tags: [{ tags: { team: 'analytics', env: 'dev', 'mwaa-gitops:environment': 'analytics-dev', 'managed-by': 'mwaa-gitops' } }],
      },
    ]);
    const { account: _omit, ...noAccount } = devSpec();
    expect(synthSpec(noAccount as ReturnType<typeof devSpec>).provider.aws[0].allowed_account_ids).toBeUndefined();
    expect(tf.terraform.required_providers.aws.version).toBe('5.100.0');
  });

  it('managedTags: false leaves only the spec tags as default tags (none at all without tags)', () => {
    expect(synthSpec(devSpec({ managedTags: false })).provider.aws[0].default_tags).toEqual([{ tags: { team: 'analytics', env: 'dev' } }]);
    expect(synthSpec(devSpec({ managedTags: false, tags: {} })).provider.aws[0].default_tags).toBeUndefined();
    expect(synthSpec(devSpec({ managedTags: true })).provider.aws[0].default_tags[0].tags['managed-by']).toBe('mwaa-gitops');
  });

  it('retentionDays 0 (never expire) reaches the log groups as 0', () => {
    const s = devSpec();
    s.airflow.logging.retentionDays = 0;
    for (const g of Object.values<any>(synthSpec(s).resource.aws_cloudwatch_log_group)) expect(g.retention_in_days).toBe(0);
  });

  it('providerOverrides are merged into the aws provider block', () => {
    const tf = synthSpec(devSpec(), { providerOverrides: { skip_credentials_validation: true, endpoints: [{ s3: 'http://localhost:5000' }] } });
    expect(tf.provider.aws[0]).toMatchObject({ skip_credentials_validation: true, endpoints: [{ s3: 'http://localhost:5000' }], region: 'eu-west-1' });
  });

  it('state: local backend under <repo>/.mwaa-gitops/state/<env> by default (relative to the stack dir), or a given stateDir', () => {
    expect(synthSpec(devSpec()).terraform.backend).toEqual({ local: { path: '../../../.mwaa-gitops/state/analytics-dev/terraform.tfstate' } });
    const tf = synthSpec(devSpec(), { stateDir: '/var/state' });
    expect(tf.terraform.backend.local.path).toBe('../../../../var/state/analytics-dev/terraform.tfstate');
  });

  it('state: S3 backend with use_lockfile (and dynamodb_table when given)', () => {
    const tf = synthSpec(devSpec({ state: { backend: 's3', bucket: 'tf-state', key: 'mwaa/analytics-dev.tfstate', region: 'eu-west-1', dynamodbTable: 'locks' } }));
    expect(tf.terraform.backend).toEqual({
      s3: { bucket: 'tf-state', key: 'mwaa/analytics-dev.tfstate', region: 'eu-west-1', dynamodb_table: 'locks', encrypt: true, use_lockfile: true },
    });
    const noTable = synthSpec(devSpec({ state: { backend: 's3', bucket: 'tf-state', key: 'k', region: 'eu-west-1' } }));
    expect(noTable.terraform.backend.s3.dynamodb_table).toBeUndefined();
    expect(noTable.terraform.backend.s3.use_lockfile).toBe(true);
  });

  it('outputs', () => {
    const o = synthSpec(devSpec()).output;
    expect(Object.keys(o).sort()).toEqual(['bucket_name', 'environment_arn', 'execution_role_arn', 'security_group_ids', 'subnet_ids', 'webserver_url']);
    expect(o.webserver_url.value).toBe('${format("https://%s", aws_mwaa_environment.environment.webserver_url)}');
    expect(o.environment_arn.value).toBe('${aws_mwaa_environment.environment.arn}');
  });

  it('dev example = the guide quick-start resource set (§2.1)', () => {
    const addrs = addresses(synthSpec(devSpec()));
    const count = (t: string) => addrs.filter((a) => a.startsWith(`${t}.`)).length;
    expect(count('aws_vpc')).toBe(1);
    expect(count('aws_internet_gateway')).toBe(1);
    expect(count('aws_subnet')).toBe(4);
    expect(count('aws_nat_gateway')).toBe(2);
    expect(count('aws_eip')).toBe(2);
    expect(count('aws_route_table')).toBe(3);
    expect(count('aws_security_group')).toBe(1);
    expect(count('aws_vpc_security_group_ingress_rule')).toBe(1);
    expect(count('aws_s3_bucket')).toBe(1);
    expect(count('aws_s3_bucket_versioning')).toBe(1);
    expect(count('aws_s3_bucket_public_access_block')).toBe(1);
    expect(count('aws_iam_role')).toBe(1);
    expect(count('aws_iam_policy')).toBe(1);
    expect(count('aws_mwaa_environment')).toBe(1);
  });
});
