/** Dangers from the spec diff alone (data/replacement-fields.json), checked against a plan when there is one. */
import * as fs from 'fs';
import * as path from 'path';
import { mergeDangers, specDangers, standing, type Danger } from '../../src/plan/dangers';
import { REPLACEMENT_FIELDS } from '../../src/plan/facts';
import { buildPlanModel, errorPlan } from '../../src/plan/model';
import { dangerSentence } from '../../src/report/plan-render';
import type { PlanJson } from '../../src/plan/types';

const prod = () => ({
  name: 'analytics-prod',
  region: 'us-east-1',
  account: '111122223333',
  airflow: { version: '2.10.3', endpointManagement: 'SERVICE', workers: { min: 2, max: 10 }, configuration: { 'smtp.smtp_password': 'hunter2' } },
  network: { mode: 'create', routing: 'private', vpcCidr: '10.200.0.0/16', privateSubnets: ['10.200.1.0/24', '10.200.2.0/24'], publicSubnets: [] as string[], availabilityZoneIds: ['use1-az1', 'use1-az2'] },
  bucket: { name: 'acme-analytics-prod-airflow' },
  encryption: { kms: 'create' },
  protection: { preventDestroy: true },
});
type Spec = ReturnType<typeof prod>;
const edit = (f: (s: Spec) => void): Spec => {
  const s = prod();
  f(s);
  return s;
};
const dangers = (after: Spec, before: Spec = prod()) => specDangers('analytics-prod', before, after);
const fixture = (f: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', f), 'utf8')) as PlanJson;

describe('dangers from the spec diff, without a plan', () => {
  test('a subnet move of protected prod replaces the environment, which apply will refuse; both CIDR lists shown', () => {
    const [d, ...rest] = dangers(edit((s) => (s.network.privateSubnets = ['10.200.3.0/24', '10.200.4.0/24'])));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ effect: 'replaces', subject: 'environment', protected: true, evidence: 'not-planned', source: 'spec' });
    expect(d.causes).toEqual([{ field: 'network.privateSubnets', before: '["10.200.1.0/24","10.200.2.0/24"]', after: '["10.200.3.0/24","10.200.4.0/24"]' }]);
    const md = dangerSentence(d, { markdown: true });
    expect(md).toMatch(/^replaces `analytics-prod` \(protected: apply will refuse\); loses the metadata database \(DAG run history, and the connections and variables stored in Airflow\)/);
    expect(md).toContain('`network.privateSubnets`: ["10.200.1.0/24","10.200.2.0/24"] → ["10.200.3.0/24","10.200.4.0/24"]');
    expect(md).toMatch(/Plan: not run yet\.$/);
  });

  test('every field of the table is a danger when it changes (one danger per subject, every cause listed)', () => {
    const cases: Array<[string, (s: Spec) => void, string]> = [
      ['name', (s) => (s.name = 'analytics-prod2'), 'replaces:environment'],
      ['region', (s) => (s.region = 'eu-west-1'), 'moves:environment'],
      ['account', (s) => (s.account = '444455556666'), 'moves:environment'],
      ['network.mode', (s) => ((s.network as Record<string, unknown>).mode = 'existing'), 'replaces:environment'],
      ['network.vpcCidr', (s) => (s.network.vpcCidr = '10.201.0.0/16'), 'replaces:environment'],
      ['network.availabilityZoneIds', (s) => (s.network.availabilityZoneIds = ['use1-az4', 'use1-az2']), 'replaces:environment'],
      ['network.publicSubnets', (s) => (s.network.publicSubnets = ['10.200.10.0/24', '10.200.11.0/24']), 'replaces:public-network'],
      ['encryption.kms', (s) => (s.encryption.kms = 'aws-owned'), 'replaces:environment'],
      ['encryption.keyArn', (s) => ((s.encryption as Record<string, unknown>).keyArn = 'arn:aws:kms:us-east-1:111122223333:key/abc'), 'replaces:environment'],
      ['airflow.endpointManagement', (s) => (s.airflow.endpointManagement = 'CUSTOMER'), 'replaces:environment'],
      ['bucket.name', (s) => (s.bucket.name = 'acme-other'), 'replaces:bucket'],
      ['bucket.existingArn', (s) => ((s.bucket as Record<string, unknown>).existingArn = 'arn:aws:s3:::shared'), 'replaces:bucket'],
      ['airflow.version', (s) => (s.airflow.version = '3.0.6'), 'replaces:environment'],
      ['airflow.version', (s) => (s.airflow.version = '2.9.2'), 'refused:environment'],
    ];
    for (const [field, f, expected] of cases) {
      const ds = dangers(edit(f));
      expect([field, ds.map((d) => `${d.effect}:${d.subject}`)]).toEqual([field, [expected]]);
      expect(ds[0].causes.map((c) => c.field)).toEqual([field]);
    }
    // existing-network fields
    const existing = { ...prod(), network: { mode: 'existing', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sg-1'] } };
    for (const [field, net] of [
      ['network.subnetIds', { ...existing.network, subnetIds: ['subnet-a', 'subnet-c'] }],
      ['network.vpcId', { ...existing.network, vpcId: 'vpc-2' }],
    ] as const) {
      const ds = specDangers('analytics-prod', existing, { ...existing, network: net });
      expect([field, ds.map((d) => `${d.effect}:${d.subject}:${d.causes.map((c) => c.field).join(',')}`)]).toEqual([field, [`replaces:environment:${field}`]]);
    }
    expect(specDangers('x', existing, { ...existing, network: { ...existing.network, securityGroupIds: ['sg-2'] } })).toEqual([]);
    // every field of the table was exercised
    expect(new Set(REPLACEMENT_FIELDS.map((f) => f.field))).toEqual(new Set([...cases.map((c) => c[0]), 'network.privateSubnets', 'network.subnetIds', 'network.vpcId']));
  });

  test('several fields replacing the environment are one danger with every cause; in-place changes are none', () => {
    const ds = dangers(edit((s) => ((s.network.vpcCidr = '10.201.0.0/16'), (s.network.privateSubnets = ['10.201.1.0/24', '10.201.2.0/24']))));
    expect(ds).toHaveLength(1);
    expect(ds[0].causes.map((c) => c.field)).toEqual(['network.vpcCidr', 'network.privateSubnets']);
    expect(dangers(edit((s) => ((s.airflow.workers.max = 20), (s.airflow.version = '2.10.4'))))).toEqual([]);
    expect(specDangers('new', undefined, prod())).toEqual([]);
  });

  test('protection turned off in the same change: apply will not refuse, and the danger says so', () => {
    const [d] = dangers(edit((s) => ((s.protection.preventDestroy = false), (s.name = 'renamed'))));
    expect(d.protected).toBe(false);
    expect(dangerSentence(d, { markdown: true })).toContain('(protection is turned off in the same change: apply will NOT refuse)');
  });

  test('a region change is a move: a new environment elsewhere, the old one left running', () => {
    const [d] = dangers(edit((s) => (s.region = 'eu-west-1')));
    expect(dangerSentence(d, { markdown: true })).toMatch(/^moves `analytics-prod`; the stack's resources live in one Region: Terraform creates new ones in the new Region and loses track of the old ones — `region`: us-east-1 → eu-west-1/);
  });

  test('a secret value never shows in a cause', () => {
    const before = prod();
    const after = edit((s) => (s.name = 'renamed'));
    expect(JSON.stringify(specDangers('x', before, after))).not.toContain('hunter2');
  });
});

describe('the plan confirms or refines the spec dangers', () => {
  const subnetMove = () => dangers(edit((s) => (s.network.privateSubnets = ['10.200.3.0/24', '10.200.4.0/24'])));

  test('confirmed: the plan replaces the environment (and its subnets); other plan dangers are listed on their own', () => {
    const model = buildPlanModel({ environment: 'analytics-prod', protected: true, plan: fixture('plan-replace.json') });
    const merged = mergeDangers(subnetMove(), model);
    expect(merged.map((d) => `${d.source}:${d.effect}:${d.subject}:${d.evidence ?? ''}:${d.address ?? ''}`)).toEqual([
      'spec:replaces:environment:confirmed:',
      'plan:destroys:resource::aws_cloudwatch_log_group.old',
    ]);
    expect(merged[0].confirmedBy?.map((c) => c.address)).toEqual(['aws_mwaa_environment.environment', 'aws_subnet.private_0']);
    expect(dangerSentence(merged[0], { markdown: true })).toContain('Plan: confirmed: `aws_mwaa_environment.environment` replace (forced by `network_configuration[0].subnet_ids`)');
  });

  test('refined: a plan that does not replace it (never applied: it creates) takes the danger down', () => {
    const creates = buildPlanModel({
      environment: 'analytics-prod',
      protected: true,
      plan: { format_version: '1.2', resource_changes: [{ address: 'aws_mwaa_environment.environment', mode: 'managed', type: 'aws_mwaa_environment', name: 'environment', change: { actions: ['create'], before: null, after: {} } }] },
    });
    const merged = mergeDangers(subnetMove(), creates);
    expect(merged.map((d) => d.evidence)).toEqual(['not-in-plan']);
    expect(standing(merged)).toEqual([]);
  });

  test('a plan refused by prevent_destroy confirms it; any other failure leaves it standing, unchecked', () => {
    const refused = errorPlan('analytics-prod', true, 'analytics-prod: terraform plan failed (exit 1):\n  Error: Instance cannot be destroyed (aws_mwaa_environment.environment)\n    Resource aws_mwaa_environment.environment has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.');
    const [c] = mergeDangers(subnetMove(), refused);
    expect(c.evidence).toBe('confirmed');
    expect(dangerSentence(c, { markdown: true })).toContain('Plan: confirmed: `aws_mwaa_environment.environment` refused (prevent_destroy)');
    const failed = mergeDangers(subnetMove(), errorPlan('analytics-prod', true, 'analytics-prod: terraform plan failed: connection refused'));
    expect(failed.map((d) => d.evidence)).toEqual(['plan-failed']);
    expect(standing(failed)).toHaveLength(1);
    expect(mergeDangers(subnetMove(), undefined).map((d: Danger) => d.evidence)).toEqual(['not-planned']);
  });
});
