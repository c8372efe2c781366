/**
 * `mwaa-gitops apply [env...]`: applies the plan saved by `plan` (or plans first with `--auto-approve`).
 * Refuses a plan that destroys or replaces a protected resource of a protected environment unless
 * `--allow-replace <address>` names it. Progress (environment, resource, elapsed time) goes to stderr.
 * `--reviewed-plan <file|dir>`: refuses (before applying anything) a plan with a destroy or replacement the plan reviewed
 * on the pull request did not have, or an environment with no reviewed plan (src/plan/reviewed.ts).
 * Exit 0 success (changes or not), 1 failed or refused; `--detailed-exitcode`: 2 when something was applied.
 */
import * as fs from 'fs';
import type { Command } from 'commander';
import * as path from 'path';
import { blockedByProtection, buildPlanModel, hasChanges, type EnvironmentPlan } from '../plan/model';
import { compareWithReviewed, describeVerdict, type ReviewedPlan } from '../plan/reviewed';
import { isPlanErrorDocument, type PlanJson } from '../plan/types';
import { errorMessage, EnvContext, mapLimit, planEnv } from '../terraform/workflow';
import { withRecoveryHint } from '../terraform/hints';
import { startProvider } from '../terraform/provider-session';
import { checkState, localStateFile, startJournal, watchState } from '../terraform/state-guard';
import { startS3JournalOf } from '../terraform/workflow';
import { addTerraformOptions, providerArgsOf, TerraformArgs, TerraformDeps, withPrepared } from './plan';
import { writeResult, type CommandResult } from './result';

export interface ApplyArgs extends TerraformArgs {
  autoApprove?: boolean;
  allowReplace?: string[];
  reviewedPlan?: string;
}

/**
 * `--reviewed-plan <path>`: the plan JSON `plan --json-out` wrote in the pull request's plan job. A `.json` file (one
 * environment), or a directory holding `<env>.json` (the plan artifacts of a batch, downloaded together). A missing
 * file is "never planned"; an error document is "the reviewed plan failed"; an unreadable file is an error.
 */
export function loadReviewedPlan(arg: string, env: string, isProtected: boolean): ReviewedPlan {
  const file = fs.existsSync(arg) && fs.statSync(arg).isDirectory() ? path.join(arg, `${env}.json`) : arg;
  if (!fs.existsSync(file)) return { kind: 'missing', source: `${file} does not exist` };
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a plan JSON written by \`plan --json-out\` (${(e as Error).message})`);
  }
  if (isPlanErrorDocument(doc)) return { kind: 'failed', message: doc.mwaa_gitops_plan_error.message, source: file };
  const plan = doc as PlanJson;
  if (typeof plan?.format_version !== 'string') throw new Error(`${file}: not a plan JSON written by \`plan --json-out\` (no format_version)`);
  return { kind: 'plan', model: buildPlanModel({ environment: env, protected: isProtected, plan }), source: file };
}

export interface ApplyOutcome {
  environment: string;
  status: 'applied' | 'no-changes' | 'refused' | 'failed';
  message: string;
  model?: EnvironmentPlan;
}

/** `(1 imported, 3 added, 1 changed, 3 destroyed)`: Terraform's apply summary from the applied plan's counts. */
export function appliedCounts(p: EnvironmentPlan): string {
  const c = p.counts;
  return `${c.import ? `${c.import} imported, ` : ''}${c.add} added, ${c.change} changed, ${c.destroy} destroyed`;
}

/** Plans (unless a saved plan is used), gates protected destroys/replacements, applies. */
export async function applyEnv(ctx: EnvContext, o: { autoApprove?: boolean; allowReplace: string[]; reviewedPlan?: string }): Promise<ApplyOutcome> {
  const env = ctx.spec.name;
  if (ctx.locked) return { environment: env, status: 'failed', message: ctx.locked };
  const stateFile = localStateFile(ctx.dir);
  try {
    // Read before planning: an environment nobody reviewed is refused without running terraform.
    const reviewed = o.reviewedPlan === undefined ? undefined : loadReviewedPlan(o.reviewedPlan, env, ctx.spec.protection.preventDestroy);
    if (reviewed && reviewed.kind !== 'plan') {
      return { environment: env, status: 'refused', message: describeVerdict(env, compareWithReviewed(emptyPlan(env, ctx.spec.protection.preventDestroy), reviewed)) };
    }
    let model: EnvironmentPlan;
    if (o.autoApprove) {
      const planned = await planEnv(ctx);
      if (planned.model.error) return { environment: env, status: 'failed', message: withRecoveryHint(env, planned.model.error) };
      model = planned.model;
      if (!planned.changes) {
        fs.rmSync(ctx.planFile, { force: true });
        return { environment: env, status: 'no-changes', message: `${env}: no changes`, model };
      }
    } else if (!fs.existsSync(ctx.planFile)) {
      return { environment: env, status: 'failed', message: `${env}: no saved plan (${ctx.planFile}); run \`mwaa-gitops plan ${env}\` first, or apply with --auto-approve` };
    } else {
      const check = checkState(env, stateFile);
      if (check.note) ctx.notify(`note: ${check.note}`);
      await ctx.runner.init();
      model = buildPlanModel({ environment: env, protected: ctx.spec.protection.preventDestroy, plan: await ctx.runner.showPlan(ctx.planFile) });
    }
    if (reviewed) {
      const verdict = compareWithReviewed(model, reviewed);
      if (!verdict.ok) {
        fs.rmSync(ctx.planFile, { force: true });
        return { environment: env, status: 'refused', model, message: describeVerdict(env, verdict) };
      }
      ctx.notify(describeVerdict(env, verdict));
    }
    const blocked = blockedByProtection(model, o.allowReplace);
    if (blocked.length) {
      const lines = blocked.map((b) => `  ${b.action} ${b.address}${b.forcedBy.length ? ` (forced by ${b.forcedBy.join(', ')})` : ''}${b.loss ? `: ${b.loss}` : ''}`);
      return {
        environment: env,
        status: 'refused',
        model,
        message: `${env}: refused: the environment is protected (protection.preventDestroy) and the plan would\n${lines.join('\n')}\n  Re-run with --allow-replace <address> for each resource you accept to lose.`,
      };
    }
    if (!hasChanges(model)) {
      fs.rmSync(ctx.planFile, { force: true });
      return { environment: env, status: 'no-changes', message: `${env}: no changes`, model };
    }
    const started = Date.now();
    checkState(env, stateFile);
    const journal = startJournal(stateFile, 'apply');
    const s3Journal = await startS3JournalOf(ctx);
    const stopWatching = watchState(stateFile);
    let lockError = false;
    // A fresh provider process for the apply, attached (src/terraform/provider-session.ts): the apply configures it
    // once, and Terraform does not start its own copies of the provider.
    const provider = await startProvider(ctx.dir, ctx.runner.childEnv);
    try {
      await ctx.runner.apply(ctx.planFile, (e) => (journal.record(e), s3Journal?.record(e)), provider?.env);
    } catch (e) {
      lockError = /state lock/i.test((e as Error).message);
      throw e;
    } finally {
      await provider?.stop();
      stopWatching();
      journal.finish();
      await s3Journal?.finish(lockError);
    }
    fs.rmSync(ctx.planFile, { force: true });
    const secs = Math.round((Date.now() - started) / 1000);
    return { environment: env, status: 'applied', model, message: `${env}: applied in ${secs}s (${appliedCounts(model)})` };
  } catch (e) {
    fs.rmSync(ctx.planFile, { force: true });
    return { environment: env, status: 'failed', message: withRecoveryHint(env, errorMessage(env, e)) };
  }
}

function emptyPlan(env: string, isProtected: boolean): EnvironmentPlan {
  return buildPlanModel({ environment: env, protected: isProtected, plan: { format_version: '1.2', resource_changes: [] } });
}

export async function run(args: ApplyArgs, deps: TerraformDeps = {}): Promise<CommandResult> {
  const o = args;
  return withPrepared(args.targets, o, 'apply', deps, async (prepared, wf) => {
    const outcomes = await mapLimit(prepared.envs, wf.parallel ?? 1, (ctx) =>
      applyEnv(ctx, { autoApprove: o.autoApprove, allowReplace: o.allowReplace ?? [], reviewedPlan: o.reviewedPlan }),
    );
    return applyResult(outcomes, o.detailedExitcode);
  });
}

/** The command's result: applied and unchanged environments on stdout, failed and refused ones on stderr. */
function applyResult(outcomes: ApplyOutcome[], detailedExitcode: boolean | undefined): CommandResult {
  const bad = outcomes.filter((x) => x.status === 'failed' || x.status === 'refused');
  const good = outcomes.filter((x) => !bad.includes(x));
  const applied = outcomes.some((x) => x.status === 'applied');
  return {
    exitCode: bad.length ? 1 : detailedExitcode && applied ? 2 : 0,
    stdout: good.map((x) => `${x.message}\n`).join(''),
    stderr: bad.map((x) => `${x.message}\n`).join(''),
  };
}

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('apply')
      .description('apply the saved plan (or plan first with --auto-approve); protected destroys/replacements are refused (exit 0 success, 1 error or refused)')
      .argument('[targets...]', 'environment names or spec files (default: every environments/*.yaml)')
      .option('--auto-approve', 'plan and apply in one step')
      .option('--allow-replace <address...>', 'resource addresses a protected environment may destroy or replace')
      .option('--reviewed-plan <path>', 'refuse unless the plan holds no destroy or replacement beyond the reviewed plan JSON (`plan --json-out` of the pull request: a .json file, or a directory of <env>.json); no reviewed plan refuses')
      .option('-p, --parallel <n>', 'environments applied at once', '1')
      .option('--detailed-exitcode', 'exit 2 when changes were applied, 0 when there was nothing to do, 1 on error'),
  ).action(async (targets: string[], _opts: unknown, cmd: Command) => {
    writeResult(await run({ ...providerArgsOf(cmd.optsWithGlobals() as Omit<ApplyArgs, 'targets'>), targets }));
  });
}
