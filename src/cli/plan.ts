/**
 * `mwaa-gitops plan [env...]`: validate, synthesize, terraform init / plan -out / show -json, then a summary per
 * environment (destroys and replacements first, with what they cost in MWAA terms; Airflow configuration options as a
 * key-level diff, secret-looking values masked). Exit 0 no changes, 2 changes, 1 error. The saved plans
 * (`.mwaa-gitops/plans/<env>.tfplan`) are what `apply` applies.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { PlanFormat, renderPlan } from '../report/plan-render';
import { redactPlan } from '../report/plan-redact';
import { exitCodeOf, mapLimit, parseParallel, planEnv, PlannedEnv, prepare, WorkflowOptions } from '../terraform/workflow';

export interface TerraformCliOptions {
  repo: string;
  target?: string;
  terraformBin?: string;
  providerMirror?: string;
  parallel?: string;
  format?: string;
  timeout?: string;
  jsonOut?: string;
}

/** Options every terraform-backed command takes. */
export function addTerraformOptions(cmd: Command): Command {
  return cmd
    .option('--target <file.json>', 'aws provider arguments for a test/emulator target (or MWAA_GITOPS_TARGET)')
    .option('--terraform-bin <path>', 'terraform or tofu binary (or MWAA_GITOPS_TERRAFORM_BIN; default terraform)')
    .option('--provider-mirror <dir>', 'provider filesystem mirror (or MWAA_GITOPS_PROVIDER_MIRROR; default /opt/tf-plugins when present)')
    .option('--timeout <minutes>', 'timeout of each terraform command', '90');
}

export function workflowOptions(o: TerraformCliOptions): WorkflowOptions {
  const minutes = Number(o.timeout ?? '90');
  if (!(minutes > 0)) throw new Error(`--timeout must be a positive number of minutes, got ${o.timeout}`);
  return {
    repo: o.repo,
    target: o.target,
    terraformBin: o.terraformBin,
    providerMirror: o.providerMirror,
    parallel: parseParallel(o.parallel),
    timeoutMs: minutes * 60000,
  };
}

export function parseFormat(v: string | undefined): PlanFormat {
  const f = v ?? 'text';
  if (f !== 'text' && f !== 'markdown' && f !== 'json') throw new Error(`--format must be text, markdown or json, got ${f}`);
  return f;
}

export async function runPlan(targets: string[], o: TerraformCliOptions): Promise<{ exitCode: number; output: string }> {
  const format = parseFormat(o.format);
  const wf = workflowOptions(o);
  const prepared = prepare(targets, wf);
  if (!prepared.ok) return { exitCode: 1, output: prepared.message ?? '' };
  const planned = await mapLimit(prepared.envs, wf.parallel ?? 1, (ctx) => planEnv(ctx));
  if (o.jsonOut) writePlanJson(o.jsonOut, planned);
  return { exitCode: exitCodeOf(planned), output: renderPlan(planned.map((p) => p.summary), format) };
}

/**
 * `--json-out`: the plan JSON of each environment, redacted (sensitive values replaced, keys kept), for
 * `pr-comment --plan-json`. A path ending in .json with one environment is the file; otherwise a directory
 * receiving `<env>.json`.
 */
export function writePlanJson(out: string, planned: PlannedEnv[]): void {
  const single = planned.length === 1 && out.endsWith('.json');
  if (!single) fs.mkdirSync(out, { recursive: true });
  for (const p of planned) {
    if (!p.plan) continue;
    const file = single ? out : path.join(out, `${p.ctx.spec.name}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(redactPlan(p.plan as unknown as Record<string, unknown>), null, 1)}\n`);
  }
}

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('plan')
      .description('terraform plan per environment with a reviewable summary (exit 0 no changes, 2 changes, 1 error)')
      .argument('[targets...]', 'environment names or spec files (default: every environments/*.yaml)')
      .option('-f, --format <format>', 'text | markdown | json', 'text')
      .option('-p, --parallel <n>', 'environments planned at once', '1')
      .option('--json-out <path>', 'also write each plan as JSON, sensitive values redacted (a .json file for one environment, else a directory of <env>.json)'),
  ).action(async (targets: string[], _opts: unknown, cmd: Command) => {
    const { exitCode, output } = await runPlan(targets, cmd.optsWithGlobals() as TerraformCliOptions);
    (exitCode === 1 ? process.stderr : process.stdout).write(output);
    process.exitCode = exitCode;
  });
}
