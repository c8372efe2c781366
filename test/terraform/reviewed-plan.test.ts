/**
 * Apply what was reviewed (src/plan/reviewed.ts, `apply --reviewed-plan`): the fresh plan against the plan JSON the
 * pull request's plan job wrote (`plan --json-out`: redacted), on plan fixtures, offline.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyEnv, loadReviewedPlan } from '../../src/cli/apply';
import { buildPlanModel } from '../../src/plan/model';
import { compareWithReviewed, describeVerdict, type ReviewedPlan } from '../../src/plan/reviewed';
import type { PlanJson } from '../../src/plan/types';
import { redactPlan } from '../../src/report/plan-redact';
import type { EnvContext } from '../../src/terraform/workflow';
import { planJson, resourceChange } from '../gitops/plan-fixtures';

const ENV = 'analytics-dev';
const mwaa = (max: number, subnets: string[]) => ({ name: ENV, max_workers: max, min_workers: 1, network_configuration: [{ subnet_ids: subnets, security_group_ids: ['sg-1'] }] });
const bucket = { bucket: `${ENV}-bucket`, force_destroy: false };
const logs = { name: `airflow-${ENV}-Task`, retention_in_days: 14 };

/** The PR's plan: more workers (an update) and a new log group. */
const reviewedJson = () =>
  planJson([
    resourceChange('aws_mwaa_environment.environment', ['update'], mwaa(4, ['subnet-a', 'subnet-b']), mwaa(6, ['subnet-a', 'subnet-b'])),
    resourceChange('aws_cloudwatch_log_group.task', ['create'], null, logs),
    resourceChange('aws_s3_bucket.bucket', ['no-op'], bucket, bucket),
  ]) as unknown as PlanJson;

const model = (plan: unknown) => buildPlanModel({ environment: ENV, protected: false, plan: plan as PlanJson });
/** As the apply job reads it: the redacted artifact, parsed back. */
const reviewed = (plan: unknown = reviewedJson()): ReviewedPlan => ({ kind: 'plan', model: model(JSON.parse(JSON.stringify(redactPlan(plan as Record<string, unknown>)))), source: 'reviewed/analytics-dev.json' });

describe('compareWithReviewed', () => {
  test('the same plan applies', () => {
    const v = compareWithReviewed(model(reviewedJson()), reviewed());
    expect(v).toEqual({ ok: true, reasons: [], newDangers: [], newChanges: [] });
    expect(describeVerdict(ENV, v)).toBe(`${ENV}: the plan matches the reviewed plan (no destroy or replacement that was not reviewed)`);
  });

  test('fewer changes than reviewed applies (main already holds part of it)', () => {
    const fresh = planJson([resourceChange('aws_mwaa_environment.environment', ['update'], mwaa(4, ['subnet-a', 'subnet-b']), mwaa(6, ['subnet-a', 'subnet-b']))]);
    expect(compareWithReviewed(model(fresh), reviewed()).ok).toBe(true);
    expect(compareWithReviewed(model(planJson([])), reviewed()).ok).toBe(true);
  });

  test('a replacement the reviewed plan did not have refuses, naming the address and the action', () => {
    const fresh = planJson([
      resourceChange('aws_mwaa_environment.environment', ['delete', 'create'], mwaa(4, ['subnet-a', 'subnet-b']), mwaa(6, ['subnet-a', 'subnet-c']), { replace_paths: [['network_configuration', 0, 'subnet_ids']] }),
      resourceChange('aws_cloudwatch_log_group.task', ['create'], null, logs),
    ]);
    const v = compareWithReviewed(model(fresh), reviewed());
    expect(v.ok).toBe(false);
    expect(v.newDangers).toEqual([{ address: 'aws_mwaa_environment.environment', action: 'replace', reviewedAction: 'update' }]);
    const text = describeVerdict(ENV, v);
    expect(text).toContain(`${ENV}: refused: the plan differs from the plan reviewed on the pull request; nothing was applied.`);
    expect(text).toContain('the plan now would replace aws_mwaa_environment.environment, which the reviewed plan would only update');
  });

  test('a destroy the reviewed plan did not have refuses', () => {
    const fresh = planJson([
      resourceChange('aws_mwaa_environment.environment', ['update'], mwaa(4, ['subnet-a', 'subnet-b']), mwaa(6, ['subnet-a', 'subnet-b'])),
      resourceChange('aws_s3_bucket.bucket', ['delete'], bucket, null),
    ]);
    const v = compareWithReviewed(model(fresh), reviewed());
    expect(v.ok).toBe(false);
    expect(v.newDangers).toEqual([{ address: 'aws_s3_bucket.bucket', action: 'delete' }]);
    expect(describeVerdict(ENV, v)).toContain('the plan now would destroy aws_s3_bucket.bucket, which the reviewed plan did not touch');
  });

  test('a reviewed replacement does not cover a plain destroy of the same address', () => {
    const replaceBucket = planJson([resourceChange('aws_s3_bucket.bucket', ['delete', 'create'], bucket, { ...bucket, bucket: 'other' })]);
    const destroyBucket = planJson([resourceChange('aws_s3_bucket.bucket', ['delete'], bucket, null)]);
    expect(compareWithReviewed(model(replaceBucket), reviewed(replaceBucket)).ok).toBe(true);
    expect(compareWithReviewed(model(destroyBucket), reviewed(replaceBucket)).newDangers).toEqual([{ address: 'aws_s3_bucket.bucket', action: 'delete', reviewedAction: 'replace' }]);
  });

  test('a destroy that was reviewed applies; new creates and updates are reported, not refused', () => {
    const withDestroy = planJson([resourceChange('aws_s3_bucket.bucket', ['delete'], bucket, null)]);
    const fresh = planJson([resourceChange('aws_s3_bucket.bucket', ['delete'], bucket, null), resourceChange('aws_cloudwatch_log_group.task', ['create'], null, logs)]);
    const v = compareWithReviewed(model(fresh), reviewed(withDestroy));
    expect(v.ok).toBe(true);
    expect(v.newChanges).toEqual([{ address: 'aws_cloudwatch_log_group.task', action: 'create' }]);
    expect(describeVerdict(ENV, v)).toContain('also changes (not in the reviewed plan, nothing lost): create aws_cloudwatch_log_group.task');
  });

  test('an environment with no reviewed plan refuses, even when the plan is the same', () => {
    const v = compareWithReviewed(model(reviewedJson()), { kind: 'missing', source: 'reviewed/analytics-dev.json does not exist' });
    expect(v.ok).toBe(false);
    expect(describeVerdict(ENV, v)).toMatch(/no reviewed plan for analytics-dev \(reviewed\/analytics-dev\.json does not exist\): it was never planned on a pull request/);
  });

  test('a reviewed plan that failed refuses', () => {
    const v = compareWithReviewed(model(planJson([])), { kind: 'failed', message: 'Error: Instance cannot be destroyed', source: 'r.json' });
    expect(v.ok).toBe(false);
    expect(v.reasons[0]).toContain('the reviewed plan of analytics-dev failed (r.json: Error: Instance cannot be destroyed)');
  });
});

describe('loadReviewedPlan (the artifact files)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reviewed-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a directory of <env>.json, a single file, a missing file, an error document, a file that is not a plan', () => {
    fs.writeFileSync(path.join(dir, `${ENV}.json`), JSON.stringify(redactPlan(reviewedJson() as unknown as Record<string, unknown>)));
    const fromDir = loadReviewedPlan(dir, ENV, false);
    expect(fromDir.kind).toBe('plan');
    expect(fromDir.kind === 'plan' && fromDir.model.resources.map((r) => `${r.action} ${r.address}`)).toEqual(['update aws_mwaa_environment.environment', 'create aws_cloudwatch_log_group.task']);
    expect(loadReviewedPlan(path.join(dir, `${ENV}.json`), ENV, false).kind).toBe('plan');
    expect(loadReviewedPlan(dir, 'other-env', false)).toEqual({ kind: 'missing', source: `${path.join(dir, 'other-env.json')} does not exist` });
    fs.writeFileSync(path.join(dir, 'failed.json'), JSON.stringify({ mwaa_gitops_plan_error: { environment: 'failed', message: 'boom' } }));
    expect(loadReviewedPlan(dir, 'failed', false)).toEqual({ kind: 'failed', message: 'boom', source: path.join(dir, 'failed.json') });
    fs.writeFileSync(path.join(dir, 'junk.json'), '{"hello": 1}');
    expect(() => loadReviewedPlan(dir, 'junk', false)).toThrow(/junk\.json: not a plan JSON written by `plan --json-out`/);
  });
});

describe('applyEnv --reviewed-plan: refuses before applying anything', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reviewed-apply-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A context whose runner shows `fresh` as the saved plan and records what it is asked to do. */
  function ctx(fresh: unknown): { ctx: EnvContext; calls: string[] } {
    const calls: string[] = [];
    const planFile = path.join(dir, `${ENV}.tfplan`);
    fs.writeFileSync(planFile, 'saved plan');
    const runner = {
      init: async () => (calls.push('init'), { skipped: false }),
      showPlan: async () => (calls.push('show'), fresh as PlanJson),
      apply: async () => void calls.push('apply'),
    };
    return { calls, ctx: { spec: { name: ENV, protection: { preventDestroy: false }, state: { backend: 'local' } } as EnvContext['spec'], dir, planFile, notify: () => undefined, runner: runner as unknown as EnvContext['runner'] } };
  }
  const reviewedDir = () => {
    const d = path.join(dir, 'reviewed');
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, `${ENV}.json`), JSON.stringify(redactPlan(reviewedJson() as unknown as Record<string, unknown>)));
    return d;
  };

  test('the reviewed plan applies', async () => {
    const c = ctx(reviewedJson());
    const out = await applyEnv(c.ctx, { allowReplace: [], reviewedPlan: reviewedDir() });
    expect(out.status).toBe('applied');
    expect(c.calls).toEqual(['init', 'show', 'apply']);
  });

  test('a plan that gained a destroy is refused and terraform apply never runs', async () => {
    const fresh = planJson([resourceChange('aws_s3_bucket.bucket', ['delete'], bucket, null)]);
    const c = ctx(fresh);
    const out = await applyEnv(c.ctx, { allowReplace: [], reviewedPlan: reviewedDir() });
    expect(out.status).toBe('refused');
    expect(out.message).toContain('the plan now would destroy aws_s3_bucket.bucket');
    expect(c.calls).toEqual(['init', 'show']);
    expect(fs.existsSync(c.ctx.planFile)).toBe(false);
  });

  test('an environment never planned is refused without running terraform at all', async () => {
    const c = ctx(reviewedJson());
    const out = await applyEnv(c.ctx, { allowReplace: [], reviewedPlan: path.join(dir, 'nothing-downloaded') });
    expect(out.status).toBe('refused');
    expect(out.message).toContain('no reviewed plan for analytics-dev');
    expect(c.calls).toEqual([]);
  });
});
