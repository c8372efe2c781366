/**
 * `mwaa-gitops plan [env...]`: validate, synthesize, terraform init / plan -out / show -json, then the plan model
 * (src/plan/) per environment: Terraform's counts, destroys and replacements first with what they lose in MWAA terms,
 * Airflow configuration options as a key-level diff, secrets masked. Exit codes follow Terraform: 0 success (changes
 * or not), 1 error; `--detailed-exitcode`: 2 when there are changes (imports included). The saved plans
 * (`.mwaa-gitops/plans/<env>.tfplan`) are what `apply` applies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Option, type Command } from 'commander';
import { PlanFormat, renderPlan } from '../report/plan-render';
import { redactPlan } from '../report/plan-redact';
import type { PlanErrorDocument } from '../plan/types';
import { exitCodeOf, mapLimit, parseParallel, planEnv, PlannedEnv, prepare, Prepared, WorkflowOptions } from '../terraform/workflow';
import { writeResult, type CommandResult } from './result';

export interface TerraformCliOptions {
  repo: string;
  providerArgs?: string;
  /** deprecated alias of providerArgs (see providerArgsOf) */
  target?: string;
  terraformBin?: string;
  providerMirror?: string;
  parallel?: string;
  format?: string;
  timeout?: string;
  jsonOut?: string;
  detailedExitcode?: boolean;
}

/** The arguments of a terraform-backed command that takes environments: its targets and its options. */
export interface TerraformArgs extends TerraformCliOptions {
  /** Environment names or spec files (default: every environments/*.yaml). */
  targets: string[];
}

/** The outside world of a terraform-backed command: validation, synthesis and the terraform runner of each environment. */
export interface TerraformDeps {
  /** Default: src/terraform/workflow.ts `prepare` (validate, synthesize, a terraform runner per environment). */
  prepare?: (targets: string[], o: WorkflowOptions) => Prepared;
}

/**
 * Prepares `targets` for `operation` (validation, each environment's run lock, synthesis: `prepare` in
 * src/terraform/workflow.ts), runs `work` on them and releases the run locks however `work` ends. A validation failure
 * is the command's result (exit 1, the validation text on stderr).
 */
export async function withPrepared(
  targets: string[],
  o: TerraformCliOptions,
  operation: string,
  deps: TerraformDeps,
  work: (prepared: Prepared, wf: WorkflowOptions) => Promise<CommandResult>,
): Promise<CommandResult> {
  const wf = { ...workflowOptions(o), operation };
  const prepared = (deps.prepare ?? prepare)(targets, wf);
  if (!prepared.ok) return { exitCode: 1, stdout: '', stderr: prepared.message ?? '' };
  try {
    return await work(prepared, wf);
  } finally {
    prepared.release?.();
  }
}

/** Options every terraform-backed command takes. */
export function addTerraformOptions(cmd: Command): Command {
  return cmd
    .option('--provider-args <file.json>', PROVIDER_ARGS_HELP)
    .addOption(deprecatedTargetOption())
    .option('--terraform-bin <path>', 'terraform or tofu binary (or MWAA_GITOPS_TERRAFORM_BIN; default terraform)')
    .option('--provider-mirror <dir>', 'provider filesystem mirror (or MWAA_GITOPS_PROVIDER_MIRROR; default /opt/tf-plugins when present)')
    .option('--timeout <minutes>', 'timeout of each terraform command', '90');
}

export const PROVIDER_ARGS_HELP = 'aws provider arguments (JSON) merged into the provider block, e.g. a test/emulator endpoint (or MWAA_GITOPS_PROVIDER_ARGS)';

/**
 * `--target` was this option's first name; every Terraform user reads it as `terraform -target`. Kept as a hidden,
 * deprecated alias of `--provider-args`.
 */
export function deprecatedTargetOption(): Option {
  return new Option('--target <file.json>', 'deprecated alias of --provider-args').hideHelp();
}

/** Folds the deprecated `--target` into `providerArgs` (warning once on stderr). */
export function providerArgsOf<T extends { providerArgs?: string; target?: string }>(o: T, warn: (m: string) => void = (m) => process.stderr.write(m)): T {
  if (o.target !== undefined && o.providerArgs === undefined) {
    warn('mwaa-gitops: --target is deprecated (it is not terraform -target): use --provider-args <file.json>\n');
    return { ...o, providerArgs: o.target, target: undefined };
  }
  return o;
}

export function workflowOptions(o: TerraformCliOptions): WorkflowOptions {
  const minutes = Number(o.timeout ?? '90');
  if (!(minutes > 0)) throw new Error(`--timeout must be a positive number of minutes, got ${o.timeout}`);
  return {
    repo: o.repo,
    target: o.providerArgs ?? o.target,
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

/**
 * Each environment's result goes to `output` (stdout) and each environment's failure to `errors` (stderr), so one
 * failed environment never takes the plans that succeeded off stdout. `--format json` keeps one complete document on
 * stdout (failed environments appear in it with their error) and also writes the failures to stderr.
 */
export async function run(args: TerraformArgs, deps: TerraformDeps = {}): Promise<CommandResult> {
  const o = args;
  const format = parseFormat(o.format);
  return withPrepared(args.targets, o, 'plan', deps, async (prepared, wf) => {
    const planned = await mapLimit(prepared.envs, wf.parallel ?? 1, (ctx) => planEnv(ctx, 'plan', { fullPlan: Boolean(o.jsonOut) }));
    if (o.jsonOut) writePlanJson(o.jsonOut, planned);
    const models = planned.map((p) => p.model);
    const failed = models.filter((m) => m.error);
    const errors = failed.length ? renderPlan(failed, 'text') : '';
    const shown = format === 'json' ? models : models.filter((m) => !m.error);
    return { exitCode: exitCodeOf(planned, o.detailedExitcode), stdout: shown.length ? renderPlan(shown, format) : '', stderr: errors };
  });
}

/**
 * `--json-out`: the plan JSON of each environment, redacted (src/report/plan-redact.ts), for `pr-comment --plan-json`.
 * An environment whose plan failed gets a small error document instead (the failure, secrets masked), so the comment
 * can say at the top that the plan failed and why. A path ending in .json with one environment is the file;
 * otherwise a directory receiving `<env>.json`.
 */
export function writePlanJson(out: string, planned: PlannedEnv[]): void {
  const single = planned.length === 1 && out.endsWith('.json');
  if (!single) fs.mkdirSync(out, { recursive: true });
  for (const p of planned) {
    const file = single ? out : path.join(out, `${p.ctx.spec.name}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const doc: unknown = p.model.error
      ? ({ mwaa_gitops_plan_error: { environment: p.ctx.spec.name, message: p.model.error } } satisfies PlanErrorDocument)
      : redactPlan((p.plan ?? { format_version: '1.2', resource_changes: [] }) as unknown as Record<string, unknown>);
    fs.writeFileSync(file, `${JSON.stringify(doc, null, 1)}\n`);
  }
}

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('plan')
      .description('terraform plan per environment with a reviewable summary (exit 0 success, 1 error; 2 changes with --detailed-exitcode)')
      .argument('[targets...]', 'environment names or spec files (default: every environments/*.yaml)')
      .option('-f, --format <format>', 'text | markdown | json', 'text')
      .option('-p, --parallel <n>', 'environments planned at once', '1')
      .option('--json-out <path>', 'also write each plan as JSON, secrets masked (a .json file for one environment, else a directory of <env>.json)')
      .option('--detailed-exitcode', 'exit 2 when there are changes (imports included), 0 when none, 1 on error'),
  ).action(async (targets: string[], _opts: unknown, cmd: Command) => {
    const o = cmd.optsWithGlobals() as TerraformCliOptions;
    writeResult(await run({ ...providerArgsOf(o), targets }));
  });
}
