/**
 * `mwaa-gitops apply [env...]`: applies the plan saved by `plan` (or plans first with `--auto-approve`).
 * Refuses a plan that destroys or replaces a resource of a protected environment unless `--allow-replace <address>`
 * names it. Progress (environment, resource, elapsed time) goes to stderr.
 */
import * as fs from 'fs';
import type { Command } from 'commander';
import { blockedByProtection, summarizePlan } from '../report/plan-summary';
import { EnvContext, mapLimit, planEnv, prepare } from '../terraform/workflow';
import { TerraformError } from '../terraform/runner';
import { withRecoveryHint } from '../terraform/hints';
import { assertStateReadable, localStateFile, watchState } from '../terraform/state-guard';
import { addTerraformOptions, parseFormat, TerraformCliOptions, workflowOptions } from './plan';

export interface ApplyCliOptions extends TerraformCliOptions {
  autoApprove?: boolean;
  allowReplace?: string[];
}

interface ApplyOutcome {
  environment: string;
  status: 'applied' | 'no-changes' | 'refused' | 'failed';
  message: string;
}

/** Plans (unless a saved plan is used), gates protected destroys/replacements, applies. */
export async function applyEnv(ctx: EnvContext, o: { autoApprove?: boolean; allowReplace: string[] }): Promise<ApplyOutcome> {
  const env = ctx.spec.name;
  try {
    let changes = true;
    if (o.autoApprove) {
      const planned = await planEnv(ctx);
      if (planned.summary.error) return { environment: env, status: 'failed', message: withRecoveryHint(env, planned.summary.error) };
      changes = planned.changes;
    } else if (!fs.existsSync(ctx.planFile)) {
      return { environment: env, status: 'failed', message: `${env}: no saved plan (${ctx.planFile}); run \`mwaa-gitops plan ${env}\` first, or apply with --auto-approve` };
    } else {
      await ctx.runner.init();
    }
    const plan = await ctx.runner.showPlan(ctx.planFile);
    const summary = summarizePlan({ spec: ctx.spec, plan });
    const blocked = blockedByProtection(summary, o.allowReplace);
    if (blocked.length) {
      const lines = blocked.map((b) => `  ${b.action} ${b.address}${b.forcedBy.length ? ` (forced by ${b.forcedBy.join(', ')})` : ''}${b.consequence ? `: ${b.consequence}` : ''}`);
      return {
        environment: env,
        status: 'refused',
        message: `${env}: refused: the environment is protected (protection.preventDestroy) and the plan would\n${lines.join('\n')}\n  Re-run with --allow-replace <address> for each resource you accept to lose.`,
      };
    }
    const counts = summary.counts;
    // import blocks (environments/<env>.imports.json) are changes too, though the summary counts none
    const imports = ((plan as { resource_changes?: Array<{ change?: { importing?: unknown } }> }).resource_changes ?? []).filter((rc) => rc.change?.importing).length;
    if (!changes || counts.add + counts.change + counts.destroy + counts.replace + imports === 0) {
      fs.rmSync(ctx.planFile, { force: true });
      return { environment: env, status: 'no-changes', message: `${env}: no changes` };
    }
    const started = Date.now();
    const stateFile = localStateFile(ctx.dir);
    assertStateReadable(env, stateFile);
    const stopWatching = watchState(stateFile);
    try {
      await ctx.runner.apply(ctx.planFile);
    } finally {
      stopWatching();
    }
    fs.rmSync(ctx.planFile, { force: true });
    const secs = Math.round((Date.now() - started) / 1000);
    return {
      environment: env,
      status: 'applied',
      message: `${env}: applied in ${secs}s (${counts.add} added, ${counts.change} changed, ${counts.destroy} destroyed, ${counts.replace} replaced)`,
    };
  } catch (e) {
    fs.rmSync(ctx.planFile, { force: true });
    return { environment: env, status: 'failed', message: withRecoveryHint(env, e instanceof TerraformError ? e.message : `${env}: ${(e as Error).message}`) };
  }
}

export async function runApply(targets: string[], o: ApplyCliOptions): Promise<{ exitCode: number; output: string; errors: string }> {
  parseFormat(o.format);
  const wf = workflowOptions(o);
  const prepared = prepare(targets, wf);
  if (!prepared.ok) return { exitCode: 1, output: '', errors: prepared.message ?? '' };
  const outcomes = await mapLimit(prepared.envs, wf.parallel ?? 1, (ctx) =>
    applyEnv(ctx, { autoApprove: o.autoApprove, allowReplace: o.allowReplace ?? [] }),
  );
  const bad = outcomes.filter((x) => x.status === 'failed' || x.status === 'refused');
  const good = outcomes.filter((x) => !bad.includes(x));
  return {
    exitCode: bad.length ? 1 : 0,
    output: good.map((x) => `${x.message}\n`).join(''),
    errors: bad.map((x) => `${x.message}\n`).join(''),
  };
}

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('apply')
      .description('apply the saved plan (or plan first with --auto-approve); protected destroys/replacements are refused')
      .argument('[targets...]', 'environment names or spec files (default: every environments/*.yaml)')
      .option('--auto-approve', 'plan and apply in one step')
      .option('--allow-replace <address...>', 'resource addresses a protected environment may destroy or replace')
      .option('-p, --parallel <n>', 'environments applied at once', '1'),
  ).action(async (targets: string[], _opts: unknown, cmd: Command) => {
    const r = await runApply(targets, cmd.optsWithGlobals() as ApplyCliOptions);
    process.stdout.write(r.output);
    process.stderr.write(r.errors);
    process.exitCode = r.exitCode;
  });
}

