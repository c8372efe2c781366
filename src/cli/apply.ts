/**
 * `mwaa-gitops apply [env...]`: applies the plan saved by `plan` (or plans first with `--auto-approve`).
 * Refuses a plan that destroys or replaces a protected resource of a protected environment unless
 * `--allow-replace <address>` names it. Progress (environment, resource, elapsed time) goes to stderr.
 * Exit 0 success (changes or not), 1 failed or refused; `--detailed-exitcode`: 2 when something was applied.
 */
import * as fs from 'fs';
import type { Command } from 'commander';
import { blockedByProtection, buildPlanModel, hasChanges, type EnvironmentPlan } from '../plan/model';
import { errorMessage, EnvContext, mapLimit, planEnv, prepare } from '../terraform/workflow';
import { withRecoveryHint } from '../terraform/hints';
import { checkState, localStateFile, startJournal, watchState } from '../terraform/state-guard';
import { startS3JournalOf } from '../terraform/workflow';
import { addTerraformOptions, providerArgsOf, TerraformCliOptions, workflowOptions } from './plan';

export interface ApplyCliOptions extends TerraformCliOptions {
  autoApprove?: boolean;
  allowReplace?: string[];
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
export async function applyEnv(ctx: EnvContext, o: { autoApprove?: boolean; allowReplace: string[] }): Promise<ApplyOutcome> {
  const env = ctx.spec.name;
  const stateFile = localStateFile(ctx.dir);
  try {
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
    try {
      await ctx.runner.apply(ctx.planFile, (e) => (journal.record(e), s3Journal?.record(e)));
    } catch (e) {
      lockError = /state lock/i.test((e as Error).message);
      throw e;
    } finally {
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

export async function runApply(targets: string[], o: ApplyCliOptions): Promise<{ exitCode: number; output: string; errors: string }> {
  const wf = workflowOptions(o);
  const prepared = prepare(targets, wf);
  if (!prepared.ok) return { exitCode: 1, output: '', errors: prepared.message ?? '' };
  const outcomes = await mapLimit(prepared.envs, wf.parallel ?? 1, (ctx) =>
    applyEnv(ctx, { autoApprove: o.autoApprove, allowReplace: o.allowReplace ?? [] }),
  );
  const bad = outcomes.filter((x) => x.status === 'failed' || x.status === 'refused');
  const good = outcomes.filter((x) => !bad.includes(x));
  const applied = outcomes.some((x) => x.status === 'applied');
  return {
    exitCode: bad.length ? 1 : o.detailedExitcode && applied ? 2 : 0,
    output: good.map((x) => `${x.message}\n`).join(''),
    errors: bad.map((x) => `${x.message}\n`).join(''),
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
      .option('-p, --parallel <n>', 'environments applied at once', '1')
      .option('--detailed-exitcode', 'exit 2 when changes were applied, 0 when there was nothing to do, 1 on error'),
  ).action(async (targets: string[], _opts: unknown, cmd: Command) => {
    const r = await runApply(targets, providerArgsOf(cmd.optsWithGlobals() as ApplyCliOptions));
    process.stdout.write(r.output);
    process.stderr.write(r.errors);
    process.exitCode = r.exitCode;
  });
}
