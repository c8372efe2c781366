/**
 * The PR comment for a `_defaults.yaml` change in a repository of 300 environments (bench/lib.ts generator, real git):
 * every environment planned (tag updates on every resource), a few replacing something, two plans failed. GitHub
 * rejects a comment over 65,536 characters: the comment must fit, with failures and every danger at the top and never
 * cut, details collapsed per environment, and whatever is left out said explicitly.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { envName, makeDefaultsChangedRepo } from '../../bench/lib';
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT } from '../../src/gitops/pr-comment';
import { runCli } from '../gitops/cli-run';
import { planJson, resourceChange } from '../gitops/plan-fixtures';

jest.setTimeout(180000);

const N = 300;
const REPLACED = [7, 77, 150, 222, 299].map(envName);
const FAILED = [13, 260].map(envName);
const TYPES = ['aws_mwaa_environment', 'aws_s3_bucket', 'aws_iam_role', 'aws_security_group', 'aws_cloudwatch_log_group', 'aws_vpc', 'aws_subnet', 'aws_kms_key'];

function planFor(name: string): unknown {
  const tags = (t: Record<string, string>) => ({ tags: t, tags_all: t });
  const changes: unknown[] = TYPES.map((type) =>
    resourceChange(`${type}.main`, ['update'], { name, ...tags({ 'managed-by': 'mwaa-gitops' }) }, { name, ...tags({ 'managed-by': 'mwaa-gitops', 'cost-center': 'cc-42' }) }),
  );
  if (REPLACED.includes(name)) {
    changes.unshift(
      resourceChange('aws_mwaa_environment.environment', ['delete', 'create'], { name, network_configuration: [{ subnet_ids: ['subnet-a', 'subnet-b'] }] }, { name, network_configuration: [{ subnet_ids: ['subnet-a', 'subnet-c'] }] }, {
        replace_paths: [['network_configuration', 0, 'subnet_ids']],
      }),
    );
  }
  return planJson(changes);
}

let parent: string;
let repo: string;
let plans: string;
beforeAll(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-scale-comment-'));
  repo = makeDefaultsChangedRepo(N, parent);
  plans = path.join(parent, 'plans');
  fs.mkdirSync(plans);
  for (let i = 0; i < N; i++) {
    const name = envName(i);
    const doc = FAILED.includes(name) ? { mwaa_gitops_plan_error: { environment: name, message: `${name}: terraform plan failed (exit 1):\n  Error: creating EC2 Subnet: InvalidSubnet.Conflict` } } : planFor(name);
    fs.writeFileSync(path.join(plans, `${name}.json`), JSON.stringify(doc));
  }
});
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

test('300 environments: under 65,536 characters, failures and every danger first and whole, every environment named, cuts said', async () => {
  const started = Date.now();
  const r = await runCli(['-C', repo, 'pr-comment', '--base', 'main', '--plan-json', plans, '--head', 'abcdef1234567890']);
  const ms = Date.now() - started;
  expect(r.code).toBe(0);
  const md = r.stdout;
  expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
  expect(md.startsWith(COMMENT_MARKER)).toBe(true);
  // failures at the top, then the dangers, before anything else
  const failedAt = md.indexOf(`**❌ The plan failed for ${FAILED.map((f) => `\`${f}\``).join(', ')}.**`);
  const dangersAt = md.indexOf('### ⚠️ Dangers (');
  expect(failedAt).toBeGreaterThan(0);
  expect(dangersAt).toBeGreaterThan(failedAt);
  expect(dangersAt).toBeLessThan(md.indexOf('**Validation'));
  // every danger, whole (never cut)
  const dangerBlock = md.slice(dangersAt, md.indexOf('**Validation'));
  for (const name of REPLACED) expect(dangerBlock).toContain(`- \`${name}\`: replaces \`aws_mwaa_environment.environment\`; loses the metadata database`);
  expect(dangerBlock).not.toMatch(/more \(cut/);
  // every environment is in the comment (the table), nothing silently gone
  for (let i = 0; i < N; i++) expect(md).toContain(`\`${envName(i)}\``);
  // details collapsed per environment, the dangerous ones kept
  for (const name of REPLACED) expect(md).toMatch(new RegExp(`### \`${name}\` ⚠️[\\s\\S]*?<details><summary>Plan: `));
  // what was left out is said, never silently
  expect(md).toMatch(/> ✂️ Cut to stay under GitHub's 65,536-character comment limit: /);
  expect(md).not.toMatch(/Truncated at/);
  process.stderr.write(`pr-comment, 300 environments: ${md.length} characters in ${ms} ms\n`);
});
