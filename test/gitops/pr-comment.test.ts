/** The PR comment for a pull request touching several environments, one of them replaced; real git history. */
import * as fs from 'fs';
import * as path from 'path';
import { envYaml, seedRepo } from './fixtures';
import { runCli } from './cli-run';
import { devUpdatePlan, newEnvironmentPlan, prodReplacePlan } from './plan-fixtures';
import type { TempRepo } from './git-repo';
import { COMMENT_MARKER, renderPrComment } from '../../src/gitops/pr-comment';

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

    // Dangers come before the table and the sections; the replacement names what forces it and the protection.
    const dangers = md.indexOf('### ⚠️ Dangers (2)');
    const table = md.indexOf('| Environment | Spec |');
    expect(dangers).toBeGreaterThan(0);
    expect(dangers).toBeLessThan(table);
    expect(md).toContain('- `prod`: **replace** `aws_mwaa_environment.environment` (forced by `network_configuration[0].subnet_ids`) — environment is **protected** (preventDestroy)');
    expect(md).toContain('- `old`: spec `environments/old.yaml` deleted');

    // Table rows: prod (danger) first, then by name.
    const rows = md.slice(table, md.indexOf('### `')).split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((l) => l.split('`')[1])).toEqual(['prod', 'dev', 'new']);
    expect(rows[0]).toContain('| +1 ~1 -1 ±1 |');
    expect(rows[1]).toMatch(/\| 2 changes \| \+0 ~1 -0 \| \$[\d,.]+ – \$[\d,.]+ → \$[\d,.]+ – \$[\d,.]+ \(\+\$[\d,.]+ max\) \|/);
    expect(rows[2]).toMatch(/\| new \| \+61 ~0 -0 \| new: /);

    // Sections: details collapsed; spec diff masked; sections in the same order as the table.
    expect(md.indexOf('### `prod` ⚠️')).toBeLessThan(md.indexOf('### `dev`'));
    expect(md).toContain('<details><summary>Spec diff (1 change)</summary>');
    expect(md).toContain('~ network.subnetIds: ["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb2"] -> ["subnet-0aaaaaaaaaaaaaaa1","subnet-0ccccccccccccccc3"]');
    expect(md).toContain('~ airflow.workers.max: 5 -> 8');
    expect(md).toContain('~ airflow.configuration["smtp.smtp_password"]: changed (masked)');
    expect(md).not.toMatch(/hunter/);
    expect(md).toContain('<details><summary>Plan: 1 to add, 1 to change, 1 to destroy, 1 to replace</summary>');
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
    expect(r.stdout).toContain('**replace** `aws_mwaa_environment.environment`');
    expect(r.stdout).toMatch(/✂️ Cut to stay under GitHub's 65,536-character comment limit: plan details of `new`/);
    expect(r.stdout).not.toContain('aws_vpc_endpoint.endpoint_59'); // the biggest, danger-free plan was cut first
    expect(r.stdout).toContain('forced by `network_configuration[0].subnet_ids`');
  });

  it('notes a missing plan and a missing --plan-json', async () => {
    const dir = path.join(repo.dir, '.plans-partial');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(devUpdatePlan()));
    const r = await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main', '--plan-json', dir]);
    expect(r.stdout).toMatch(/Plan: no plan JSON \(looked for .*prod\.json and .*prod\/plan\.json\)/);
    const none = await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main']);
    expect(none.stdout).toContain('Plan: not planned (no --plan-json directory given)');
  });

  it('hard limit: even a huge danger list fits', () => {
    const envs = Array.from({ length: 400 }, (_, i) => ({
      name: `env-${i}`,
      reasons: ['tool file src/x.ts changed'],
      plan: { add: 0, change: 0, destroy: 1, replace: 0, import: 0, dangers: [`**destroy** \`aws_s3_bucket.bucket_${'x'.repeat(100)}\``], details: 'x'.repeat(500) },
    }));
    const text = renderPrComment({ base: 'main', validation: { environments: 400, errors: 0, warnings: 0, lines: [] }, environments: envs, deleted: [], global: ['src/x.ts'] });
    expect(text.length).toBeLessThanOrEqual(65536);
    expect(text.startsWith(COMMENT_MARKER)).toBe(true);
    expect(text).toMatch(/✂️/);
  });
});
