/**
 * `mwaa-gitops drift [env...]`: refresh-only plan per environment; lists each resource changed outside Terraform
 * (or deleted), with the attributes that differ (recorded by the last apply -> real now) and the spec field each maps
 * back to. Only real drift counts (src/plan/drift.ts): computed defaults read back are not drift.
 * Exit 2 on drift (a check, like a failing test), 0 none, 1 error.
 * `--reconcile` applies the spec back (a normal plan + apply, same protection gate as `apply`) and verifies that the
 * next plan is empty.
 */
import type { Command } from 'commander';
import { renderPlan } from '../report/plan-render';
import { exitCodeOf, mapLimit, planEnv, type Prepared } from '../terraform/workflow';
import { applyEnv } from './apply';
import { addTerraformOptions, providerArgsOf, parseFormat, TerraformArgs, TerraformDeps, withPrepared } from './plan';
import { writeResult, type CommandResult } from './result';

export interface DriftArgs extends TerraformArgs {
  reconcile?: boolean;
  allowReplace?: string[];
}

export async function run(args: DriftArgs, deps: TerraformDeps = {}): Promise<CommandResult> {
  const o = args;
  const format = parseFormat(o.format);
  return withPrepared(args.targets, o, o.reconcile ? 'drift --reconcile' : 'drift', deps, (prepared, wf) => driftPrepared(prepared, o, format, wf.parallel ?? 1));
}

async function driftPrepared(prepared: Prepared, o: DriftArgs, format: ReturnType<typeof parseFormat>, parallel: number): Promise<CommandResult> {
  const drifted = await mapLimit(prepared.envs, parallel, (ctx) => planEnv(ctx, 'refresh-only'));
  let output = renderPlan(drifted.map((d) => d.model), format, 'drift');
  const errors: string[] = drifted.filter((d) => d.model.error).map((d) => `${d.model.error}\n`);
  // drift is a check: 2 when found, always (not only with --detailed-exitcode)
  let exitCode = exitCodeOf(drifted, true);
  if (!o.reconcile) return { exitCode, stdout: output, stderr: errors.join('') };

  const lines: string[] = [];
  let failed = errors.length > 0;
  for (const d of drifted) {
    if (d.model.error || !d.changes) continue;
    const outcome = await applyEnv(d.ctx, { autoApprove: true, allowReplace: o.allowReplace ?? [] });
    if (outcome.status === 'failed' || outcome.status === 'refused') {
      failed = true;
      errors.push(`${outcome.message}\n`);
      continue;
    }
    const after = await planEnv(d.ctx);
    if (after.model.error || after.changes) {
      failed = true;
      errors.push(`${d.ctx.spec.name}: reconciled, but the next plan is not empty:\n${renderPlan([after.model], 'text')}`);
      continue;
    }
    lines.push(`${d.ctx.spec.name}: reconciled: ${outcome.message.replace(`${d.ctx.spec.name}: `, '')}; next plan: no changes`);
  }
  output += lines.length ? `${lines.join('\n')}\n` : '';
  exitCode = failed ? 1 : exitCode === 2 ? 0 : exitCode;
  return { exitCode, stdout: output, stderr: errors.join('') };
}

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('drift')
      .description('refresh-only plan: resources changed outside Terraform (exit 2 on drift, 0 none, 1 error); --reconcile applies the spec back')
      .argument('[targets...]', 'environment names or spec files (default: every environments/*.yaml)')
      .option('-f, --format <format>', 'text | markdown | json', 'text')
      .option('--reconcile', 'apply the spec back and verify the next plan is empty')
      .option('--allow-replace <address...>', 'resource addresses a protected environment may destroy or replace while reconciling')
      .option('-p, --parallel <n>', 'environments checked at once', '1'),
  ).action(async (targets: string[], _opts: unknown, cmd: Command) => {
    writeResult(await run({ ...providerArgsOf(cmd.optsWithGlobals() as Omit<DriftArgs, 'targets'>), targets }));
  });
}
