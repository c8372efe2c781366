import { redactPlan, redactValue, SENSITIVE } from '../../src/report/plan-redact';

describe('plan JSON redaction (plan --json-out)', () => {
  const plan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    prior_state: { values: { secret: 'leak-me-prior' } },
    planned_values: { root_module: { resources: [{ values: { airflow_configuration_options: { 'smtp.smtp_password': 'leak-me-planned' } } }] } },
    configuration: { provider_config: {} },
    resource_changes: [
      {
        address: 'aws_mwaa_environment.environment',
        mode: 'managed',
        type: 'aws_mwaa_environment',
        change: {
          actions: ['update'],
          before: { max_workers: 5, airflow_configuration_options: { 'core.x': '1', 'smtp.smtp_password': 'leak-me-before' }, tags: { a: 'b' } },
          after: { max_workers: 8, airflow_configuration_options: { 'core.x': '2', 'smtp.smtp_password': 'leak-me-after' }, tags: { a: 'b' } },
          before_sensitive: { airflow_configuration_options: true, tags: {} },
          after_sensitive: { airflow_configuration_options: true, tags: {} },
        },
      },
    ],
    resource_drift: [],
  };

  it('keeps keys and non-sensitive values, replaces sensitive values, drops state/config sections', () => {
    const out = redactPlan(plan as unknown as Record<string, unknown>);
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/leak-me/);
    const rc = (out.resource_changes as Array<{ change: { before: Record<string, unknown>; after: Record<string, unknown> } }>)[0];
    expect(rc.change.after.max_workers).toBe(8);
    expect(rc.change.after.airflow_configuration_options).toEqual({ 'core.x': SENSITIVE, 'smtp.smtp_password': SENSITIVE });
    expect(rc.change.before.tags).toEqual({ a: 'b' });
    expect(out).not.toHaveProperty('prior_state');
    expect(out).not.toHaveProperty('planned_values');
  });

  it('redacts nested list elements by mask position and leaves null alone', () => {
    expect(redactValue([{ a: 'x', b: 'y' }], [{ b: true }])).toEqual([{ a: 'x', b: SENSITIVE }]);
    expect(redactValue(null, true)).toBeNull();
    expect(redactValue('v', false)).toBe('v');
  });
});
