/**
 * One plan model, one set of numbers: on real plan files, the CLI text, the PR comment and Terraform's own summary
 * line (`terraform show <planfile>`) print the same counts (`N to import, X to add, Y to change, Z to destroy`).
 * - a create-only plan of the dev example, made by the `plan` command (`--json-out`, offline provider), and the same
 *   plan built from Terraform's event stream (no `show -json`) on the same terraform answers, replayed;
 * - a plan with an import, creates, an in-place update, two replacements (one of them the MWAA environment, forced by
 *   its subnets) and a destroy: a hand-written local state and configuration planned with `-refresh=false` against
 *   the offline provider (no AWS call: the provider's ForceNew rules still decide the replacements);
 * - a plan whose only change is an import (it used to print "no changes").
 * The PR comment reads the plans as `plan --json-out` writes them (redacted).
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../gitops/cli-run';
import { run as plan } from '../../src/cli/plan';
import { recording, replaying, type Recorded } from '../support/terraform-replay';
import { TempRepo } from '../gitops/git-repo';
import { OFFLINE_PROVIDER_OVERRIDES, terraformInit } from '../support/terraform-validate';
import { shareProvider, terraformAsync as terraform } from '../support/many-stacks';
import { buildPlanModel, formatCounts, hasChanges } from '../../src/plan/model';
import type { PlanJson } from '../../src/plan/types';
import { renderPlan } from '../../src/report/plan-render';
import { redactPlan } from '../../src/report/plan-redact';
import { planFromEvents, type UiEvent } from '../../src/plan/stream';

const ROOT = path.resolve(__dirname, '..', '..');
const spec = (name: string) => `apiVersion: mwaa-gitops/v1\nname: ${name}\nregion: us-east-1\naccount: "123456789012"\nairflow:\n  version: "2.10.3"\n  workers: { min: 1, max: 4 }\n`;

/** `Plan: 1 to import, 3 to add, 1 to change, 3 to destroy.` from Terraform's human rendering of a saved plan. */
async function terraformSummary(dir: string, planFile: string, env?: Record<string, string>): Promise<string> {
  const r = await terraform(dir, ['show', '-no-color', planFile], env);
  expect(r.code).toBe(0);
  const line = r.stdout.split('\n').find((l) => l.startsWith('Plan: '));
  if (!line) throw new Error(`no summary line in terraform show:\n${r.stdout.slice(-2000)}`);
  return line.replace(/^Plan: /, '').replace(/\.$/, '');
}

/**
 * A hand-written configuration + local state: -refresh=false plans it without any AWS call. One provider process
 * (src/terraform/provider-session.ts) serves the plan, its `show -json` and Terraform's summary.
 */
async function handPlan(dir: string, importOnly = false): Promise<{ json: PlanJson; events: UiEvent[]; summary: string; sharedProvider: boolean }> {
  fs.mkdirSync(dir, { recursive: true });
  const P = 'provider["registry.terraform.io/hashicorp/aws"]';
  const res = (type: string, name: string, attributes: Record<string, unknown>, version = 0) => ({ mode: 'managed', type, name, provider: P, instances: [{ schema_version: version, attributes, sensitive_attributes: [] }] });
  const mwaa = (subnets: string[], extra: Record<string, unknown>) => ({
    name: 'hand',
    dag_s3_path: 'dags',
    execution_role_arn: 'arn:aws:iam::123456789012:role/hand',
    source_bucket_arn: 'arn:aws:s3:::hand-bucket',
    network_configuration: importOnly ? undefined : { security_group_ids: ['sg-1'], subnet_ids: subnets },
    ...extra,
  });
  const state = {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: '00000000-0000-4000-8000-000000000001',
    outputs: {},
    resources: importOnly
      ? []
      : [
          res('aws_mwaa_environment', 'environment', { id: 'hand', arn: 'arn:aws:airflow:us-east-1:123456789012:environment/hand', ...mwaa([], {}), network_configuration: [{ security_group_ids: ['sg-1'], subnet_ids: ['subnet-a', 'subnet-b'] }], max_workers: 5, min_workers: 1, airflow_configuration_options: { 'smtp.smtp_password': 'PLANTEDcountsOld', 'core.parallelism': '32' }, tags: {}, tags_all: {} }),
          res('aws_cloudwatch_log_group', 'old', { id: 'lg-old', name: 'lg-old', retention_in_days: 7, tags: {}, tags_all: {} }),
          res('aws_cloudwatch_log_group', 'keep', { id: 'lg-keep', name: 'lg-keep', retention_in_days: 30, tags: {}, tags_all: {} }),
          res('aws_subnet', 'private_0', { id: 'subnet-b', vpc_id: 'vpc-1', cidr_block: '10.1.2.0/24', availability_zone: 'us-east-1b', tags: {}, tags_all: {} }, 1),
        ],
  };
  // import only: Terraform's builtin terraform_data alone (no provider to start)
  const config = {
    ...(importOnly ? {} : { terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } }, provider: { aws: [{ region: 'us-east-1', ...OFFLINE_PROVIDER_OVERRIDES }] } }),
    import: [{ to: 'terraform_data.adopted', id: 'adopted-id' }],
    resource: importOnly
      ? { terraform_data: { adopted: {} } }
      : {
          aws_mwaa_environment: { environment: mwaa(['subnet-a', 'subnet-c'], { max_workers: 8, min_workers: 1, airflow_configuration_options: { 'smtp.smtp_password': 'PLANTEDcountsNew', 'core.parallelism': '64' } }) },
          aws_cloudwatch_log_group: { keep: { name: 'lg-keep', retention_in_days: 60 }, created: { name: 'lg-new' } },
          aws_subnet: { private_0: { vpc_id: 'vpc-1', cidr_block: '10.1.3.0/24', availability_zone: 'us-east-1b' } },
          terraform_data: { adopted: {} },
        },
  };
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(state));
  terraformInit(dir);
  const session = importOnly ? undefined : await shareProvider(dir);
  try {
    const planned = await terraform(dir, ['plan', '-input=false', '-json', '-lock=false', '-refresh=false', '-out=hand.tfplan'], session?.env);
    if (planned.code !== 0) throw new Error(`terraform plan failed:\n${planned.stderr}\n${planned.stdout.slice(-3000)}`);
    const show = await terraform(dir, ['show', '-json', '-no-color', 'hand.tfplan'], session?.env);
    const events = planned.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as UiEvent);
    const summary = await terraformSummary(dir, 'hand.tfplan', session?.env);
    return { json: JSON.parse(show.stdout) as PlanJson, events, summary, sharedProvider: session !== undefined };
  } finally {
    await session?.stop();
  }
}

jest.setTimeout(300000); // terraform starts the aws provider (675 MB) for each plan and show

describe('the CLI, the PR comment and `terraform show` print the same counts', () => {
  const repo = new TempRepo('mwaa-counts-');
  const plans = path.join(repo.dir, 'plans');
  let cliOut = '';
  let cliCode = -1;
  let comment = '';
  const tf: Record<string, string> = {};
  const models: Record<string, ReturnType<typeof buildPlanModel>> = {};
  const streamed: Record<string, ReturnType<typeof planFromEvents>> = {};
  let streamCliOut = '';

  beforeAll(async () => {
    fs.mkdirSync(path.join(repo.dir, 'environments'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'environments', '_defaults.yaml'), path.join(repo.dir, 'environments', '_defaults.yaml'));
    fs.cpSync(path.join(ROOT, 'airflow'), path.join(repo.dir, 'airflow'), { recursive: true });
    repo.write('.gitignore', 'plans/\n.mwaa-gitops/\ncdktf.out/\nhand/\nimport-only/\ntarget.json\n').commit('base');
    repo.branch('feature');
    repo.write('environments/analytics-dev.yaml', fs.readFileSync(path.join(ROOT, 'environments', 'analytics-dev.yaml'), 'utf8').replace(/^extends: .*$/m, '$&\naccount: "123456789012"').replace(/^  mode: create$/m, '$&\n  availabilityZoneIds: [use1-az1, use1-az2]   # pinned: no zone lookup, the plan stays offline'));
    repo.write('environments/hand.yaml', spec('hand'));
    repo.write('environments/adopted.yaml', spec('adopted'));
    repo.commit('three environments');
    fs.writeFileSync(path.join(repo.dir, 'target.json'), JSON.stringify(OFFLINE_PROVIDER_OVERRIDES));

    // 1. the real CLI: a create-only plan of the dev example, plan JSON for the comment
    // (the command's own shape, run(args, deps), recording terraform's answers for the stream run below)
    const answers: Recorded = {};
    const planArgs = { targets: ['analytics-dev'], repo: repo.dir, providerArgs: path.join(repo.dir, 'target.json') };
    const r = await plan({ ...planArgs, jsonOut: path.join(plans, 'analytics-dev.json') }, { prepare: recording(answers) });
    cliOut = r.stdout;
    cliCode = r.exitCode;
    if (r.exitCode !== 0) throw new Error(`plan failed (${r.exitCode}):\n${r.stderr}\n${r.stdout}`);
    tf['analytics-dev'] = await terraformSummary(path.join(repo.dir, 'cdktf.out', 'stacks', 'analytics-dev'), path.join(repo.dir, '.mwaa-gitops', 'plans', 'analytics-dev.tfplan'));
    // the same plan without --json-out: built from the plan's event stream (no show -json), from the same terraform
    // answers (replayed: a second terraform plan of the same stack would answer the same events)
    const s = await plan(planArgs, { prepare: replaying(answers) });
    if (s.exitCode !== 0) throw new Error(`plan failed (${s.exitCode}):\n${s.stderr}\n${s.stdout}`);
    expect(Object.keys(answers['analytics-dev'] ?? {}).sort()).toEqual(['init', 'plan', 'showPlan']);
    streamCliOut = s.stdout;
    // 2. and 3. hand-written plans, written for the comment the way `plan --json-out` writes them
    for (const [env, importOnly] of [['hand', false], ['adopted', true]] as const) {
      const dir = path.join(repo.dir, importOnly ? 'import-only' : 'hand');
      const { json, events, summary, sharedProvider } = await handPlan(dir, importOnly);
      if (!importOnly) expect(sharedProvider).toBe(true);
      tf[env] = summary;
      streamed[env] = planFromEvents(events, JSON.parse(fs.readFileSync(path.join(dir, 'main.tf.json'), 'utf8')));
      models[env] = buildPlanModel({ environment: env, protected: false, plan: json });
      fs.writeFileSync(path.join(plans, `${env}.json`), JSON.stringify(redactPlan(json as unknown as Record<string, unknown>)));
    }
    comment = (await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main', '--plan-json', plans])).stdout;
  });
  afterAll(() => repo.cleanup());

  test('a create-only plan of the dev example: CLI, comment and terraform agree; plan exits 0 with changes', () => {
    expect(tf['analytics-dev']).toMatch(/^\d+ to add, 0 to change, 0 to destroy$/);
    expect(cliCode).toBe(0);
    expect(cliOut.split('\n')[0]).toBe(`analytics-dev: ${tf['analytics-dev']}`);
    expect(comment).toContain(`<details><summary>Plan: ${tf['analytics-dev']}</summary>`);
    const adds = /^(\d+) to add/.exec(tf['analytics-dev'])![1];
    expect(comment).toMatch(new RegExp(`\\| \`analytics-dev\` \\| new \\| \\+${adds} ~0 -0 \\|`));
  });

  test('the plan from the event stream (no show -json) prints exactly what the plan from show -json prints', () => {
    expect(streamCliOut).toBe(cliOut);
    expect(cliOut).toContain('+ core.lazy_load_plugins = False');
  });

  test('updates and replacements need the values: the stream says so and the model is built from show -json', () => {
    expect(streamed.hand).toEqual({ needsShow: expect.stringMatching(/update|replace/) });
  });

  test('an import alone is planned from the stream with the same counts as terraform show', () => {
    const s = streamed.adopted;
    if (!('plan' in s)) throw new Error(`import-only plan needed show: ${s.needsShow}`);
    const m = buildPlanModel({ environment: 'adopted', protected: false, plan: s.plan });
    expect(formatCounts(m.counts)).toBe(tf.adopted);
    expect(renderPlan([m], 'text')).toBe(renderPlan([models.adopted], 'text'));
  });

  test('import, creates, an update, replacements and a destroy: CLI, comment and terraform agree', () => {
    expect(tf.hand).toBe('1 to import, 3 to add, 1 to change, 3 to destroy');
    expect(formatCounts(models.hand.counts)).toBe(tf.hand);
    expect(renderPlan([models.hand], 'text').split('\n')[0]).toBe(`hand: ${tf.hand} (2 replacements)`);
    expect(comment).toContain(`<details><summary>Plan: ${tf.hand} (2 replacements)</summary>`);
    expect(comment).toContain('| `hand` ⚠️ | new | ⇐1 +3 ~1 -3 |');
    // the replacement is explained from the real provider's replace_paths
    const env = models.hand.resources.find((r) => r.address === 'aws_mwaa_environment.environment')!;
    expect(env.action).toBe('replace');
    expect(env.forcedBy).toEqual(['network_configuration[0].subnet_ids']);
    expect(comment).toContain('**replace** `aws_mwaa_environment.environment` (forced by `network_configuration[0].subnet_ids`): loses the metadata database');
    // the configuration options: key-level diff, the secret masked in the comment read from the redacted plan
    expect(comment).toContain('`~ smtp.smtp_password`: **** → ****');
    expect(comment).toContain('`~ core.parallelism`: 32 → 64');
    expect(comment).not.toContain('PLANTED');
    expect(fs.readFileSync(path.join(plans, 'hand.json'), 'utf8')).not.toContain('PLANTED');
  });

  test('an import is a change: "1 to import" everywhere, never "no changes"', () => {
    expect(tf.adopted).toBe('1 to import, 0 to add, 0 to change, 0 to destroy');
    expect(hasChanges(models.adopted)).toBe(true);
    expect(renderPlan([models.adopted], 'text').split('\n')[0]).toBe(`adopted: ${tf.adopted}`);
    expect(comment).toContain(`<details><summary>Plan: ${tf.adopted}</summary>`);
    expect(comment).toContain('| `adopted` | new | ⇐1 +0 ~0 -0 |');
  });
});
