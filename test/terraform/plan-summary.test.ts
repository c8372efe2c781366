/** The plan / drift summary and its renderers, from fixture `terraform show -json` documents. */
import * as fs from 'fs';
import * as path from 'path';
import { blockedByProtection, configDiff, diffValues, hasChanges, summarizePlan } from '../../src/report/plan-summary';
import { renderPlan } from '../../src/report/plan-render';
import type { PlanJson } from '../../src/terraform/runner';

const fixture = (f: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', f), 'utf8')) as PlanJson;
const prod = { name: 'analytics-prod', protection: { preventDestroy: true } };

describe('plan summary', () => {
  const s = summarizePlan({ spec: prod, plan: fixture('plan-replace.json') });

  test('counts add / change / destroy / replace over managed resources only', () => {
    expect(s.counts).toEqual({ add: 1, change: 1, destroy: 1, replace: 2 });
    expect(hasChanges(s)).toBe(true);
  });

  test('replacements and destroys come first, with what forces them and the MWAA consequence', () => {
    expect(s.dangers.map((d) => `${d.action} ${d.address}`)).toEqual([
      'replace aws_mwaa_environment.environment',
      'replace aws_subnet.private_0',
      'delete aws_cloudwatch_log_group.old',
    ]);
    const env = s.dangers[0];
    expect(env.forcedBy).toEqual(['network_configuration[0].subnet_ids']);
    expect(env.consequence).toMatch(/metadata database is lost \(DAG run history, connections and variables/);
    expect(env.consequence).toContain('changing the subnets forces it');
  });

  test('sensitive attributes never appear in attribute diffs; config options get a key-level diff, secrets masked', () => {
    const env = s.dangers[0];
    expect(env.attributes.map((a) => a.path)).toEqual(['max_workers', 'network_configuration[0].subnet_ids[0]', 'network_configuration[0].subnet_ids[1]']);
    expect(s.airflowConfiguration).toEqual([
      { key: 'core.parallelism', change: 'removed', before: '32' },
      { key: 'smtp.smtp_password', change: 'changed', before: '(masked)', after: '(masked)' },
      { key: 'webserver.expose_config', change: 'added', after: 'False' },
    ]);
    const all = renderPlan([s], 'text') + renderPlan([s], 'markdown') + renderPlan([s], 'json');
    expect(all).not.toContain('old-secret');
    expect(all).not.toContain('new-secret');
  });

  test('tags_all is not repeated next to tags', () => {
    const pol = s.changes.find((c) => c.address === 'aws_iam_policy.execution_policy')!;
    expect(pol.attributes).toEqual([{ path: 'policy', before: '"{\\"a\\":1}"', after: '"{\\"a\\":2}"' }]);
  });

  test('the apply gate blocks destroys/replacements of protected resources (environment, bucket, key) unless --allow-replace names them', () => {
    expect(blockedByProtection(s, []).map((d) => d.address)).toEqual(['aws_mwaa_environment.environment']);
    expect(blockedByProtection(s, ['aws_mwaa_environment.environment'])).toEqual([]);
    expect(blockedByProtection({ ...s, protected: false }, [])).toEqual([]);
  });

  test('text output: dangers block before the changes, counts line first', () => {
    const text = renderPlan([s], 'text');
    const lines = text.split('\n');
    expect(lines[0]).toBe('analytics-prod [protected]: 1 to add, 1 to change, 1 to destroy, 2 to replace');
    expect(lines[1]).toBe('  DESTROY / REPLACE:');
    expect(text.indexOf('aws_cloudwatch_log_group.old')).toBeLessThan(text.indexOf('aws_s3_object.requirements'));
    expect(text).toContain('    - core.parallelism (was 32)');
    expect(text).toContain('    ~ smtp.smtp_password: (masked) -> (masked)');
  });

  test('markdown output: a caution block and a table', () => {
    const md = renderPlan([s], 'markdown');
    expect(md).toContain('> [!CAUTION]');
    expect(md).toContain('> **replace** `aws_mwaa_environment.environment` (forced by `network_configuration[0].subnet_ids`)');
    expect(md).toContain('| `+` | `aws_s3_object.requirements` |');
  });

  test('no changes', () => {
    const none = summarizePlan({ spec: { name: 'dev', protection: { preventDestroy: false } }, plan: { format_version: '1.2', resource_changes: [] } });
    expect(hasChanges(none)).toBe(false);
    expect(renderPlan([none], 'text')).toBe('dev: no changes\n');
  });
});

describe('drift summary', () => {
  const s = summarizePlan({ spec: { name: 'analytics-dev', protection: { preventDestroy: false } }, plan: fixture('plan-drift.json'), refreshOnly: true });

  test('computed attributes the configuration does not set are not drift', () => {
    const paths = s.drift.flatMap((d) => d.attributes.map((a) => a.path));
    expect(paths).not.toContain('last_updated');
    expect(paths).not.toContain('attachment_count');
  });

  test('each drifted resource with attribute paths before -> after; sensitive values masked', () => {
    expect(s.drift.map((d) => d.address)).toEqual([
      'aws_mwaa_environment.environment',
      'aws_vpc_security_group_ingress_rule.mwaa_self',
      'aws_s3_bucket_versioning.bucket_versioning',
    ]);
    expect(s.drift[0].attributes).toEqual([
      { path: 'airflow_configuration_options.secrets.api_token', before: '(masked)', after: '(masked)' },
      { path: 'max_workers', before: '5', after: '9' },
      { path: 'tags.team', before: '"analytics"', after: '"other"' },
    ]);
    expect(s.drift[2].attributes).toEqual([{ path: 'versioning_configuration[0].status', before: '"Enabled"', after: '"Suspended"' }]);
    const text = renderPlan([s], 'text', 'drift');
    expect(text).toContain('analytics-dev: drift in 3 resource(s)');
    expect(text).toContain('  ~ aws_vpc_security_group_ingress_rule.mwaa_self (deleted outside Terraform)');
    expect(text).toContain('      max_workers: 5 -> 9');
    expect(text).not.toMatch(/"a"|"b"/);
  });
});

describe('diff helpers', () => {
  test('lists of different length compare as a whole; unknown values say so', () => {
    expect(diffValues({ l: [1] }, { l: [1, 2] })).toEqual([{ path: 'l', before: '[1]', after: '[1,2]' }]);
    expect(diffValues({ id: 'a' }, { id: null }, { afterUnknown: { id: true } })).toEqual([{ path: 'id', before: '"a"', after: '(known after apply)' }]);
    expect(diffValues({ x: null }, {})).toEqual([]);
  });

  test('configDiff masks values of secret-looking keys only', () => {
    expect(configDiff({}, { 'core.fernet_key': 'k', 'core.dag_concurrency': '4', 'x.conn_id': 'c' })).toEqual([
      { key: 'core.dag_concurrency', change: 'added', after: '4' },
      { key: 'core.fernet_key', change: 'added', after: '(masked)' },
      { key: 'x.conn_id', change: 'added', after: '(masked)' },
    ]);
  });
});
