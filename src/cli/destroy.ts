/**
 * `mwaa-gitops destroy <env>`: destroys one environment's stack. Refuses protected environments
 * (protection.preventDestroy). Without --auto-approve it only shows what would be destroyed (exit 0; 2 with
 * --detailed-exitcode when something would be destroyed).
 */
import type { Command } from 'commander';
import { renderPlan } from '../report/plan-render';
import { checkState, localStateFile, startJournal, watchState } from '../terraform/state-guard';
import { EnvContext, errorMessage, planEnv } from '../terraform/workflow';
import { addTerraformOptions, providerArgsOf, TerraformCliOptions, TerraformDeps, withPrepared } from './plan';
import { writeResult, type CommandResult } from './result';

export interface DestroyArgs extends TerraformCliOptions {
  /** One environment name or spec file (`target` is the deprecated alias of --provider-args). */
  env: string;
  autoApprove?: boolean;
}

export async function run(args: DestroyArgs, deps: TerraformDeps = {}): Promise<CommandResult> {
  return withPrepared([args.env], args, 'destroy', deps, (prepared) => destroyEnv(prepared.envs[0], args));
}

/** One prepared environment: the protection refusal, then the destroy plan (or, with --auto-approve, the destroy). */
export async function destroyEnv(ctx: EnvContext, o: Pick<DestroyArgs, 'autoApprove' | 'detailedExitcode'>): Promise<CommandResult> {
  const env = ctx.spec.name;
  if (ctx.locked) return { exitCode: 1, stdout: '', stderr: `${ctx.locked}\n` };
  if (ctx.spec.protection.preventDestroy) {
    return {
      exitCode: 1,
      stdout: '',
      stderr: `${env}: refused: the environment is protected (protection.preventDestroy: true). Destroying it deletes its metadata database (DAG run history, connections, variables), bucket and key. Set protection.preventDestroy: false in the spec, apply, then destroy.\n`,
    };
  }
  if (!o.autoApprove) {
    const planned = await planEnv(ctx, 'destroy');
    if (planned.model.error) return { exitCode: 1, stdout: '', stderr: `${planned.model.error}\n` };
    return { exitCode: o.detailedExitcode && planned.changes ? 2 : 0, stdout: `${renderPlan([planned.model], 'text')}Re-run with --auto-approve to destroy ${env}.\n`, stderr: '' };
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
    return { exitCode: 0, stdout: `${env}: destroyed in ${Math.round((Date.now() - started) / 1000)}s\n`, stderr: '' };
  } catch (e) {
    return { exitCode: 1, stdout: '', stderr: `${errorMessage(env, e)}\n` };
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
    writeResult(await run({ ...providerArgsOf(cmd.optsWithGlobals() as Omit<DestroyArgs, 'env'>), env: target }));
  });
}
