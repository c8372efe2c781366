/**
 * The protective gates, in process (no terraform, no emulator): apply refuses protected destroys/replacements,
 * destroy refuses protected environments, plan (and so apply --auto-approve and drift) stops at a damaged state,
 * and the PR comment lists destroys as dangers. Each test here was watched failing with its gate broken
 * (README, Testing: "Mutations the tests catch").
 */
import * as fs from 'fs';
import * as path from 'path';
import { applyEnv } from '../../src/cli/apply';
import { destroyEnv } from '../../src/cli/destroy';
import { planEnv } from '../../src/terraform/workflow';
import { renderPrComment } from '../../src/gitops/pr-comment';
import { mergeDangers } from '../../src/plan/dangers';
import { buildPlanModel } from '../../src/plan/model';
import type { PlanJson } from '../../src/plan/types';
import { change, fakeEnvs, planOf, type FakeEnv } from './fake-env';

const env = fakeEnvs();

const PROTECTED = [
  ['aws_mwaa_environment', 'environment'],
  ['aws_s3_bucket', 'bucket'],
  ['aws_kms_key', 'key'],
] as const;

describe('apply: the protection gate', () => {
  test.each(PROTECTED)('--auto-approve: a protected environment never applies a plan that destroys its %s', async (type, name) => {
    const e = env({ protected: true, plan: planOf(change(type, name, ['delete']), change('aws_s3_object', 'dag', ['create'])) });
    const out = await applyEnv(e.ctx, { autoApprove: true, allowReplace: [] });
    expect(out.status).toBe('refused');
    expect(out.message).toContain(`delete ${type}.${name}`);
    expect(out.message).toContain('--allow-replace');
    expect(e.calls).not.toContain('apply');
  });

  test.each(PROTECTED)('a saved plan that replaces the %s of a protected environment is refused', async (type, name) => {
    const e = env({ protected: true, savedPlan: true, plan: planOf(change(type, name, ['delete', 'create'])) });
    const out = await applyEnv(e.ctx, { allowReplace: [] });
    expect(out.status).toBe('refused');
    expect(out.message).toContain(`replace ${type}.${name}`);
    expect(e.calls).toEqual(['init', 'show']);
  });

  test('--allow-replace naming the resource lets it through; other resources and unprotected environments apply', async () => {
    const allowed = env({ protected: true, plan: planOf(change('aws_mwaa_environment', 'environment', ['delete', 'create'])) });
    expect((await applyEnv(allowed.ctx, { autoApprove: true, allowReplace: ['aws_mwaa_environment.environment'] })).status).toBe('applied');
    expect(allowed.calls).toContain('apply');
    const logGroup = env({ protected: true, plan: planOf(change('aws_cloudwatch_log_group', 'old', ['delete'])) });
    expect((await applyEnv(logGroup.ctx, { autoApprove: true, allowReplace: [] })).status).toBe('applied');
    const dev = env({ protected: false, plan: planOf(change('aws_mwaa_environment', 'environment', ['delete'])) });
    expect((await applyEnv(dev.ctx, { autoApprove: true, allowReplace: [] })).status).toBe('applied');
  });

  test('no saved plan: nothing runs', async () => {
    const e = env({ protected: false, plan: planOf() });
    const out = await applyEnv(e.ctx, { allowReplace: [] });
    expect(out.status).toBe('failed');
    expect(out.message).toContain('no saved plan');
    expect(e.calls).toEqual([]);
  });
});

describe('destroy: protected environments are refused', () => {
  test('a protected environment: refused before terraform runs, with and without --auto-approve', async () => {
    for (const autoApprove of [false, true]) {
      const e = env({ protected: true, plan: planOf(change('aws_mwaa_environment', 'environment', ['delete'])) });
      const r = await destroyEnv(e.ctx, { autoApprove });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('analytics-prod: refused: the environment is protected (protection.preventDestroy: true)');
      expect(e.calls).toEqual([]);
    }
  });

  test('an unprotected environment: the destroy plan without --auto-approve, the destroy with it', async () => {
    const show = env({ protected: false, name: 'analytics-dev', plan: planOf(change('aws_mwaa_environment', 'environment', ['delete'])) });
    const r = await destroyEnv(show.ctx, { detailedExitcode: true });
    expect([r.exitCode, r.stderr]).toEqual([2, '']);
    expect(r.stdout).toContain('Re-run with --auto-approve to destroy analytics-dev.');
    expect(show.calls).toEqual(['init', 'plan -destroy', 'show']);
    const go = env({ protected: false, name: 'analytics-dev', plan: planOf() });
    const d = await destroyEnv(go.ctx, { autoApprove: true });
    expect(d.exitCode).toBe(0);
    expect(go.calls).toEqual(['init', 'destroy']);
  });
});

describe('plan / drift / apply --auto-approve: the state guard runs before terraform', () => {
  const cutOff = (e: FakeEnv) => {
    fs.writeFileSync(e.stateFile, '{"version": 4, "resources": [{"type": "aws_vpc"');
    fs.writeFileSync(`${e.stateFile}.backup`, JSON.stringify({ version: 4, resources: [{ type: 'aws_vpc', instances: [{}] }] }));
  };

  test.each(['plan', 'refresh-only'] as const)('%s: a cut-off state file stops the run with how to restore it', async (mode) => {
    const e = env({ protected: false, name: 'analytics-dev', plan: planOf() });
    cutOff(e);
    const p = await planEnv(e.ctx, mode);
    expect(p.model.error).toContain('analytics-dev: the Terraform state file');
    expect(p.model.error).toContain('cut off (not valid JSON)');
    expect(p.model.error).toContain(`cp ${e.stateFile}.backup ${e.stateFile}`);
    expect(e.calls).toEqual([]);
  });

  test('apply --auto-approve: the same guard, nothing applied', async () => {
    const e = env({ protected: false, name: 'analytics-dev', plan: planOf(change('aws_s3_object', 'dag', ['create'])) });
    cutOff(e);
    const out = await applyEnv(e.ctx, { autoApprove: true, allowReplace: [] });
    expect(out.status).toBe('failed');
    expect(out.message).toContain('cut off');
    expect(e.calls).toEqual([]);
  });

  test('drift: a refresh-only plan with real drift reports changes; a complete state passes the guard', async () => {
    const drift = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'terraform', 'fixtures', 'plan-drift.json'), 'utf8')) as PlanJson;
    const e = env({ protected: false, name: 'analytics-dev', plan: drift });
    fs.writeFileSync(e.stateFile, JSON.stringify({ version: 4, resources: [] }));
    const p = await planEnv(e.ctx, 'refresh-only');
    expect(p.model.error).toBeUndefined();
    expect(e.calls).toEqual(['init', 'plan -refresh-only', 'show']);
    expect(p.model.drift.length).toBeGreaterThan(0);
    expect(p.changes).toBe(true);
  });
});

describe('the PR comment lists what the plan destroys as a danger', () => {
  test('a destroyed log group and a replaced bucket are dangers, above the table', () => {
    const model = buildPlanModel({
      environment: 'analytics-dev',
      protected: false,
      plan: planOf(change('aws_cloudwatch_log_group', 'old', ['delete']), change('aws_s3_bucket', 'bucket', ['delete', 'create']), change('aws_s3_object', 'dag', ['create'])),
    });
    const md = renderPrComment({
      base: 'main',
      validation: { environments: 1, errors: 0, warnings: 0, lines: [] },
      environments: [{ name: 'analytics-dev', reasons: ['environments/analytics-dev.yaml'], planStatus: 'planned', plan: model, dangers: mergeDangers([], model) }],
      deleted: [],
      global: [],
    });
    const dangers = md.slice(md.indexOf('### ⚠️ Dangers (2)'), md.indexOf('| Environment | Spec |'));
    expect(dangers).toMatch(/destroys `aws_cloudwatch_log_group\.old`/);
    expect(dangers).toMatch(/replaces `aws_s3_bucket\.bucket`/);
  });
});
