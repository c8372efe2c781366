/**
 * Issue 4 acceptance, end to end (part 1 of 3, the dev example): the CLI (plan / apply / drift) with real terraform
 * against moto + the MWAA fake. The dev example is applied from scratch (then an empty plan), drift is injected
 * through the AWS SDK and found and reconciled, spec edits plan as in-place updates, and an unreachable endpoint ends
 * with an error naming the environment, after which the next apply converges. The tests build on each other in
 * order (one applied environment, created once). Parts 2 and 3: reconcile-prod.e2e.test.ts,
 * reconcile-failure.e2e.test.ts; each part has its own emulators, so jest runs them on separate workers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DescribeSecurityGroupRulesCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { CreatePolicyVersionCommand, ListPoliciesCommand, GetPolicyVersionCommand, GetPolicyCommand } from '@aws-sdk/client-iam';
import { UpdateEnvironmentCommand, TagResourceCommand } from '@aws-sdk/client-mwaa';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { DEV, reconcileFixture } from '../support/reconcile-fixture';

const f = reconcileFixture();

test('apply the dev example from scratch; the next plan is empty', async () => {
  // exit 2 = changes, with --detailed-exitcode (without it: 0, Terraform's convention, asserted by the workflow e2e's
  // plan job and test/terraform/workflow.test.ts; one plan here, not two)
  const planned = await f.tf('plan', DEV, '--detailed-exitcode');
  expect(planned.code).toBe(2);
  expect(planned.out).toMatch(new RegExp(`^${DEV}: \\d+ to add, 0 to change, 0 to destroy\\n`));
  const applied = await f.tf('apply', DEV);
  expect(applied.err).toContain(`[${DEV}] aws_mwaa_environment.environment: creating...`);
  expect(applied.err).toMatch(new RegExp(`\\[${DEV}\\] aws_mwaa_environment\\.environment: done after \\d+s`));
  expect(applied.code).toBe(0);
  expect(applied.out).toMatch(new RegExp(`^${DEV}: applied in \\d+s`));
  expect(f.em.mwaa.environments.get(DEV)?.Status).toBe('AVAILABLE');
  const again = await f.tf('plan', DEV);
  expect(again.out).toBe(`${DEV}: no changes\n`);
  expect(again.code).toBe(0);
});

test('drift injected through the AWS SDK is reported with the attribute named; --reconcile brings it back', async () => {
  const env = f.em.mwaa.environments.get(DEV)!;
  const max = env.MaxWorkers;
  const team = env.Tags.team;
  expect(team).toBeTruthy();
  // MWAA max workers
  await f.mwaa().send(new UpdateEnvironmentCommand({ Name: DEV, MaxWorkers: env.MaxWorkers + 4 }));
  await f.waitAvailable(DEV);
  // a tag edited
  await f.mwaa().send(new TagResourceCommand({ ResourceArn: env.Arn, Tags: { team: 'somebody-else' } }));
  // bucket versioning suspended
  const bucket = env.SourceBucketArn.replace('arn:aws:s3:::', '');
  await f.s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
  // the security group's self rule removed
  const sgId = env.NetworkConfiguration.SecurityGroupIds[0];
  const rules = await f.ec2().send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [sgId] }] }));
  const self = rules.SecurityGroupRules?.find((r) => !r.IsEgress && r.ReferencedGroupInfo?.GroupId === sgId);
  expect(self).toBeDefined();
  await f.ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: sgId, SecurityGroupRuleIds: [self!.SecurityGroupRuleId!] }));
  // an execution-policy statement changed
  const policies = await f.iam().send(new ListPoliciesCommand({ Scope: 'Local' }));
  const policy = policies.Policies?.find((p) => p.PolicyName?.includes(DEV));
  expect(policy).toBeDefined();
  const current = await f.iam().send(new GetPolicyCommand({ PolicyArn: policy!.Arn }));
  const version = await f.iam().send(new GetPolicyVersionCommand({ PolicyArn: policy!.Arn, VersionId: current.Policy!.DefaultVersionId }));
  const doc = JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!)) as { Statement: Array<Record<string, unknown>> };
  doc.Statement[0] = { ...doc.Statement[0], Action: 's3:*', Resource: '*' };
  await f.iam().send(new CreatePolicyVersionCommand({ PolicyArn: policy!.Arn, PolicyDocument: JSON.stringify(doc), SetAsDefault: true }));

  const drift = await f.tf('drift', DEV);
  expect(drift.err).toBe('');
  expect(drift.code).toBe(2);
  expect(drift.out).toContain(`${DEV}: drift in `);
  expect(drift.out).toMatch(new RegExp(`~ aws_mwaa_environment\\.environment \\(changed outside Terraform\\)\\n(.*\\n)*? +max_workers: ${max} -> ${max + 4} {2}\\[spec: airflow\\.workers\\.max\\]\\n`));
  expect(drift.out).toMatch(new RegExp(`tags(_all)?\\.team: "${team}" -> "somebody-else"`));
  expect(drift.out).toMatch(/~ aws_s3_bucket_versioning\.\S+ \(changed outside Terraform\)\n(.*\n)*? +versioning_configuration\[0\]\.status: "Enabled" -> "Suspended"/);
  expect(drift.out).toMatch(/- aws_vpc_security_group_ingress_rule\.\S+ \(deleted outside Terraform\)/);
  expect(drift.out).toMatch(/~ aws_iam_policy\.\S+ \(changed outside Terraform\)\n(.*\n)*? +policy: /);
  // nothing else: the computed default read back (rule[0].bucket_key_enabled: null -> false) is not drift
  expect(drift.out).not.toContain('bucket_key_enabled');


  const json = await f.tf('drift', DEV, '--format', 'json');
  const parsed = JSON.parse(json.out) as { environments: Array<{ drift: Array<{ address: string; attributes: Array<{ path: string }> }> }> };
  const paths = parsed.environments[0].drift.flatMap((d) => d.attributes.map((a) => `${d.address} ${a.path}`));
  expect(paths).toEqual(expect.arrayContaining(['aws_mwaa_environment.environment max_workers']));
  // exactly the resources changed behind Terraform's back, each classified
  expect(parsed.environments[0].drift.map((d) => `${(d as { kind?: string }).kind} ${d.address.split('.')[0]}`).sort()).toEqual([
    'changed aws_iam_policy',
    'changed aws_mwaa_environment',
    'changed aws_s3_bucket_versioning',
    'deleted aws_vpc_security_group_ingress_rule',
  ]);

  const fixed = await f.tf('drift', DEV, '--reconcile');
  // stderr carries only progress lines of the reconciling apply.
  expect(fixed.err).toContain(`[${DEV}] aws_mwaa_environment.environment: updating...`);
  expect(fixed.err).not.toMatch(/failed|Error/);
  expect(fixed.out).toContain(`${DEV}: reconciled`);
  expect(fixed.out).toContain('next plan: no changes');
  expect(fixed.code).toBe(0);
  expect(f.em.mwaa.environments.get(DEV)?.MaxWorkers).toBe(max);
  expect(f.em.mwaa.environments.get(DEV)?.Tags.team).toBe(team);
  // the reconcile's own next plan said "no changes" (above): each of the four drifts is gone. (drift's "no drift"
  // answer after a reconcile: s3-state.e2e.test.ts)
});

test('spec edits (max workers 5 -> 8, a config option, a new requirements file) plan as an in-place update and apply', async () => {
  fs.mkdirSync(path.join(f.work, 'airflow'), { recursive: true });
  fs.writeFileSync(path.join(f.work, 'airflow', 'requirements-v2.txt'), 'apache-airflow-providers-snowflake==5.8.0\n');
  f.editSpec(DEV, (doc) => {
    doc.setIn(['airflow', 'workers', 'max'], 8);
    doc.setIn(['airflow', 'configuration', 'celery.worker_autoscale'], '5,5');
    doc.setIn(['airflow', 'configuration', 'secrets.backend_kwargs_password'], 'not-for-eyes');
    doc.setIn(['bucket', 'requirements'], { source: 'airflow/requirements-v2.txt', key: 'requirements.txt' });
  });
  const before = f.em.mwaa.environments.get(DEV)!.MaxWorkers;
  const planned = await f.tf('plan', DEV);
  expect(planned.code).toBe(0);
  expect(planned.out).toMatch(/~ aws_mwaa_environment\.environment \(update\)/);
  expect(planned.out).toContain(`max_workers: ${before} -> 8`);
  expect(planned.out).toMatch(/requirements_s3_object_version: "[^"]+" -> \(known after apply\)/);
  expect(planned.out).toMatch(/~ aws_s3_object\.\S+ \(update\)/);
  expect(planned.out).toContain('+ celery.worker_autoscale = 5,5');
  expect(planned.out).toContain('+ secrets.backend_kwargs_password = ****');
  expect(planned.out).not.toContain('not-for-eyes');
  expect(planned.out).not.toMatch(/aws_mwaa_environment\.environment \(replace\)|DESTROY/);
  const applied = await f.tf('apply', DEV);
  expect({ code: applied.code, err: applied.err.split('\n').filter((l) => !l.startsWith('[')).join('\n') }).toEqual({ code: 0, err: '' });
  const env = f.em.mwaa.environments.get(DEV)!;
  expect(env.MaxWorkers).toBe(8);
  expect(env.RequirementsS3Path).toBe('requirements.txt');
  expect(env.RequirementsS3ObjectVersion).toBeTruthy();
  expect(env.AirflowConfigurationOptions['celery.worker_autoscale']).toBe('5,5');
});

test('an unreachable MWAA endpoint ends with an error naming the environment; the next apply converges', async () => {
  const dead = { ...f.em.target, http_proxy: 'http://127.0.0.1:9', max_retries: 1 };
  const deadTarget = path.join(f.work, '.dead-target.json');
  fs.writeFileSync(deadTarget, JSON.stringify(dead));
  f.editSpec(DEV, (doc) => doc.setIn(['airflow', 'workers', 'max'], 6));
  const failed = await f.cli(['apply', DEV, '--auto-approve', '--provider-args', deadTarget]);
  expect(failed.code).toBe(1);
  expect(failed.err).toMatch(new RegExp(`^${DEV}: terraform plan failed \\(exit 1\\):\\n {2}Error: `, 'm'));
  const retry = await f.tf('apply', DEV, '--auto-approve');
  expect(retry.code).toBe(0);
  expect(f.em.mwaa.environments.get(DEV)?.MaxWorkers).toBe(6);
  const again = await f.tf('plan', DEV);
  expect({ code: again.code, out: again.out }).toEqual({ code: 0, out: `${DEV}: no changes\n` });
});
