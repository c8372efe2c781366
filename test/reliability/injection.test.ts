/**
 * Injection: hostile values written in a YAML spec (`${...}`, `%{...}`, quotes, backslashes, newlines, JSON
 * fragments, CDKTF token look-alikes) go through the whole path (YAML -> validate -> synth -> cdk.tf.json ->
 * terraform plan) and arrive in the plan exactly as written: Terraform never evaluates them.
 * Tags cannot carry such values at all: MWAA-TAG-001 refuses `$`, `{`, `%` and quotes (AWS's tag pattern), see the
 * last test.
 * Artifact sources with `..`, absolute paths and symlinks leaving the repository are refused (corpus cases
 * 070-074 cover them through the CLI; here the synth path is checked too: nothing is synthesized).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { loadValidSpecs, synthesize } from '../../src/synth';
import { OFFLINE_PROVIDER_OVERRIDES } from '../support/terraform-validate';
import { terraformPlanJson } from '../support/many-stacks';

const H = {
  expr: '${aws_iam_role.execution.arn}',
  directive: '%{ if true }x%{ endif }',
  escaped: '$${kept}',
  token: '${TfToken[TOKEN.1]}',
  quotes: `it's "quoted" \`back\``,
  backslash: 'C:\\temp\\n\\${x}',
  json: '{"a": [1, {"b": "${c}"}], "d": "%{e}"}',
  heredoc: '<<EOT\n${file("/etc/passwd")}\nEOT',
  newline: 'line one\nline two ${x}',
  interp: '${file("/etc/passwd")}',
};

function specYaml(): string {
  return stringify(
    {
      apiVersion: 'mwaa-gitops/v1',
      name: 'inject-env',
      region: 'eu-west-1',
      account: '123456789012',
      tags: { team: 'data' },
      airflow: {
        version: '2.10.3',
        environmentClass: 'mw1.small',
        schedulers: 2,
        workers: { min: 1, max: 2 },
        webservers: { min: 2, max: 2 },
        webserverAccess: 'PUBLIC_ONLY',
        configuration: {
          'custom.expr': H.expr,
          'custom.directive': H.directive,
          'custom.escaped': H.escaped,
          'custom.token': H.token,
          'custom.quotes': H.quotes,
          'custom.backslash': H.backslash,
          'custom.json': H.json,
          'custom.interp': H.interp,
        },
      },
      network: { mode: 'create', routing: 'public', vpcCidr: '10.192.0.0/16', publicSubnets: ['10.192.10.0/24', '10.192.11.0/24'], privateSubnets: ['10.192.20.0/24', '10.192.21.0/24'], availabilityZoneIds: ['euw1-az1', 'euw1-az2'] }, // pinned zones: no zone lookup, the plan stays offline
      // an existing bucket: the execution policy then has no unknown values and appears whole in the plan
      bucket: { name: 'inject-env-bucket-123', existingArn: 'arn:aws:s3:::inject-env-bucket-123' },
      iam: {
        extraPolicyStatements: [
          {
            Sid: 'Hostile',
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: ['arn:aws:s3:::data-bucket/${aws:username}/*'],
            Condition: { StringEquals: { 'aws:PrincipalTag/a': [H.json, H.newline, H.heredoc, H.directive, H.quotes, H.backslash] } },
          },
        ],
      },
      state: { backend: 'local' },
    },
    { lineWidth: 0 },
  );
}

describe('hostile spec values stay data from YAML to terraform plan', () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-inject-'));
  fs.mkdirSync(path.join(repo, 'environments'));
  fs.writeFileSync(path.join(repo, 'environments', 'inject-env.yaml'), specYaml());
  const loaded = loadValidSpecs(repo, []);
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('the spec is valid (hostile strings are legal values)', () => {
    expect(loaded.report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(loaded.ok).toBe(true);
  });

  const [result] = loaded.ok ? synthesize(loaded.specs, { repoRoot: repo, providerOverrides: OFFLINE_PROVIDER_OVERRIDES }) : [];
  const tfEscape = (s: string) => s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');

  test('cdk.tf.json carries every value escaped ($${ / %%{), nothing else changed', () => {
    const tf = JSON.parse(fs.readFileSync(result.file, 'utf8'));
    const opts = tf.resource.aws_mwaa_environment.environment.airflow_configuration_options;
    expect(opts['custom.expr']).toBe('$${aws_iam_role.execution.arn}');
    expect(opts['custom.directive']).toBe('%%{ if true }x%%{ endif }');
    expect(opts['custom.escaped']).toBe('$$${kept}');
    for (const k of ['quotes', 'backslash', 'json', 'interp', 'token'] as const) expect(opts[`custom.${k}`]).toBe(tfEscape(H[k]));
    // the policy document is a JSON string whose values are escaped the same way
    const policy = JSON.parse(tf.resource.aws_iam_policy.execution_policy.policy);
    const hostile = policy.Statement.find((s: { Sid?: string }) => s.Sid === 'Hostile');
    expect(hostile.Resource).toEqual(['arn:aws:s3:::data-bucket/$${aws:username}/*']);
    expect(hostile.Condition.StringEquals['aws:PrincipalTag/a']).toEqual([H.json, H.newline, H.heredoc, H.directive, H.quotes, H.backslash].map(tfEscape));
    // no unescaped interpolation anywhere outside the stack's own references
    const raw = fs.readFileSync(result.file, 'utf8');
    expect(raw.match(/(?<!\$)\$\{file/g)).toBeNull();
  });

  test('terraform plan (create-only, offline provider) shows every value exactly as written in the YAML', async () => {
    const plan = await terraformPlanJson(result.dir);
    const byAddr = new Map<string, any>((plan.resource_changes as any[]).map((c) => [c.address, c.change]));
    const env = byAddr.get('aws_mwaa_environment.environment');
    // airflow_configuration_options is sensitive in the provider; the plan JSON still carries the values
    const opts = env.after.airflow_configuration_options;
    expect(env.after_sensitive.airflow_configuration_options).toBe(true);
    for (const k of ['expr', 'directive', 'escaped', 'token', 'quotes', 'backslash', 'json', 'interp'] as const) expect(opts[`custom.${k}`]).toBe(H[k]);
    const policy = JSON.parse(byAddr.get('aws_iam_policy.execution_policy').after.policy);
    const hostile = policy.Statement.find((s: { Sid?: string }) => s.Sid === 'Hostile');
    expect(hostile.Resource).toEqual(['arn:aws:s3:::data-bucket/${aws:username}/*']);
    expect(hostile.Condition.StringEquals['aws:PrincipalTag/a']).toEqual([H.json, H.newline, H.heredoc, H.directive, H.quotes, H.backslash]);
  });
});

test('tags with interpolation or quotes are refused by MWAA-TAG-001 (the AWS tag pattern), never synthesized', () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-inject-tags-'));
  fs.mkdirSync(path.join(repo, 'environments'));
  fs.writeFileSync(path.join(repo, 'environments', 'inject-env.yaml'), specYaml().replace('team: data', `team: data\n  owner: "${H.expr}"\n  "\${k}": v`));
  const loaded = loadValidSpecs(repo, []);
  expect(loaded.ok).toBe(false);
  expect(loaded.report.findings.filter((f) => f.ruleId === 'MWAA-TAG-001').map((f) => f.path).sort()).toEqual(['tags.${k}', 'tags.owner'].sort());
  fs.rmSync(repo, { recursive: true, force: true });
});

describe('artifact sources leaving the repository are refused before synthesis', () => {
  const cases: Array<[string, string]> = [
    ['..', '../outside.txt'],
    ['.. inside a path', 'airflow/../../outside.txt'],
    ['absolute path', '/etc/hostname'],
    ['symlink to a file outside', 'airflow/link.txt'],
    ['symlinked directory pointing outside', 'linked-dir/outside.txt'],
  ];
  test.each(cases)('%s: %s', (_label, source) => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-art-'));
    const repo = path.join(parent, 'repo');
    fs.mkdirSync(path.join(repo, 'environments'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'airflow'));
    fs.writeFileSync(path.join(parent, 'outside.txt'), 'secret\n');
    fs.symlinkSync(path.join(parent, 'outside.txt'), path.join(repo, 'airflow', 'link.txt'));
    fs.symlinkSync(parent, path.join(repo, 'linked-dir'));
    const doc = stringify({
      apiVersion: 'mwaa-gitops/v1',
      name: 'art-env',
      region: 'eu-west-1',
      account: '123456789012',
      airflow: { version: '2.10.3' },
      network: { mode: 'create', routing: 'public', vpcCidr: '10.192.0.0/16', publicSubnets: ['10.192.10.0/24', '10.192.11.0/24'], privateSubnets: ['10.192.20.0/24', '10.192.21.0/24'], availabilityZoneIds: ['euw1-az1', 'euw1-az2'] }, // pinned zones: no zone lookup, the plan stays offline
      bucket: { name: 'art-env-bucket-123', requirements: { source } },
      state: { backend: 'local' },
    });
    fs.writeFileSync(path.join(repo, 'environments', 'art-env.yaml'), doc);
    const loaded = loadValidSpecs(repo, []);
    expect(loaded.ok).toBe(false);
    const f = loaded.report.findings.find((x) => x.ruleId === 'SPEC-ARTIFACT-OUTSIDE-REPO');
    expect(f).toBeDefined();
    expect(f!.line).toBe(doc.split('\n').findIndex((l) => l.includes('source:')) + 1);
    expect(fs.existsSync(path.join(repo, 'cdktf.out'))).toBe(false);
    fs.rmSync(parent, { recursive: true, force: true });
  });
});
