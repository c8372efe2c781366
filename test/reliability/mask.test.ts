/** src/report/mask.ts: the one definition of "secret" used by every output. */
import { hasCredential, isSecretName, MASK, maskCredentials, maskNested, maskSourceLine, maskSpec } from '../../src/report/mask';

test('secret names: configuration options and condition keys', () => {
  for (const n of ['smtp.smtp_password', 'core.fernet_key', 'mycompany.db_conn', 'aws:PrincipalTag/api_token', 'secrets.backend_kwargs_secret', 'x.passwd', 'x.apikey', 'ldap.bind_pass'])
    expect([n, isSecretName(n)]).toEqual([n, true]);
  for (const n of ['core.parallelism', 'celery.worker_autoscale', 'core.dags_folder', 'webserver.base_url']) expect([n, isSecretName(n)]).toEqual([n, false]);
});

test('credential URIs are found anywhere and only their password is masked in text', () => {
  expect(hasCredential('postgresql://u:pw@h/db')).toBe(true);
  expect(hasCredential('see https://bot:pw@example.com/x')).toBe(true);
  expect(hasCredential('https://example.com/x')).toBe(false);
  expect(hasCredential({ a: ['x', 'redis://:pw@h:6379'] })).toBe(true);
  expect(maskCredentials('a postgresql://u:s3cr3t@h/db b')).toBe(`a postgresql://u:${MASK}@h/db b`);
});

test('source lines: the value of a secret-looking key is masked, others untouched', () => {
  expect(maskSourceLine('    smtp.smtp_password: hunter2')).toBe(`    smtp.smtp_password: ${MASK}`);
  expect(maskSourceLine('          aws:PrincipalTag/api_token: abc')).toBe(`          aws:PrincipalTag/api_token: ${MASK}`);
  expect(maskSourceLine('    "core.fernet_key": "abc"')).toBe(`    "core.fernet_key": ${MASK}`);
  expect(maskSourceLine('    custom.url: https://bot:pw@example.com')).toBe(`    custom.url: https://bot:${MASK}@example.com`);
  expect(maskSourceLine('  keyArn: arn:aws:kms:eu-west-1:1:key/abc')).toBe('  keyArn: arn:aws:kms:eu-west-1:1:key/abc');
  expect(maskSourceLine('    key: plugins.zip')).toBe('    key: plugins.zip');
  expect(maskSourceLine('  workers: { min: 1, max: 3 }')).toBe('  workers: { min: 1, max: 3 }');
});

test('maskSpec masks configuration secrets, secret condition values and credential URIs; keeps the rest', () => {
  const spec = {
    name: 'e',
    bucket: { requirements: { source: 'airflow/requirements.txt', key: 'requirements.txt' } },
    encryption: { kms: 'existing', keyArn: 'arn:aws:kms:eu-west-1:1:key/k' },
    airflow: { configuration: { 'smtp.smtp_password': 'pw', 'custom.endpoint': 'https://u:p@h', 'core.parallelism': '32' } },
    iam: { extraPolicyStatements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/api_token': 't', 'aws:PrincipalTag/team': 'data' } } }] },
  };
  const m = maskSpec(spec);
  expect(m.airflow.configuration).toEqual({ 'smtp.smtp_password': MASK, 'custom.endpoint': MASK, 'core.parallelism': '32' });
  expect(m.iam.extraPolicyStatements[0].Condition.StringEquals).toEqual({ 'aws:PrincipalTag/api_token': MASK, 'aws:PrincipalTag/team': 'data' });
  expect(m.bucket).toEqual(spec.bucket);
  expect(m.encryption).toEqual(spec.encryption);
  expect(spec.airflow.configuration['smtp.smtp_password']).toBe('pw'); // input untouched
  expect(maskNested([{ Condition: { StringEquals: { 'x/api_token': 't' } } }])).toEqual([{ Condition: { StringEquals: { 'x/api_token': MASK } } }]);
});
