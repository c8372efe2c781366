/** The one plan model (src/plan/model.ts) and its renderers, from fixture `terraform show -json` documents. */
import * as fs from 'fs';
import * as path from 'path';
import { blockedByProtection, buildPlanModel, configDiff, countPlan, diffValues, formatCounts, hasChanges } from '../../src/plan/model';
import { renderPlan } from '../../src/report/plan-render';
import { MASK } from '../../src/report/mask';
import type { PlanJson } from '../../src/plan/types';

const fixture = (f: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', f), 'utf8')) as PlanJson;
const prod = { environment: 'analytics-prod', protected: true };

describe('plan model', () => {
  const m = buildPlanModel({ ...prod, plan: fixture('plan-replace.json') });

  test("counts the way Terraform does: a replacement in both add and destroy, data sources never", () => {
    // Terraform prints "Plan: 3 to add, 1 to change, 3 to destroy." for this plan (2 replacements, 1 create, 1 delete, 1 update)
    expect(m.counts).toEqual({ import: 0, add: 3, change: 1, destroy: 3, replace: 2, forget: 0 });
    expect(formatCounts(m.counts)).toBe('3 to add, 1 to change, 3 to destroy');
    expect(hasChanges(m)).toBe(true);
  });

  test('replacements and destroys come first, with what forces them and what they lose', () => {
    expect(m.resources.map((r) => `${r.action} ${r.address}`)).toEqual([
      'replace aws_mwaa_environment.environment',
      'replace aws_subnet.private_0',
      'delete aws_cloudwatch_log_group.old',
      'create aws_s3_object.requirements',
      'update aws_iam_policy.execution_policy',
    ]);
    const env = m.resources[0];
    expect(env.forcedBy).toEqual(['network_configuration[0].subnet_ids']);
    expect(env.forcedMeaning).toEqual(['the subnets']);
    expect(env.loss).toMatch(/^loses the metadata database \(DAG run history, and the connections and variables stored in Airflow\)/);
    expect(env.protectedResource).toBe(true);
    expect(m.resources[1].protectedResource).toBe(false);
  });

  test('sensitive attributes never appear in attribute diffs; config options get a key-level diff, secrets masked', () => {
    expect(m.resources[0].attributes.map((a) => a.path)).toEqual(['max_workers', 'network_configuration[0].subnet_ids[0]', 'network_configuration[0].subnet_ids[1]']);
    expect(m.airflowConfiguration).toEqual([
      { key: 'core.parallelism', change: 'removed', before: '32' },
      { key: 'smtp.smtp_password', change: 'changed', before: MASK, after: MASK },
      { key: 'webserver.expose_config', change: 'added', after: 'False' },
    ]);
    const all = renderPlan([m], 'text') + renderPlan([m], 'markdown') + renderPlan([m], 'json');
    expect(all).not.toContain('old-secret');
    expect(all).not.toContain('new-secret');
  });

  test('tags_all is not repeated next to tags', () => {
    const pol = m.resources.find((c) => c.address === 'aws_iam_policy.execution_policy')!;
    expect(pol.attributes).toEqual([{ path: 'policy', before: '"{\\"a\\":1}"', after: '"{\\"a\\":2}"' }]);
  });

  test('the apply gate blocks destroys/replacements of protected resources (environment, bucket, key) unless --allow-replace names them', () => {
    expect(blockedByProtection(m, []).map((d) => d.address)).toEqual(['aws_mwaa_environment.environment']);
    expect(blockedByProtection(m, ['aws_mwaa_environment.environment'])).toEqual([]);
    expect(blockedByProtection(buildPlanModel({ environment: 'x', protected: false, plan: fixture('plan-replace.json') }), [])).toEqual([]);
  });

  test("text output: Terraform's counts first, then the dangers block, then the changes", () => {
    const text = renderPlan([m], 'text');
    const lines = text.split('\n');
    expect(lines[0]).toBe('analytics-prod [protected]: 3 to add, 1 to change, 3 to destroy (2 replacements)');
    expect(lines[1]).toBe('  DESTROY / REPLACE:');
    expect(text.indexOf('aws_cloudwatch_log_group.old')).toBeLessThan(text.indexOf('aws_s3_object.requirements'));
    expect(text).toContain('! loses the metadata database');
    expect(text).toContain('changing the subnets forces it');
    expect(text).toContain('    - core.parallelism (was 32)');
    expect(text).toContain(`    ~ smtp.smtp_password: ${MASK} -> ${MASK}`);
  });

  test('markdown output: the same counts, a caution block and a table', () => {
    const md = renderPlan([m], 'markdown');
    expect(md).toContain('**Plan: 3 to add, 1 to change, 3 to destroy (2 replacements)**');
    expect(md).toContain('> [!CAUTION]');
    expect(md).toContain('> **replace** `aws_mwaa_environment.environment` (forced by `network_configuration[0].subnet_ids`): loses the metadata database');
    expect(md).toContain('changing the subnets forces it. **Protected**: apply refuses it unless `--allow-replace aws_mwaa_environment.environment`');
    expect(md).toContain('| `+` | create | `aws_s3_object.requirements` |');
  });

  test('no changes', () => {
    const none = buildPlanModel({ environment: 'dev', protected: false, plan: { format_version: '1.2', resource_changes: [] } });
    expect(hasChanges(none)).toBe(false);
    expect(renderPlan([none], 'text')).toBe('dev: no changes\n');
  });

  test('an import is a change: counted like Terraform ("1 to import, ..."), never "no changes"', () => {
    const plan: PlanJson = {
      format_version: '1.2',
      resource_changes: [
        { address: 'aws_mwaa_environment.environment', mode: 'managed', type: 'aws_mwaa_environment', name: 'environment', change: { actions: ['no-op'], before: { name: 'x' }, after: { name: 'x' }, importing: { id: 'x' } } },
        { address: 'aws_s3_object.r', mode: 'managed', type: 'aws_s3_object', name: 'r', change: { actions: ['update'], before: { etag: 'a' }, after: { etag: 'b' }, importing: { id: 'k' } } },
      ],
    };
    const imp = buildPlanModel({ environment: 'legacy', protected: false, plan });
    expect(countPlan(plan)).toEqual({ import: 2, add: 0, change: 1, destroy: 0, replace: 0, forget: 0 });
    expect(hasChanges(imp)).toBe(true);
    const text = renderPlan([imp], 'text');
    expect(text.split('\n')[0]).toBe('legacy: 2 to import, 0 to add, 1 to change, 0 to destroy');
    expect(text).toContain('<= aws_mwaa_environment.environment (import)');
    expect(text).toContain('~ aws_s3_object.r (update, import)');
  });

  test('output-only changes are changes too', () => {
    const out = buildPlanModel({ environment: 'dev', protected: false, plan: { format_version: '1.2', resource_changes: [], output_changes: { webserver_url: { actions: ['create'] }, same: { actions: ['no-op'] } } } });
    expect(hasChanges(out)).toBe(true);
    expect(renderPlan([out], 'text')).toBe('dev: no resource changes; outputs change: webserver_url\n');
  });
});

describe('diff helpers', () => {
  test('lists of different length compare as a whole; unknown values say so; credentials in values are masked', () => {
    expect(diffValues({ l: [1] }, { l: [1, 2] }).map((a) => [a.path, a.before, a.after])).toEqual([['l', '[1]', '[1,2]']]);
    expect(diffValues({ id: 'a' }, { id: null }, { afterUnknown: { id: true } }).map((a) => a.after)).toEqual(['(known after apply)']);
    expect(diffValues({ x: null }, {})).toEqual([]);
    expect(diffValues({ u: 'https://bot:hunter2@example.com' }, { u: 'https://example.com' })[0].before).toBe(`"https://bot:${MASK}@example.com"`);
  });

  test('configDiff masks secret options by what they are, shows everything else', () => {
    expect(configDiff({}, { 'core.fernet_key': 'k', 'core.dag_concurrency': '4', 'x.conn_id': 'aws_default', 'x.db': 'postgresql://u:pw@h/db' })).toEqual([
      { key: 'core.dag_concurrency', change: 'added', after: '4' },
      { key: 'core.fernet_key', change: 'added', after: MASK },
      { key: 'x.conn_id', change: 'added', after: 'aws_default' },
      { key: 'x.db', change: 'added', after: `postgresql://u:${MASK}@h/db` },
    ]);
  });
});
