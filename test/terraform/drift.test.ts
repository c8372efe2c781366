/** Drift that is real (src/plan/drift.ts): configured nested paths, recorded values, classification, spec fields. */
import * as fs from 'fs';
import * as path from 'path';
import { isConfigured } from '../../src/plan/drift';
import { buildPlanModel } from '../../src/plan/model';
import { renderPlan } from '../../src/report/plan-render';
import { MASK } from '../../src/report/mask';
import type { PlanJson } from '../../src/plan/types';

const fixture = (f: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', f), 'utf8')) as PlanJson;
const drift = (f: string) => buildPlanModel({ environment: 'analytics-dev', protected: false, plan: fixture(f), mode: 'refresh-only' });

describe('drift summary', () => {
  const s = drift('plan-drift.json');

  test('computed attributes the configuration does not set are not drift', () => {
    const paths = s.drift.flatMap((d) => d.attributes.map((a) => a.path));
    expect(paths.some((p) => p.startsWith('last_updated'))).toBe(false);
    expect(paths).not.toContain('attachment_count');
  });

  test('each drifted resource classified, with attribute paths before -> after, the spec field, secrets masked', () => {
    expect(s.drift.map((d) => `${d.kind} ${d.address}`)).toEqual([
      'changed aws_mwaa_environment.environment',
      'deleted aws_vpc_security_group_ingress_rule.mwaa_self',
      'changed aws_s3_bucket_versioning.bucket_versioning',
    ]);
    expect(s.drift[0].attributes).toEqual([
      { path: 'airflow_configuration_options.secrets.api_token', before: MASK, after: MASK, spec: 'airflow.configuration["secrets.api_token"]', fixed: undefined },
      { path: 'max_workers', before: '5', after: '9', spec: 'airflow.workers.max', fixed: undefined },
      { path: 'tags.team', before: '"analytics"', after: '"other"', spec: 'tags.team', fixed: undefined },
    ]);
    expect(s.drift[1].specFields).toEqual(["the security group's self-referencing all-traffic rule (set by the stack; MWAA requires it)"]);
    expect(s.drift[2].attributes).toEqual([
      { path: 'versioning_configuration[0].status', before: '"Enabled"', after: '"Suspended"', spec: undefined, fixed: 'versioning is always on (set by the stack; MWAA requires it)' },
    ]);
    const text = renderPlan([s], 'text', 'drift');
    expect(text).toContain('analytics-dev: drift in 3 resource(s)');
    expect(text).toContain('  - aws_vpc_security_group_ingress_rule.mwaa_self (deleted outside Terraform)');
    expect(text).toContain('  ~ aws_mwaa_environment.environment (changed outside Terraform)');
    expect(text).toContain('      max_workers: 5 -> 9  [spec: airflow.workers.max]');
    expect(text).not.toMatch(/"a"|"b"/);
  });

  test('the demo false positive: a computed default read back (rule[0].bucket_key_enabled: null -> false) is not drift', () => {
    // Captured from `npm run demo` (analytics-dev on the emulators; max workers and versioning changed through the AWS
    // SDK), trimmed to the three drifted resources: terraform show -json of the refresh-only plan.
    const demo = drift('plan-drift-demo.json');
    expect(demo.drift.map((d) => d.address)).toEqual(['aws_mwaa_environment.environment', 'aws_s3_bucket_versioning.bucket_versioning']);
    expect(demo.drift.flatMap((d) => d.attributes.map((a) => `${a.path}: ${a.before} -> ${a.after}`))).toEqual(['max_workers: 5 -> 9', 'versioning_configuration[0].status: "Enabled" -> "Suspended"']);
    expect(renderPlan([demo], 'text', 'drift')).not.toContain('bucket_key_enabled');
  });

  test('a value recorded by the last apply that changed is drift even where the configuration does not set it', () => {
    const plan: PlanJson = {
      format_version: '1.2',
      resource_drift: [
        {
          address: 'aws_s3_bucket_server_side_encryption_configuration.bucket_encryption',
          mode: 'managed',
          type: 'aws_s3_bucket_server_side_encryption_configuration',
          name: 'bucket_encryption',
          change: { actions: ['update'], before: { rule: [{ bucket_key_enabled: true, apply_server_side_encryption_by_default: [{ sse_algorithm: 'AES256' }] }] }, after: { rule: [{ bucket_key_enabled: false, apply_server_side_encryption_by_default: [{ sse_algorithm: 'AES256' }] }] } },
        },
      ],
      configuration: { root_module: { resources: [{ address: 'aws_s3_bucket_server_side_encryption_configuration.bucket_encryption', expressions: { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: { constant_value: 'AES256' } }] }] } }] } },
    };
    const m = buildPlanModel({ environment: 'x', protected: false, plan, mode: 'refresh-only' });
    expect(m.drift[0].attributes.map((a) => `${a.path}: ${a.before} -> ${a.after} [${a.spec}]`)).toEqual(['rule[0].bucket_key_enabled: true -> false [encryption.kms]']);
  });

  test('isConfigured follows nested blocks and treats a whole-value expression (maps, lists) as covering its keys', () => {
    const e = { rule: [{ a: [{ b: { constant_value: 'x' } }] }], tags: { constant_value: { team: 'x' } }, ref: { references: ['x.y'] } };
    expect(isConfigured(e, ['rule', 0, 'a', 0, 'b'])).toBe(true);
    expect(isConfigured(e, ['rule', 0, 'bucket_key_enabled'])).toBe(false);
    expect(isConfigured(e, ['rule', 1, 'a'])).toBe(false);
    expect(isConfigured(e, ['tags', 'added-outside'])).toBe(true);
    expect(isConfigured(e, ['ref', 0])).toBe(true);
    expect(isConfigured(e, ['last_updated', 0, 'status'])).toBe(false);
  });
});
