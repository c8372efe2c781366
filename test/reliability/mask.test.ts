/** src/report/mask.ts: the one definition of "secret" used by every output: by what a value is, never by a word in a key. */
import { hasCredential, isSecretConditionKey, isSecretOption, MASK, maskCredentials, maskSourceLine, maskSpec, maskSpecValue, maskString } from '../../src/report/mask';

test('secret Airflow options: the ones Airflow marks sensitive, and names ending in password/secret/token/secret_key/...', () => {
  for (const n of ['core.fernet_key', 'webserver.secret_key', 'smtp.smtp_password', 'celery.broker_url', 'secrets.backend_kwargs', 'sentry.sentry_dsn', 'database.sql_alchemy_conn', 'mycompany.api_token', 'x.client_secret', 'x.passwd', 'x.apikey', 'ldap.bind_password', 'CUSTOM.BAD_TOKEN'])
    expect([n, isSecretOption(n)]).toEqual([n, true]);
  // a word in a name is not enough
  for (const n of ['core.parallelism', 'celery.worker_autoscale', 'core.dags_folder', 'webserver.base_url', 'mycompany.db_conn', 'x.conn_id', 'logging.remote_log_conn_id', 'secrets.backend', 'core.private_subnet', 'x.key', 'x.s3_key', 'celery.ssl_key', 'api.google_key_path'])
    expect([n, isSecretOption(n)]).toEqual([n, false]);
});

test('secret policy condition keys', () => {
  for (const k of ['sts:ExternalId', 'aws:PrincipalTag/api_token', 'aws:RequestTag/db_password']) expect([k, isSecretConditionKey(k)]).toEqual([k, true]);
  for (const k of ['aws:SourceAccount', 'aws:PrincipalTag/team', 's3:prefix', 'aws:SourceVpce']) expect([k, isSecretConditionKey(k)]).toEqual([k, false]);
});

test('values that look like credentials are masked wherever they are; the rest of the text stays', () => {
  expect(hasCredential('postgresql://u:pw@h/db')).toBe(true);
  expect(hasCredential('see https://bot:pw@example.com/x')).toBe(true);
  expect(hasCredential('https://example.com/x')).toBe(false);
  expect(hasCredential({ a: ['x', 'redis://:pw@h:6379'] })).toBe(true);
  expect(maskCredentials('a postgresql://u:s3cr3t@h/db b')).toBe(`a postgresql://u:${MASK}@h/db b`);
  expect(maskCredentials('Server=db;User=a;Password=s3cr3t;')).toBe(`Server=db;User=a;Password=${MASK};`);
  expect(maskCredentials('{"user": "a", "password": "s3cr3t"}')).toBe(`{"user": "a", "password": "${MASK}"}`);
  expect(maskCredentials('key AKIAIOSFODNN7EXAMPLE used')).toBe(`key ${MASK} used`);
  expect(maskCredentials('token ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(`token ${MASK}`);
  expect(maskCredentials('Authorization: Bearer abcdefghijklmnopqrstuvwxyz')).toBe(`Authorization: Bearer ${MASK}`);
  expect(maskCredentials('x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXRleHQ x')).toBe(`x ${MASK} x`);
  expect(maskCredentials('-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----')).toBe(MASK);
  expect(maskString('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(MASK); // shaped like an AWS secret access key
  expect(maskString('0123456789abcdef0123456789abcdef01234567')).toBe('0123456789abcdef0123456789abcdef01234567'); // a git sha
});

test('topology, names, CIDRs, ARNs, IDs and S3 keys are never masked', () => {
  const never = [
    '10.200.1.0/24',
    'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:iam::111122223333:role/platform-admins',
    'subnet-0123456789abcdef0',
    'vpc-0123456789abcdef0',
    'dags/team/pipelines/daily_ingest_v2.py',
    'acme-analytics-prod-airflow',
    'https://example.com/path',
  ];
  for (const v of never) expect(maskString(v)).toBe(v);
  const spec = {
    name: 'analytics-prod',
    network: { privateSubnets: ['10.200.1.0/24', '10.200.2.0/24'], publicSubnets: ['10.200.10.0/24'], subnetIds: ['subnet-a'] },
    bucket: { requirements: { source: 'airflow/requirements.txt', key: 'requirements.txt' } },
    encryption: { kms: 'existing', keyArn: 'arn:aws:kms:eu-west-1:1:key/k' },
    state: { key: 'mwaa/analytics-prod.tfstate' },
    iam: { secretsBackend: { connectionsPrefix: 'airflow/connections' } },
    tags: { api_token_owner: 'team-a' },
  };
  expect(maskSpec(spec)).toEqual(spec);
});

test('source lines: a secret option or condition key masks its value; topology lines are untouched', () => {
  expect(maskSourceLine('    smtp.smtp_password: hunter2')).toBe(`    smtp.smtp_password: ${MASK}`);
  expect(maskSourceLine('          aws:PrincipalTag/api_token: abc')).toBe(`          aws:PrincipalTag/api_token: ${MASK}`);
  expect(maskSourceLine('    "core.fernet_key": "abc"')).toBe(`    "core.fernet_key": ${MASK}`);
  expect(maskSourceLine('    custom.url: https://bot:pw@example.com')).toBe(`    custom.url: https://bot:${MASK}@example.com`);
  expect(maskSourceLine('  privateSubnets: [10.200.1.0/24, 10.200.2.0/24]')).toBe('  privateSubnets: [10.200.1.0/24, 10.200.2.0/24]');
  expect(maskSourceLine('  keyArn: arn:aws:kms:eu-west-1:1:key/abc')).toBe('  keyArn: arn:aws:kms:eu-west-1:1:key/abc');
  expect(maskSourceLine('    key: plugins.zip')).toBe('    key: plugins.zip');
  expect(maskSourceLine('  workers: { min: 1, max: 3 }')).toBe('  workers: { min: 1, max: 3 }');
});

test('maskSpec masks secret options, secret condition values and credentials; keeps the rest; input untouched', () => {
  const spec = {
    airflow: { configuration: { 'smtp.smtp_password': 'pw', 'custom.endpoint': 'https://u:p@h', 'core.parallelism': '32' } },
    iam: { extraPolicyStatements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/api_token': 't', 'aws:PrincipalTag/team': 'data' } } }] },
  };
  const m = maskSpec(spec);
  expect(m.airflow.configuration).toEqual({ 'smtp.smtp_password': MASK, 'custom.endpoint': `https://u:${MASK}@h`, 'core.parallelism': '32' });
  expect(m.iam.extraPolicyStatements[0].Condition.StringEquals).toEqual({ 'aws:PrincipalTag/api_token': MASK, 'aws:PrincipalTag/team': 'data' });
  expect(spec.airflow.configuration['smtp.smtp_password']).toBe('pw');
  expect(maskSpecValue(['iam', 'extraPolicyStatements'], [{ Condition: { StringEquals: { 'x/api_token': ['t1', 't2'] } } }])).toEqual([{ Condition: { StringEquals: { 'x/api_token': [MASK, MASK] } } }]);
});
