import { buildPlanModel } from '../../src/plan/model';
import type { PlanJson } from '../../src/plan/types';
import { MASK } from '../../src/report/mask';
import { redactPlan, redactValue } from '../../src/report/plan-redact';

describe('plan JSON redaction (plan --json-out)', () => {
  const plan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    prior_state: { values: { secret: 'leak-me-prior' } },
    planned_values: { root_module: { resources: [{ values: { airflow_configuration_options: { 'smtp.smtp_password': 'leak-me-planned' } } }] } },
    configuration: { root_module: { resources: [{ expressions: { airflow_configuration_options: { constant_value: { 'smtp.smtp_password': 'leak-me-config' } } } }] } },
    resource_changes: [
      {
        address: 'aws_mwaa_environment.environment',
        mode: 'managed',
        type: 'aws_mwaa_environment',
        name: 'environment',
        change: {
          actions: ['update'],
          before: { max_workers: 5, airflow_configuration_options: { 'core.x': '1', 'smtp.smtp_password': 'leak-me-before', 'x.url': 'https://bot:leak-me-uri@h' }, tags: { a: 'b' }, password: 'leak-me-attr' },
          after: { max_workers: 8, airflow_configuration_options: { 'core.x': '2', 'smtp.smtp_password': 'leak-me-after', 'x.url': 'https://bot:leak-me-uri@h' }, tags: { a: 'b' }, password: 'leak-me-attr' },
          before_sensitive: { airflow_configuration_options: true, tags: {}, password: true },
          after_sensitive: { airflow_configuration_options: true, tags: {}, password: true },
        },
      },
    ],
    resource_drift: [],
    output_changes: { webserver_url: { actions: ['update'], before: 'https://old', after: 'https://new' } },
  };

  it('masks secrets by what they are, keeps option keys and non-secret values, drops state/config sections', () => {
    const out = redactPlan(plan as unknown as Record<string, unknown>);
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/leak-me/);
    const rc = (out.resource_changes as Array<{ change: { before: Record<string, unknown>; after: Record<string, unknown>; masked_changes?: string[] } }>)[0];
    expect(rc.change.after.max_workers).toBe(8);
    expect(rc.change.after.airflow_configuration_options).toEqual({ 'core.x': '2', 'smtp.smtp_password': MASK, 'x.url': `https://bot:${MASK}@h` });
    expect(rc.change.after.password).toBe(MASK);
    expect(rc.change.before.tags).toEqual({ a: 'b' });
    expect(rc.change.masked_changes).toEqual(['airflow_configuration_options.smtp.smtp_password']);
    expect(out).not.toHaveProperty('prior_state');
    expect(out).not.toHaveProperty('planned_values');
    expect(out).not.toHaveProperty('configuration');
    expect(out.output_changes).toEqual({ webserver_url: { actions: ['update'] } });
  });

  it('the model built from the redacted JSON shows the same changes, a changed secret included', () => {
    const model = buildPlanModel({ environment: 'dev', protected: false, plan: redactPlan(plan as unknown as Record<string, unknown>) as unknown as PlanJson });
    expect(model.airflowConfiguration).toEqual([
      { key: 'core.x', change: 'changed', before: '1', after: '2' },
      { key: 'smtp.smtp_password', change: 'changed', before: MASK, after: MASK },
    ]);
    expect(model.counts.change).toBe(1);
  });

  it('redacts nested list elements by marker position and leaves null alone', () => {
    expect(redactValue([{ a: 'x', b: 'y' }], [{ b: true }])).toEqual([{ a: 'x', b: MASK }]);
    expect(redactValue(null, true)).toBeNull();
    expect(redactValue('v', false)).toBe('v');
  });
});
