/** The PR comment for a pull request touching several environments, one of them replaced; real git history. */
import * as fs from 'fs';
import * as path from 'path';
import { envYaml, seedRepo } from './fixtures';
import { runCli } from './cli-run';
import { devUpdatePlan, newEnvironmentPlan, prodReplacePlan } from './plan-fixtures';
import type { TempRepo } from './git-repo';
import { COMMENT_MARKER, renderPrComment } from '../../src/gitops/pr-comment';
import { mergeDangers, type Danger } from '../../src/plan/dangers';
import { buildPlanModel } from '../../src/plan/model';

const existingNet = (subnet2: string) =>
  ['network:', '  mode: existing', '  vpcId: vpc-0123456789abcdef0', '  subnetIds: [subnet-0aaaaaaaaaaaaaaa1, ' + subnet2 + ']', '  securityGroupIds: [sg-0123456789abcdef0]', 'protection:', '  preventDestroy: true'].join('\n');

describe('pr-comment', () => {
  let repo: TempRepo;
  let plans: string;
  beforeAll(() => {
    repo = seedRepo();
    repo.write('environments/prod.yaml', envYaml('prod', { requirements: 'airflow/requirements.txt', max: 10, network: existingNet('subnet-0bbbbbbbbbbbbbbb2') })).commit('prod on an existing network');
    repo.branch('feature');
    repo.write('environments/dev.yaml', envYaml('dev', { extendsDefaults: true, max: 8, config: { 'core.default_task_retries': '3', 'smtp.smtp_password': 'hunter3' } }));
    repo.write('environments/prod.yaml', envYaml('prod', { requirements: 'airflow/requirements.txt', max: 10, network: existingNet('subnet-0ccccccccccccccc3') }));
    repo.write('environments/new.yaml', envYaml('new'));
    repo.remove('environments/old.yaml');
    repo.commit('feature: dev scale-up, prod subnet move, new env, drop old');
    plans = path.join(repo.dir, '.plans');
    fs.mkdirSync(plans);
    fs.writeFileSync(path.join(plans, 'dev.json'), JSON.stringify(devUpdatePlan()));
    fs.mkdirSync(path.join(plans, 'prod'));
    fs.writeFileSync(path.join(plans, 'prod', 'plan.json'), JSON.stringify(prodReplacePlan()));
    fs.writeFileSync(path.join(plans, 'new.json'), JSON.stringify(newEnvironmentPlan()));
    fs.writeFileSync(path.join(repo.dir, '.gitignore'), '.plans/\n.gitignore\n');
  });
  afterAll(() => repo.cleanup());

  it('renders validation, dangers first, per-environment details collapsed, cost change', async () => {
    const r = await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main', '--plan-json', plans, '--head', 'abcdef1234567890']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const md = r.stdout;
    expect(md.startsWith(`${COMMENT_MARKER}\n## mwaa-gitops: \`main\` → \`abcdef123456\``)).toBe(true);
    expect(md).toContain('**Validation: ✅ 4 environments valid**');

    // Dangers come first, before validation and the table: from the spec diff, confirmed by the plan; the protection named.
    const dangers = md.indexOf('### ⚠️ Dangers (2)');
    const table = md.indexOf('| Environment | Spec |');
    expect(dangers).toBeGreaterThan(0);
    expect(dangers).toBeLessThan(md.indexOf('**Validation'));
    expect(dangers).toBeLessThan(table);
    expect(md).toContain('> [!CAUTION]\n> - `prod`: replaces `prod` (protected: apply will refuse); loses the metadata database (DAG run history, and the connections and variables stored in Airflow)');
    expect(md).toContain('`network.subnetIds`: ["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb2"] → ["subnet-0aaaaaaaaaaaaaaa1","subnet-0ccccccccccccccc3"]. Plan: confirmed: `aws_mwaa_environment.environment` replace (forced by `network_configuration[0].subnet_ids`).');
    expect(md).toContain('> - `old`: spec `environments/old.yaml` deleted');

    // Table rows: prod (danger) first, then by name; counts are Terraform's (a replacement is one add and one destroy).
    const rows = md.slice(table, md.indexOf('### `')).split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((l) => l.split('`')[1])).toEqual(['prod', 'dev', 'new']);
    expect(rows[0]).toContain('| +1 ~1 -1 |');
    expect(rows[1]).toMatch(/\| 2 changes \| \+0 ~1 -0 \| \$[\d,.]+ – \$[\d,.]+ → \$[\d,.]+ – \$[\d,.]+ \(\+\$[\d,.]+ max\) \|/);
    expect(rows[2]).toMatch(/\| new \| \+61 ~0 -0 \| new: /);

    // Sections: details collapsed; spec diff masked; sections in the same order as the table.
    expect(md.indexOf('### `prod` ⚠️')).toBeLessThan(md.indexOf('### `dev`'));
    expect(md).toContain('<details><summary>Spec diff (1 change)</summary>');
    expect(md).toContain('~ network.subnetIds: ["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb2"] -> ["subnet-0aaaaaaaaaaaaaaa1","subnet-0ccccccccccccccc3"]');
    expect(md).toContain('~ airflow.workers.max: 5 -> 8');
    expect(md).toContain('~ airflow.configuration["smtp.smtp_password"]: **** -> ****');
    expect(md).not.toMatch(/hunter/);
    expect(md).toContain('<details><summary>Plan: 1 to add, 1 to change, 1 to destroy (1 replacement)</summary>');
    expect(md).toMatch(/<details><summary>Cost: .* per month<\/summary>/);
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
    expect(md).not.toContain('Cut to stay under');
    expect(md.length).toBeLessThan(65536);
    // prod's cost did not move (same class and counts): no cost line for it.
    const prodSection = md.slice(md.indexOf('### `prod`'), md.indexOf('### `dev`'));
    expect(prodSection).not.toContain('Cost:');
  });

  it('stays under the limit by cutting details, keeps dangers, and says what was cut', async () => {
    const full = (await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main', '--plan-json', plans])).stdout;
    const r = await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main', '--plan-json', plans, '--limit', '4000']);
    expect(full.length).toBeGreaterThan(4000);
    expect(r.stdout.length).toBeLessThanOrEqual(4000);
    // the dangers stay, whatever is cut: the replacement, what forces it, the plan's confirmation
    expect(r.stdout).toContain('> - `prod`: replaces `prod` (protected: apply will refuse)');
    expect(r.stdout).toContain('Plan: confirmed: `aws_mwaa_environment.environment` replace (forced by `network_configuration[0].subnet_ids`)');
    // environments without dangers go first, whole sections included, before the dangerous one loses any detail
    expect(r.stdout).toMatch(/✂️ Cut to stay under GitHub's 65,536-character comment limit: plan details of `dev`; .*the sections \(reasons, spec diff, plan, cost\) of `new` \(their counts are in the table\)/);
    expect(r.stdout).toContain('| `new` |'); // still named in the table
    expect(r.stdout).toMatch(/### `prod` ⚠️[\s\S]*<details><summary>Plan: /);
    expect(r.stdout).not.toContain('aws_vpc_endpoint.endpoint_59'); // the biggest, danger-free plan was cut first
  });

  it('a missing plan JSON (the plan job failed) says so at the top, in red; no --plan-json is not a failure', async () => {
    const dir = path.join(repo.dir, '.plans-partial');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(devUpdatePlan()));
    const r = await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main', '--plan-json', dir]);
    const md = r.stdout;
    const top = md.indexOf('> [!CAUTION]\n> **❌ The plan failed for `new`, `prod`.**');
    expect(top).toBeGreaterThan(0);
    expect(top).toBeLessThan(md.indexOf('### ⚠️ Dangers'));
    expect(md).toMatch(/> no plan JSON \(looked for .*prod\.json and .*prod\/plan\.json\): the plan job failed before writing it, or did not run/);
    expect(md).toContain('| `prod` ⚠️ | 1 change | ❌ failed |');
    // the spec danger stands, unchecked
    expect(md).toContain('Plan: failed, so Terraform has not checked this.');
    const none = await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main']);
    expect(none.stdout).toContain('Plan: not planned (no --plan-json directory given)');
    expect(none.stdout).not.toContain('The plan failed');
    // without any plan, the danger is still at the top
    expect(none.stdout.indexOf('replaces `prod` (protected: apply will refuse)')).toBeLessThan(none.stdout.indexOf('**Validation'));
    expect(none.stdout).toContain('Plan: not run yet.');
  });

  it("a failed plan's error (plan --json-out error document) is quoted at the top; prevent_destroy confirms the danger", async () => {
    const dir = path.join(repo.dir, '.plans-failed');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(devUpdatePlan()));
    fs.writeFileSync(path.join(dir, 'new.json'), JSON.stringify(newEnvironmentPlan()));
    const error = 'prod: terraform plan failed (exit 1):\n  Error: Instance cannot be destroyed (aws_mwaa_environment.environment)\n    Resource aws_mwaa_environment.environment has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.';
    fs.writeFileSync(path.join(dir, 'prod.json'), JSON.stringify({ mwaa_gitops_plan_error: { environment: 'prod', message: error } }));
    const md = (await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main', '--plan-json', dir])).stdout;
    expect(md.split('\n').slice(2, 4)).toEqual(['', '> [!CAUTION]']);
    expect(md).toContain('> **❌ The plan failed for `prod`.**');
    expect(md).toContain('>   Error: Instance cannot be destroyed (aws_mwaa_environment.environment)');
    expect(md).toContain('Plan: confirmed: `aws_mwaa_environment.environment` refused (prevent_destroy).');
    expect(md).toContain('Plan: **failed** (see the top of this comment).');
  });

  it('hard limit: even a huge danger list fits', () => {
    const envs = Array.from({ length: 400 }, (_, i) => ({
      name: `env-${i}`,
      reasons: ['tool file src/x.ts changed'],
      planStatus: 'planned' as const,
      plan: buildPlanModel({ environment: `env-${i}`, protected: false, plan: { format_version: '1.2', resource_changes: [{ address: `aws_s3_bucket.bucket_${'x'.repeat(100)}`, mode: 'managed', type: 'aws_s3_bucket', name: 'b', change: { actions: ['delete'], before: {}, after: null } }] } }),
      dangers: [] as Danger[],
    }));
    for (const e of envs) e.dangers = mergeDangers([], e.plan);
    const text = renderPrComment({ base: 'main', validation: { environments: 400, errors: 0, warnings: 0, lines: [] }, environments: envs, deleted: [], global: ['src/x.ts'] });
    expect(text.length).toBeLessThanOrEqual(65536);
    expect(text.startsWith(COMMENT_MARKER)).toBe(true);
    expect(text).toMatch(/✂️/);
  });
});
