/**
 * `mwaa-gitops destroy <env>`: destroys one environment's stack. Refuses protected environments
 * (protection.preventDestroy). Without --auto-approve it only shows what would be destroyed (exit 0; 2 with
 * --detailed-exitcode when something would be destroyed).
 */
import type { Command } from 'commander';
import { renderPlan } from '../report/plan-render';
import { checkState, localStateFile, startJournal, watchState } from '../terraform/state-guard';
import { EnvContext, errorMessage, planEnv, prepare } from '../terraform/workflow';
import { addTerraformOptions, providerArgsOf, TerraformCliOptions, workflowOptions } from './plan';

export interface DestroyCliOptions extends TerraformCliOptions {
  autoApprove?: boolean;
}

export async function runDestroy(target: string, o: DestroyCliOptions): Promise<{ exitCode: number; output: string; errors: string }> {
  const prepared = prepare([target], workflowOptions(o));
  if (!prepared.ok) return { exitCode: 1, output: '', errors: prepared.message ?? '' };
  return destroyEnv(prepared.envs[0], o);
}

/** One prepared environment: the protection refusal, then the destroy plan (or, with --auto-approve, the destroy). */
export async function destroyEnv(ctx: EnvContext, o: Pick<DestroyCliOptions, 'autoApprove' | 'detailedExitcode'>): Promise<{ exitCode: number; output: string; errors: string }> {
  const env = ctx.spec.name;
  if (ctx.spec.protection.preventDestroy) {
    return {
      exitCode: 1,
      output: '',
      errors: `${env}: refused: the environment is protected (protection.preventDestroy: true). Destroying it deletes its metadata database (DAG run history, connections, variables), bucket and key. Set protection.preventDestroy: false in the spec, apply, then destroy.\n`,
    };
  }
  if (!o.autoApprove) {
    const planned = await planEnv(ctx, 'destroy');
    if (planned.model.error) return { exitCode: 1, output: '', errors: `${planned.model.error}\n` };
    return { exitCode: o.detailedExitcode && planned.changes ? 2 : 0, output: `${renderPlan([planned.model], 'text')}Re-run with --auto-approve to destroy ${env}.\n`, errors: '' };
  }
  const stateFile = localStateFile(ctx.dir);
  try {
    checkState(env, stateFile);
    await ctx.runner.init();
    const started = Date.now();
    const journal = startJournal(stateFile, 'destroy');
    const stopWatching = watchState(stateFile);
    try {
      await ctx.runner.destroy((e) => journal.record(e));
    } finally {
      stopWatching();
      journal.finish();
    }
    return { exitCode: 0, output: `${env}: destroyed in ${Math.round((Date.now() - started) / 1000)}s\n`, errors: '' };
  } catch (e) {
    return { exitCode: 1, output: '', errors: `${errorMessage(env, e)}\n` };
  }
}

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('destroy')
      .description('destroy one environment (refused when protected); shows the destroy plan unless --auto-approve')
      .argument('<env>', 'environment name or spec file')
      .option('--auto-approve', 'destroy without showing the plan first')
      .option('--detailed-exitcode', 'without --auto-approve: exit 2 when something would be destroyed'),
  ).action(async (target: string, _opts: unknown, cmd: Command) => {
    const r = await runDestroy(target, providerArgsOf(cmd.optsWithGlobals() as DestroyCliOptions));
    process.stdout.write(r.output);
    process.stderr.write(r.errors);
    process.exitCode = r.exitCode;
  });
}
