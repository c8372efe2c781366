/** The plan from `terraform plan -json`'s event stream: enough when no value is needed, `show -json` otherwise. */
import { buildPlanModel, formatCounts } from '../../src/plan/model';
import { planFromEvents, type UiEvent } from '../../src/plan/stream';
import { renderPlan } from '../../src/report/plan-render';

const change = (addr: string, action: string, extra: Record<string, unknown> = {}): UiEvent => {
  const [type, name] = addr.replace(/^data\./, '').split('.');
  return { type: 'planned_change', change: { resource: { addr, module: '', resource_type: type, resource_name: name, resource_key: null }, action, ...extra } };
};
const summary = (add: number, change = 0, remove = 0, imp = 0): UiEvent => ({ type: 'change_summary', changes: { add, change, remove, import: imp, operation: 'plan' } });
const stack = { resource: { aws_mwaa_environment: { environment: { name: 'e', airflow_configuration_options: { 'core.parallelism': '64', 'smtp.smtp_password': 'PLANTEDstream' } } } } };

describe('planFromEvents', () => {
  test('a create-only plan: every create, in address order, the new environment\'s options from the stack, masked', () => {
    const r = planFromEvents([change('aws_vpc.vpc', 'create'), change('aws_mwaa_environment.environment', 'create'), change('data.aws_iam_policy_document.p', 'read'), summary(2), { type: 'outputs', outputs: { arn: { action: 'create' } } }], stack);
    if (!('plan' in r)) throw new Error(r.needsShow);
    expect(r.plan.resource_changes!.map((c) => c.address)).toEqual(['aws_mwaa_environment.environment', 'aws_vpc.vpc', 'data.aws_iam_policy_document.p']);
    const m = buildPlanModel({ environment: 'e', protected: false, plan: r.plan });
    expect(formatCounts(m.counts)).toBe('2 to add, 0 to change, 0 to destroy');
    expect(m.outputChanges).toEqual(['arn']);
    expect(m.airflowConfiguration.map((c) => `${c.change} ${c.key}=${c.after}`)).toEqual(['added core.parallelism=64', 'added smtp.smtp_password=****']);
    expect(renderPlan([m], 'text')).not.toContain('PLANTED');
  });

  test('destroys, forgets and imports are planned from the stream too', () => {
    const r = planFromEvents([change('aws_vpc.vpc', 'delete', { reason: 'delete_because_no_resource_config' }), change('aws_s3_bucket.b', 'remove'), change('aws_iam_role.r', 'import', { importing: { id: 'r' } }), summary(0, 0, 1, 1)], stack);
    if (!('plan' in r)) throw new Error(r.needsShow);
    const m = buildPlanModel({ environment: 'e', protected: false, plan: r.plan });
    expect(formatCounts(m.counts)).toBe('1 to import, 0 to add, 0 to change, 1 to destroy');
    expect(m.counts.forget).toBe(1);
    expect(m.resources.find((x) => x.address === 'aws_vpc.vpc')).toMatchObject({ action: 'delete', loss: expect.stringContaining('VPC') });
  });

  test.each([
    ['an update (attribute values)', [change('aws_vpc.vpc', 'update'), summary(0, 1)], /vpc: update needs attribute values/],
    ['a replacement (the attributes forcing it)', [change('aws_vpc.vpc', 'replace', { reason: 'cannot_update' }), summary(1, 0, 1)], /vpc: replace needs attribute values/],
    ['an action this module does not know', [change('aws_vpc.vpc', 'teleport'), summary(0)], /teleport/],
    ['no change_summary', [change('aws_vpc.vpc', 'create')], /no change_summary/],
    ['counts that disagree with change_summary', [change('aws_vpc.vpc', 'create'), summary(2)], /change_summary says 2/],
    ['options that are not constants of the stack', [change('aws_mwaa_environment.environment', 'create'), summary(1)], /not constants/],
  ])('%s: show -json is needed', (what, events, why) => {
    const s = what.startsWith('options') ? { resource: { aws_mwaa_environment: { environment: { airflow_configuration_options: { a: '${var.x}' } } } } } : stack;
    expect(planFromEvents(events as UiEvent[], s)).toEqual({ needsShow: expect.stringMatching(why as RegExp) });
  });

  test('refresh-only with drift needs the drifted values; without drift the stream is enough', () => {
    const drift: UiEvent = { type: 'resource_drift', change: { resource: { addr: 'aws_vpc.vpc', resource_type: 'aws_vpc', resource_name: 'vpc' }, action: 'update' } };
    expect(planFromEvents([drift, summary(0)], stack, 'refresh-only')).toEqual({ needsShow: expect.stringContaining('drift') });
    expect('plan' in planFromEvents([summary(0)], stack, 'refresh-only')).toBe(true);
  });
});
